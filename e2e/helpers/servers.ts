/**
 * Builds and previews Quiver from inside a test, for tests that need a server they control:
 * the offline test stops it to prove nothing comes from the network, and the update test
 * swaps one build for another on the same origin (a service worker belongs to its origin).
 */
import { build, preview, type PreviewServer } from 'vite';
import { E2E_DIST } from './env';

/** Repository root (Playwright runs from it). */
export const ROOT = process.cwd();
/** The build `npm run test:e2e` makes before the tests. */
export const MAIN_DIST = E2E_DIST;

/** A running preview server; `close()` stops it and frees its port. */
export interface Preview {
  url: string;
  close(): Promise<void>;
}

/** Serves a built app (`outDir`) on 127.0.0.1:`port`; fails if the port is taken. */
export async function startPreview(outDir: string, port: number): Promise<Preview> {
  const server: PreviewServer = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/**
 * Builds the app into `outDir` with QUIVER_BUILD_ID=`buildId`, so its version string and
 * service worker differ from the main build's. Takes a few seconds.
 */
export async function buildApp(outDir: string, buildId: string): Promise<void> {
  const previous = process.env.QUIVER_BUILD_ID;
  process.env.QUIVER_BUILD_ID = buildId;
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.QUIVER_BUILD_ID;
    else process.env.QUIVER_BUILD_ID = previous;
  }
}
