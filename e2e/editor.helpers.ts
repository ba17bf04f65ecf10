/** Page helpers for the editor's e2e tests: canvas gestures, preview tables, DuckDB oracle. */
import { expect, type Locator, type Page } from '@playwright/test';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';

/** vega-datasets' data directory: the same files the app serves under /samples/. */
export const SAMPLES_DIR = path.resolve('node_modules/vega-datasets/data');

/** The node of step `stepId` on the canvas. */
export function stepNode(page: Page, stepId: string): Locator {
  return page.getByTestId(`step-${stepId}`);
}

/** A port handle, by its accessible name (`output out of csv-1`). */
export function port(page: Page, kind: 'input' | 'output', name: string, stepId: string): Locator {
  return page.getByLabel(`${kind} ${name} of ${stepId}`, { exact: true });
}

/** Drag a connection from an output handle to an input handle with the mouse. */
export async function dragConnect(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drag a palette item onto the canvas at (x, y) in page coordinates (HTML5 drag and drop). */
export async function dragFromPalette(page: Page, name: string, x: number, y: number) {
  await page
    .getByRole('button', { name: `Add ${name}` })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Number of edges on the canvas. */
export function edges(page: Page): Locator {
  return page.locator('.react-flow__edge');
}

/**
 * The rows of a step's output preview, header first: each cell's full value (`data-full`, every
 * digit, as copied; the cell shows a shortened number), `∅` for null. Reads only what is
 * rendered, so use it for small outputs (the table is virtualized).
 */
export async function previewRows(page: Page, stepId: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Output of ${stepId}` });
  await expect(table).toBeVisible();
  const header = await table.getByRole('columnheader').locator('.col-name').allTextContents();
  const rows = await table.getByRole('row').all();
  const out: string[][] = [header];
  for (const r of rows.slice(1)) {
    const cells = r.getByRole('cell');
    out.push(
      await cells.evaluateAll((els) =>
        els.map((el) =>
          el.classList.contains('null') ? '∅' : ((el as HTMLElement).dataset.full ?? ''),
        ),
      ),
    );
  }
  return out;
}

/** Run `sql` in an in-memory DuckDB and return rows as JSON-able objects. */
export async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

/** Compare a preview cell with an oracle value: numbers within a relative 1e-9, else text. */
export function sameValue(cell: string, expected: unknown): boolean {
  if (expected === null || expected === undefined) return cell === '∅';
  const n = Number(expected);
  if (
    typeof expected === 'number' ||
    (typeof expected === 'string' && /^-?\d+(\.\d+)?$/.test(expected))
  ) {
    const c = Number(cell);
    return Math.abs(c - n) <= 1e-9 * Math.max(1, Math.abs(n));
  }
  return cell === String(expected);
}

/** Wait until the run has ended (the Run button is back). */
export async function waitRunEnd(page: Page, timeoutMs = 60_000): Promise<void> {
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible({
    timeout: timeoutMs,
  });
}

/** The canvas zoom, read from React Flow's viewport transform (`... scale(z)`). */
export async function zoomOf(page: Page): Promise<number> {
  const t = await page.locator('.react-flow__viewport').getAttribute('style');
  const m = /scale\(([\d.]+)\)/.exec(t ?? '');
  if (!m) throw new Error(`no zoom in viewport style: ${t}`);
  return Number(m[1]);
}
