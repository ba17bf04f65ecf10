/** Page-side helpers for the service-worker tests. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/**
 * Waits until a service worker controls the page, i.e. its install (which precaches every
 * file) has finished and it has claimed the page.
 */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
        once: true,
      }),
    );
  });
}

/** The version string of the page's build (`<meta name="quiver-version">`). */
export async function pageVersion(page: Page): Promise<string | null> {
  return page.locator('meta[name="quiver-version"]').getAttribute('content');
}

/** One precached file of a build, with its size on disk. */
export interface PrecacheFile {
  url: string;
  sizeBytes: number;
}

/**
 * Lists the files a build's service worker precaches, read from the manifest that
 * workbox injects into `<outDir>/sw.js` (entries `{"revision":…,"url":"…"}`), sized from disk.
 */
export function precacheFiles(outDir: string): PrecacheFile[] {
  const sw = readFileSync(path.join(outDir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string);
  if (urls.length === 0) throw new Error(`no precache entries found in ${outDir}/sw.js`);
  return [...new Set(urls)].map((url) => ({
    url,
    sizeBytes: statSync(path.join(outDir, decodeURIComponent(url))).size,
  }));
}
