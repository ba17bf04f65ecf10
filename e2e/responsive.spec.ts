/**
 * Issue 10: the editor answers input throughout the first run of a real example — the run
 * after opening it, when modules are fetched and compiled, the output table and the links'
 * row counts first appear. No task of the page's main thread may take 100 ms of CPU
 * (`helpers/mainThread.ts` says why CPU time, not wall time, on this shared machine); the
 * round-trip answer times and long tasks are logged beside it.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { PipelineDocument } from '../src/pipeline/types';
import { traceMainThread } from './helpers/mainThread';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/** Each example's document, read from examples/. */
const example = (file: string) =>
  JSON.parse(readFileSync(`examples/${file}.quiver.json`, 'utf8')) as PipelineDocument;

/**
 * Round trips to the page (ms, a `page.evaluate` every 25 ms) until every step is done, and at
 * least 20 of them, so that one slow answer is a percentile, not the whole.
 */
async function answersUntilDone(page: Page, steps: number): Promise<number[]> {
  const answers: number[] = [];
  const done = page.locator('.step-node.state-done');
  const deadline = Date.now() + 120_000;
  while ((answers.length < 20 || (await done.count()) < steps) && Date.now() < deadline) {
    const t0 = performance.now();
    await page.evaluate(() => 0);
    answers.push(performance.now() - t0);
    await page.waitForTimeout(25);
  }
  return answers.sort((a, b) => a - b);
}

for (const file of ['seattle-weather', 'flights-delay-by-distance']) {
  test(`the first run of example ${file} never holds the main thread 100 ms`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    const doc = example(file);
    await page.goto('/');
    await page.getByRole('button', { name: 'Pipelines' }).click();
    await page.getByRole('button', { name: `Open example ${doc.name}` }).click();
    await expect(page.locator('.react-flow__node')).toHaveCount(doc.steps.length);
    const stop = await traceMainThread(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const answers = await answersUntilDone(page, doc.steps.length);
    const main = await stop();
    await expect(page.locator('.step-node.state-done')).toHaveCount(doc.steps.length);
    const p95 = answers[Math.floor(answers.length * 0.95)] ?? 0;
    const line =
      `${file}, first run: main thread's longest task ${main.longestCpuMs.toFixed(0)} ms of ` +
      `CPU (${main.longestWallMs.toFixed(0)} ms of wall time), long tasks' CPU ` +
      `${main.longTasksCpuMs.toFixed(0)} ms; answers p95 ${p95.toFixed(0)} ms, slowest ` +
      `${(answers.at(-1) ?? 0).toFixed(0)} ms (${answers.length})`;
    console.log(line);
    testInfo.annotations.push({ type: 'measured', description: line });
    expect(main.count).toBeGreaterThan(0);
    expect(main.longestCpuMs).toBeLessThan(100);
  });
}
