/**
 * Measurements for the readable-view tests: rendered text size of steps, boxes of overlays,
 * edges against the canvas, and touch targets. They read the page as a user sees it (rendered
 * boxes and computed styles), so they hold whatever the app does internally.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { stepNode, zoomOf } from './editor.helpers';

/** A rendered box in page px. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** True when two boxes share some area (touching edges do not count). */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The rendered box of `locator`, failing the test when it is not rendered. */
export async function boxOf(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${String(locator)} is not rendered`);
  return b;
}

/**
 * The smallest on-screen size of any text in any step node (px): each element holding text,
 * its computed font size × the canvas zoom (React Flow scales the nodes with a transform).
 */
export async function smallestStepText(page: Page): Promise<number> {
  const zoom = await zoomOf(page);
  const sizes = await page.locator('.react-flow__node').evaluateAll((nodes) => {
    const out: number[] = [];
    for (const n of nodes) {
      const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent?.trim() || !t.parentElement) continue;
        out.push(parseFloat(getComputedStyle(t.parentElement).fontSize));
      }
    }
    return out;
  });
  expect(sizes.length).toBeGreaterThan(0);
  return Math.min(...sizes) * zoom;
}

/**
 * Wait until the canvas has stopped moving: the viewport transform is the same twice in a
 * row, 300 ms apart (React Flow animates fits and pans for 200 ms).
 */
export async function settled(page: Page): Promise<void> {
  const viewport = page.locator('.react-flow__viewport');
  let last = '';
  await expect
    .poll(
      async () => {
        const now = (await viewport.getAttribute('style')) ?? '';
        const same = now === last;
        last = now;
        return same;
      },
      { intervals: [300] },
    )
    .toBe(true);
}

/** Boxes of the links' drawn paths, with their ids. */
export async function edgeBoxes(page: Page): Promise<{ id: string; box: Box }[]> {
  return page.locator('.react-flow__edge').evaluateAll((edges) =>
    edges.map((e) => {
      const r = e.querySelector('.react-flow__edge-path')!.getBoundingClientRect();
      return {
        id: e.getAttribute('aria-label') ?? e.id,
        box: { x: r.x, y: r.y, width: r.width, height: r.height },
      };
    }),
  );
}

/** True when `inner` lies inside `outer`, give or take `slack` px (stroke widths). */
export function inside(inner: Box, outer: Box, slack = 2): boolean {
  return (
    inner.x >= outer.x - slack &&
    inner.y >= outer.y - slack &&
    inner.x + inner.width <= outer.x + outer.width + slack &&
    inner.y + inner.height <= outer.y + outer.height + slack
  );
}

/**
 * Every control a finger may touch that is on screen and not covered: buttons, links,
 * inputs, selects, textareas, summaries and port handles, with their rendered size.
 */
export async function touchTargets(
  page: Page,
): Promise<{ name: string; width: number; height: number }[]> {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], .react-flow__handle';
    const out: { name: string; width: number; height: number }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      // A checkbox or radio inside its label is toggled by a tap anywhere on the label.
      const label = el.matches('input[type=checkbox], input[type=radio]')
        ? el.closest('label')
        : null;
      const r = (label ?? el).getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const cx = r.x + r.width / 2;
      const cy = r.y + r.height / 2;
      if (cx < 0 || cy < 0 || cx > innerWidth || cy > innerHeight) continue;
      // Only what a tap at its centre reaches: not hidden under a sheet or off-screen panel.
      const top = document.elementFromPoint(cx, cy);
      const target = label ?? el;
      if (!top || !(target === top || target.contains(top) || top.contains(target))) continue;
      const name =
        el.getAttribute('aria-label') ??
        el.textContent?.trim().slice(0, 30) ??
        el.getAttribute('name') ??
        el.tagName;
      out.push({ name: `${el.tagName.toLowerCase()} ${name}`, width: r.width, height: r.height });
    }
    return out;
  });
}

/**
 * Waits until the seattle-weather example has been arranged top to bottom for a phone (its
 * sort step below its source): the phone layout comes after the first paint.
 */
export async function phoneArranged(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const a = await stepNode(page, 'source').boundingBox();
      const b = await stepNode(page, 'sort').boundingBox();
      return a && b ? b.y - a.y : 0;
    })
    .toBeGreaterThan(0);
}
