import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { waitForServiceWorkerControl } from './helpers/pwa';

const SHARED = 'node_modules/vega-datasets/data/seattle-weather.csv';

/** Reads the service worker's inbox (IndexedDB 'quiver-pwa', store 'inbox') in the page. */
function readInbox(): Promise<{ name: string; text: string }[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('quiver-pwa');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('inbox')) return resolve([]);
      const get = db.transaction('inbox').objectStore('inbox').getAll();
      get.onerror = () => reject(get.error);
      get.onsuccess = async () => {
        const rows = get.result as { name: string; blob: Blob }[];
        resolve(
          await Promise.all(rows.map(async (r) => ({ name: r.name, text: await r.blob.text() }))),
        );
        db.close();
      };
    };
  });
}

test('a file shared to the app (share_target POST) becomes a source step, through the inbox', async ({
  page,
}) => {
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  const csv = readFileSync(SHARED, 'utf8');

  // What Android does when the user shares a file to the installed app: a multipart POST to
  // the manifest's share_target action, answered by the service worker with a redirect.
  const status = await page.evaluate(async (text) => {
    const form = new FormData();
    form.append('files', new File([text], 'shared-weather.csv', { type: 'text/csv' }));
    const res = await fetch('/share-target', { method: 'POST', body: form, redirect: 'manual' });
    return res.type;
  }, csv);
  expect(status).toBe('opaqueredirect');
  expect(await page.evaluate(readInbox)).toEqual([{ name: 'shared-weather.csv', text: csv }]);

  // The redirect target: the app takes the files out of the inbox, drops the action, and the
  // editor turns the shared CSV into a source step (labelled with the file name) and a reader.
  await page.goto('/?action=shared');
  await expect.poll(() => page.evaluate(readInbox)).toEqual([]);
  await expect.poll(() => new URL(page.url()).search).toBe('');
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  await expect(
    canvas.getByRole('group', { name: /^step / }).filter({ hasText: 'shared-weather.csv' }),
  ).toHaveCount(1);
});

test('the "Open examples" shortcut opens the gallery once; the action leaves the address bar', async ({
  page,
}) => {
  await page.goto('/?action=examples');
  await expect(page.getByRole('dialog', { name: 'Pipelines' })).toBeVisible();
  await expect.poll(() => new URL(page.url()).search).toBe('');
  await page.reload();
  await expect(page.getByRole('toolbar', { name: 'Pipeline' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Pipelines' })).toBeHidden();
});
