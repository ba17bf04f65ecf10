/**
 * The web app manifest (https://w3c.github.io/manifest/), handed to vite-plugin-pwa, which
 * writes it to `/manifest.webmanifest` and links it from index.html. Imported by
 * vite.config.ts at build time only, and by the manifest e2e test.
 */
import type { ManifestOptions } from 'vite-plugin-pwa';

/** Path the service worker handles for `share_target` POSTs (src/pwa/sw.ts). */
export const SHARE_TARGET_PATH = '/share-target';
/** Form field holding shared files in a `share_target` POST. */
export const SHARE_TARGET_FILES_FIELD = 'files';

/** Colours of the icon and of the installed app's title bar and splash screen. */
export const THEME_COLOR = '#1f3a5f';
export const BACKGROUND_COLOR = '#f7f8fa';

/**
 * File types Quiver opens when launched with files (file_handlers) or shared to
 * (share_target): data files become a source step, `.quiver.json` opens the pipeline.
 */
export const OPENABLE_TYPES: Record<string, string[]> = {
  'text/csv': ['.csv'],
  'text/tab-separated-values': ['.tsv'],
  'application/vnd.apache.arrow.file': ['.arrow'],
  'application/vnd.apache.parquet': ['.parquet'],
  'application/json': ['.quiver.json'],
};

/** Builds the manifest. */
export function quiverManifest(): Partial<ManifestOptions> {
  return {
    id: '/',
    name: 'Quiver — data pipelines in your browser',
    short_name: 'Quiver',
    description:
      'Build and run data pipelines of WebAssembly steps on your own data, offline, in the browser.',
    lang: 'en',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: THEME_COLOR,
    background_color: BACKGROUND_COLOR,
    categories: ['productivity', 'developer tools'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      {
        src: '/icons/icon-maskable-512.png',
        sizes: '512x512',
        type: 'image/png',
        purpose: 'maskable',
      },
    ],
    shortcuts: [
      {
        name: 'New pipeline',
        short_name: 'New',
        description: 'Start an empty pipeline',
        url: '/?action=new',
        icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
      },
      {
        name: 'Open examples',
        short_name: 'Examples',
        description: 'Browse the example pipelines on the bundled sample data',
        url: '/?action=examples',
        icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
      },
    ],
    file_handlers: [{ action: '/?action=open-files', accept: OPENABLE_TYPES }],
    launch_handler: { client_mode: 'focus-existing' },
    share_target: {
      action: SHARE_TARGET_PATH,
      method: 'POST',
      enctype: 'multipart/form-data',
      params: {
        title: 'title',
        text: 'text',
        files: [
          {
            name: SHARE_TARGET_FILES_FIELD,
            accept: [...Object.keys(OPENABLE_TYPES), ...Object.values(OPENABLE_TYPES).flat()],
          },
        ],
      },
    },
  };
}
