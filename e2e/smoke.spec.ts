import { statSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test('the built app loads with the title Quiver', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Quiver');
});

test('the sample catalogue lists every bundled sample with its real size', async ({ request }) => {
  const res = await request.get('/samples/index.json');
  expect(res.ok()).toBe(true);
  const samples = (await res.json()) as { file: string; sizeBytes: number }[];
  expect(samples.map((s) => s.file)).toEqual(
    expect.arrayContaining(['seattle-weather.csv', 'flights-200k.arrow', 'flights-3m.parquet']),
  );
  for (const s of samples) {
    const body = await request.get(`/samples/${s.file}`);
    expect(body.ok(), s.file).toBe(true);
    const onDisk = statSync(`node_modules/vega-datasets/data/${s.file}`).size;
    expect((await body.body()).byteLength, s.file).toBe(onDisk);
    expect(s.sizeBytes, s.file).toBe(onDisk);
  }
});
