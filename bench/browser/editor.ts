/**
 * The editor side of the browser bench: opens an example from the gallery in a fresh context
 * of the built app (as e2e/pwa-examples-offline.spec.ts does), runs it twice with the Run
 * button and reads each run's wall-clock time in the page and each step's ms from its node.
 */
import { newBenchContext } from './context';
import type { Browser, Page } from 'playwright-core';
import type { PipelineDocument } from '../../src/pipeline/types';

/** Milliseconds of one example in one fresh page. */
export interface EditorTimes {
  /** From navigation to the toolbar's Pipelines button (Node clock). */
  bootMs: number;
  /** Run clicked → every step done (page clock), first run in the page. */
  firstMs: number;
  /** The same, second run in the same page: nothing changed, so every step is cached. */
  secondMs: number;
  /** Bytes the step-output cache holds in OPFS after the runs. */
  cacheBytes: number;
  /** Each step's ms as its node shows it after the second run. */
  stepMs: Record<string, number>;
  /** Rows of the final step, from its node. */
  rows: number;
}

/** How long one run may take before the bench gives up, in ms. */
const RUN_TIMEOUT_MS = 300_000;

/**
 * Optionally sets a text field (`edit`), then clicks Run and resolves with the ms until the run has ended (the canvas's `data-runs` count
 * goes up; measured in the page by a MutationObserver, so no polling delay) and all `steps`
 * nodes are done or cached. Rejects if a step fails or is skipped.
 */
async function timedRun(page: Page, steps: number, edit?: TextEdit): Promise<number> {
  const run = await page.getByRole('button', { name: 'Run', exact: true }).elementHandle();
  return page.evaluate(
    ([button, n, timeoutMs, change]) =>
      new Promise<number>((resolve, reject) => {
        const canvas = document.querySelector('.canvas');
        const runs = () => Number(canvas?.getAttribute('data-runs'));
        const before = runs();
        const check = () => {
          if (runs() === before) return;
          const bad = document.querySelector(
            '.step-node .node-status.failed, .node-status.skipped',
          );
          if (bad) return finish(new Error(`a step did not finish: ${bad.textContent}`));
          const done = document.querySelectorAll(
            '.step-node.state-done, .step-node.state-cached',
          ).length;
          if (done >= n) finish(performance.now() - t0);
        };
        const observer = new MutationObserver(check);
        const timer = setTimeout(() => finish(new Error(`no end in ${timeoutMs} ms`)), timeoutMs);
        const finish = (result: number | Error) => {
          observer.disconnect();
          clearTimeout(timer);
          if (typeof result === 'number') resolve(result);
          else reject(result);
        };
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        const t0 = performance.now();
        if (change) {
          // Typed and Run clicked in one task, as a user's Run right after an edit: the live
          // preview (250 ms after an edit) has not started a run of its own.
          const field = document.querySelector(`[aria-label="${change.label}"]`);
          if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement))
            return finish(new Error(`no text field "${change.label}"`));
          const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value');
          setter?.set?.call(field, change.value);
          field.dispatchEvent(new Event('input', { bubbles: true }));
        }
        (button as HTMLElement).click();
        check();
      }),
    [run, steps, RUN_TIMEOUT_MS, edit ?? null] as const,
  );
}

/** A text field's new value, by the field's accessible label. */
interface TextEdit {
  label: string;
  value: string;
}

/** The `✓ 1,234 rows · 56 ms` line of a finished step's node, parsed. */
async function nodeFigures(page: Page, stepId: string): Promise<{ rows: number; ms: number }> {
  const text = await page.getByTestId(`step-${stepId}`).locator('.node-status.done').innerText();
  // A cached step shows the rows and ms of the run that produced it.
  const rows = /([\d,]+) rows/.exec(text)?.[1];
  const ms = /([\d,]+) ms/.exec(text)?.[1];
  if (ms === undefined) throw new Error(`step ${stepId}: no "ms" in its status "${text}"`);
  const number = (s: string | undefined) => Number((s ?? 'NaN').replaceAll(',', ''));
  return { rows: number(rows), ms: number(ms) };
}

/** A fresh page of the editor at `origin`, viewport as in the e2e tests; resolves when booted. */
async function openEditor(browser: Browser, origin: string) {
  const context = await newBenchContext(browser, {
    serviceWorkers: 'block',
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Pipelines' }).waitFor();
  return { context, page, bootMs: performance.now() - t0 };
}

/** Waits until the canvas shows `doc`'s steps. */
async function waitForSteps(page: Page, doc: PipelineDocument): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('.react-flow__node').length === n,
    doc.steps.length,
  );
}

/** Opens example `doc` from the Pipelines menu and waits until its steps are on the canvas. */
async function openExample(page: Page, doc: PipelineDocument): Promise<void> {
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: `Open example ${doc.name}` }).click();
  await waitForSteps(page, doc);
}

/** Opens example `doc`, runs it once and selects step `stepId`: where the warm loop starts. */
async function openRunAndSelect(page: Page, doc: PipelineDocument, stepId: string): Promise<void> {
  await openExample(page, doc);
  await timedRun(page, doc.steps.length);
  await page.getByTestId(`step-${stepId}`).click();
}

/** Runs example `doc` twice in a fresh page of the editor at `origin`. */
export async function runInEditor(
  browser: Browser,
  origin: string,
  doc: PipelineDocument,
): Promise<EditorTimes> {
  const { context, page, bootMs } = await openEditor(browser, origin);
  try {
    await openExample(page, doc);
    const firstMs = await timedRun(page, doc.steps.length);
    const secondMs = await timedRun(page, doc.steps.length);
    const stepMs: Record<string, number> = {};
    for (const s of doc.steps) stepMs[s.id] = (await nodeFigures(page, s.id)).ms;
    const feeding = new Set(doc.edges.map((e) => e.from.step));
    const last = doc.steps.find((s) => !feeding.has(s.id));
    const rows = last ? (await nodeFigures(page, last.id)).rows : NaN;
    return { bootMs, firstMs, secondMs, stepMs, rows, cacheBytes: await opfsCacheBytes(page) };
  } finally {
    await context.close();
  }
}

/**
 * Imports `doc` (Pipelines → Import…) into a fresh page, runs it `warm` times, then `rounds`
 * times; resolves with the ms of those last runs.
 */
export async function warmRunsInEditor(
  browser: Browser,
  origin: string,
  doc: PipelineDocument,
  warm: number,
  rounds: number,
): Promise<number[]> {
  const { context, page } = await openEditor(browser, origin);
  try {
    await page.getByRole('button', { name: 'Pipelines' }).click();
    await page.getByLabel('Pipeline file').setInputFiles({
      name: `${doc.id}.quiver.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(doc)),
    });
    await waitForSteps(page, doc);
    const times: number[] = [];
    for (let i = 0; i < warm + rounds; i++) {
      const t = await timedRun(page, doc.steps.length);
      if (i >= warm) times.push(t);
    }
    return times;
  } finally {
    await context.close();
  }
}

/**
 * Bytes of the files of the step-output cache in the page's OPFS, once its writes (behind the
 * run) have landed: the same figure twice, a second apart (at most a minute).
 */
async function opfsCacheBytes(page: Page): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(1000);
    const bytes = await opfsBytesNow(page);
    if (bytes === last) break;
    last = bytes;
  }
  return last;
}

/** Bytes of the files of the step-output cache in the page's OPFS now. */
async function opfsBytesNow(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('step-cache', { create: true });
    let bytes = 0;
    const entries = dir as unknown as AsyncIterable<[string, FileSystemHandle]>;
    for await (const [, handle] of entries) {
      if (handle.kind === 'file') bytes += (await (handle as FileSystemFileHandle).getFile()).size;
    }
    return bytes;
  });
}

/** The warm loop of one example in the editor, ms (page clock). */
export interface WarmLoopTimes {
  /** Run after an edit of the filter's expression (source cached, the rest run). */
  changedMs: number;
  /** Run with nothing changed (every step cached). */
  unchangedMs: number;
  /** Reload → every step's status shown again from the cache (navigation start to the last). */
  reloadMs: number;
  /**
   * A params edit of the selected filter (its input cached) → its live preview shown (debounce
   * included).
   */
  previewMs: number;
}

/**
 * In a fresh page: opens example `doc`, runs it once (cold), then sets the expression of step
 * `filterId` to `expression` and runs again, runs once more with nothing changed, reloads
 * until every step's status is back, then edits the filter again and times its live preview.
 */
export async function warmLoopInEditor(
  browser: Browser,
  origin: string,
  doc: PipelineDocument,
  filterId: string,
  expression: string,
): Promise<WarmLoopTimes> {
  const { context, page } = await openEditor(browser, origin);
  try {
    await openRunAndSelect(page, doc, filterId);
    await page.getByRole('textbox', { name: 'Expression' }).waitFor();
    const edit = { label: 'Expression', value: expression };
    const changedMs = await timedRun(page, doc.steps.length, edit);
    const filterState = await page.getByTestId(`step-${filterId}`).getAttribute('class');
    if (!filterState?.includes('state-done'))
      throw new Error(`the edit did not reach the run: step ${filterId} is "${filterState}"`);
    const unchangedMs = await timedRun(page, doc.steps.length);
    await page.waitForTimeout(1000); // the cache's writes behind the runs
    await page.reload();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.step-node.state-cached').length === n,
      doc.steps.length,
      { polling: 'raf' },
    );
    const reloadMs = await page.evaluate(() => performance.now());
    // Live preview on the reloaded page (its inputs cached): the edit would spoil the reload.
    await page.getByTestId(`step-${filterId}`).click();
    const previewMs = await timedLivePreview(page, 'Expression', `${expression} + 1`);
    return { changedMs, unchangedMs, reloadMs, previewMs };
  } finally {
    await context.close();
  }
}

/**
 * In a fresh page: opens example `doc`, runs it, selects step `stepId` and resolves with the ms
 * from typing `value` into its text field `label` to its live preview shown.
 */
export async function livePreviewInEditor(
  browser: Browser,
  origin: string,
  doc: PipelineDocument,
  stepId: string,
  label: string,
  value: string,
): Promise<number> {
  const { context, page } = await openEditor(browser, origin);
  try {
    await openRunAndSelect(page, doc, stepId);
    return await timedLivePreview(page, label, value);
  } finally {
    await context.close();
  }
}

/**
 * Ms from typing `value` into the selected step's field `label` to its live preview shown (the
 * preview's run ended), timed in the page.
 */
async function timedLivePreview(page: Page, label: string, value: string): Promise<number> {
  const runs = Number(await page.locator('.canvas').getAttribute('data-runs'));
  const field = page.getByRole('textbox', { name: label });
  const t0 = await page.evaluate(() => performance.now());
  await field.fill(value);
  // The preview run's end: its preview events came before it.
  await page.waitForFunction(
    (n) => Number(document.querySelector('.canvas')?.getAttribute('data-runs')) > n,
    runs,
    { polling: 'raf' },
  );
  return page.evaluate((start) => performance.now() - start, t0);
}
