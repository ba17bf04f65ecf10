import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { arrowNoEval } from './scripts/arrow-no-eval-plugin.ts';
import { bootPreload } from './scripts/boot-preload-plugin.ts';
import { quiverSamples } from './scripts/samples-plugin.ts';
import { THEME_COLOR, quiverManifest } from './src/pwa/manifest.ts';
import { CONTENT_SECURITY_POLICY } from './src/pwa/csp.ts';
import pkg from './package.json' with { type: 'json' };

/**
 * Identifies one build. The update test builds twice with different QUIVER_BUILD_ID values
 * so the second service worker differs from the first; otherwise the short git commit.
 */
function buildId(): string {
  if (process.env.QUIVER_BUILD_ID) return process.env.QUIVER_BUILD_ID;
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'local';
  }
}

const BUILD_ID = buildId();
const VERSION = `${pkg.version}+${BUILD_ID}`;

/**
 * Adds to index.html the version (`<meta name="quiver-version">`, read by tests and support),
 * the favicon, the theme colour and the iOS home-screen icon (iOS ignores manifest icons).
 */
function htmlHead(): Plugin {
  return {
    name: 'quiver-html-head',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { name: 'quiver-version', content: VERSION }, injectTo: 'head' },
      { tag: 'meta', attrs: { name: 'theme-color', content: THEME_COLOR }, injectTo: 'head' },
      {
        tag: 'link',
        attrs: { rel: 'icon', href: '/icons/quiver.svg', type: 'image/svg+xml' },
        injectTo: 'head',
      },
      {
        tag: 'link',
        attrs: { rel: 'apple-touch-icon', href: '/icons/apple-touch-icon-180.png' },
        injectTo: 'head',
      },
    ],
  };
}

/**
 * The Content-Security-Policy (src/pwa/csp.ts) as the first element of the built index.html's
 * head, so that it applies before any script. Not in dev: Vite's dev server injects inline
 * scripts for hot reload.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'quiver-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The largest file we precache is the SQL step's engine, DuckDB-Wasm's duckdb-eh.wasm
 * (18,105,915 bytes, 17.3 MiB; then samples/flights-3m.parquet, 12.9 MiB). Workbox's default
 * limit (2 MiB) would drop them and break the offline examples and the SQL step, and
 * vite-plugin-pwa turns that warning into a build error; 24 MiB leaves room for them while
 * still failing on an accidental giant asset.
 */
const MAX_PRECACHE_FILE_BYTES = 24 * 1024 * 1024;

export default defineConfig({
  plugins: [
    arrowNoEval(),
    react(),
    quiverSamples(),
    htmlHead(),
    bootPreload(fileURLToPath(new URL('public', import.meta.url))),
    contentSecurityPolicy(),
    VitePWA({
      // injectManifest: our own worker (src/pwa/sw.ts) also handles the share_target POST.
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      // workbox-window registers it (src/pwa/register.ts) and drives the update prompt.
      injectRegister: false,
      registerType: 'prompt',
      manifest: quiverManifest(),
      injectManifest: {
        globPatterns: [
          // App shell: the HTML, the JS and CSS chunks (including worker chunks).
          '**/*.{html,js,css}',
          // Icons and the favicon, so the installed app looks right offline.
          'icons/*.{png,svg}',
          // Every WebAssembly file: the built-in step modules (modules/*.wasm) and any
          // emitted by a bundled library (e.g. parquet-wasm, under assets/).
          '**/*.wasm',
          // The built-in modules' manifests and their list (modules/index.json).
          'modules/*.json',
          // Bundled sample data and its catalogue, so the examples run offline.
          'samples/*.{csv,tsv,arrow,parquet,json}',
        ],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      },
      devOptions: { enabled: false },
    }),
  ],
  define: {
    __QUIVER_VERSION__: JSON.stringify(VERSION),
  },
  worker: { format: 'es', plugins: () => [arrowNoEval()] },
  build: {
    target: 'es2022',
    // QUIVER_OUT_DIR lets parallel e2e runs on one machine keep separate builds.
    outDir: process.env.QUIVER_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Vite's 500 kB warning fires on every build (the entry chunk is ~0.9 MB, the lazy elkjs
    // chunk ~1.46 MB); scripts/check-bundle-size.mjs enforces the real budget after the build.
    chunkSizeWarningLimit: 1500,
  },
  // The header also reaches the step workers' scripts, which a <meta> in the page does not.
  preview: {
    port: 4317,
    strictPort: true,
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
});
