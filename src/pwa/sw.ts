/// <reference lib="webworker" />
/**
 * Quiver's service worker (built by vite-plugin-pwa's injectManifest; the list of precached
 * files and why each is there is in vite.config.ts). It serves the app, the built-in modules
 * and the sample data from the precache, so everything works with no network; it receives
 * files shared to the installed app (manifest `share_target`); and it waits for the page's
 * SKIP_WAITING message before taking over, so an update never reloads under the user.
 */
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { clientsClaim } from 'workbox-core';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { putInboxFiles } from './inbox';
import { SHARE_TARGET_FILES_FIELD, SHARE_TARGET_PATH } from './manifest';

declare const self: ServiceWorkerGlobalScope;

cleanupOutdatedCaches();
// The first install takes the page that registered it at once, so a first visit is already
// offline-ready without a reload. Later versions wait for SKIP_WAITING (below).
clientsClaim();
precacheAndRoute(self.__WB_MANIFEST);

// Every navigation (/, /?action=new, a file-handler launch...) gets the precached shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// share_target: keep the shared files for the page, then open the app on them. 303 turns the
// POST into a GET so reloading the app does not re-share.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === SHARE_TARGET_PATH,
  async ({ request }) => {
    const form = await request.formData();
    const files = form
      .getAll(SHARE_TARGET_FILES_FIELD)
      .filter((v): v is File => typeof v !== 'string');
    await putInboxFiles(files);
    return Response.redirect('/?action=shared', 303);
  },
  'POST',
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
