/**
 * The output table reads like a spreadsheet: numbers right-aligned in tabular figures and
 * shortened to 4 decimals with every digit on hover and copy, a "+N more columns" button when
 * columns lie beyond the right edge, downloads named after the pipeline and the step and
 * disabled until the step has output, and a first run that says what it waits for instead of
 * "running · 0 rows". Screenshots of the table after a run: desktop light, phone dark.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { stepNode, waitRunEnd } from './editor.helpers';
import { PHONE } from './helpers/phone';

/** The seattle-weather example's name, as a file name: its ":" is not allowed on Windows. */
const PIPELINE_FILE = 'Seattle weather warm days by weather';

/** Copies a screenshot where a reviewer looks at it, when QUIVER_SHOTS_DIR is set. */
function keep(path: string, name: string): void {
  const dir = process.env.QUIVER_SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, `${dir}/${name}`);
}

/** Starts recording every text a step's status line shows, from now on. */
async function recordStatusTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { statusTexts: Set<string> }).statusTexts = seen;
    const note = () => {
      for (const el of document.querySelectorAll('.node-status')) seen.add(el.textContent ?? '');
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

async function statusTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { statusTexts: Set<string> }).statusTexts]);
}

/** What the clipboard gets when the text of `cell` is selected and copied. */
async function copiedText(cell: Locator): Promise<string> {
  return cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    const data = new DataTransfer();
    el.dispatchEvent(
      new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }),
    );
    return data.getData('text/plain');
  });
}

test.describe('desktop, light', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });

  test('numbers, hidden columns, download names, disabled before output, loading words', async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    // Modules are compiled while a pipeline is open (warmRun); held back until Run is clicked,
    // the first run waits for them and says so.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/modules/*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);

    // Before any run the step has no output: nothing to download.
    await stepNode(page, 'sort').click();
    const output = page.getByRole('region', { name: 'Output' });
    for (const format of ['CSV', 'Parquet', 'Arrow']) {
      await expect(output.getByRole('button', { name: `Download ${format}` })).toBeDisabled();
    }

    // The first run says what each step waits for, never "running · 0 rows".
    await recordStatusTexts(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    release();
    await waitRunEnd(page);
    await expect(stepNode(page, 'sort')).toContainText('rows ·');
    const seen = await statusTexts(page);
    expect(seen, seen.join(' | ')).toContain('reading seattle-weather.csv…');
    expect(seen, seen.join(' | ')).toContain('loading module…');
    expect(seen.filter((t) => /running · 0 rows/.test(t))).toEqual([]);

    // Numbers right-aligned in tabular figures, shortened, every digit on hover and copy.
    const table = page.getByRole('table', { name: 'Output of sort' });
    await expect(table).toBeVisible();
    const header = table.getByRole('columnheader');
    await expect(header.locator('.col-name')).toHaveText([
      'weather',
      'days',
      'avg_temp_range',
      'total_precipitation',
    ]);
    const firstRow = table.getByRole('row').nth(1);
    const weather = firstRow.getByRole('cell').nth(0);
    const range = firstRow.getByRole('cell').nth(2);
    await expect(range).toHaveCSS('text-align', 'right');
    await expect(range).toHaveCSS('font-variant-numeric', 'tabular-nums');
    await expect(header.nth(2)).toHaveCSS('align-items', 'flex-end');
    await expect(weather).toHaveCSS('text-align', 'start');
    const full = (await range.getAttribute('title')) ?? '';
    const shown = (await range.textContent()) ?? '';
    expect(shown).toMatch(/^-?\d{1,3}(,\d{3})*(\.\d{1,4})?$/);
    expect(full.length).toBeGreaterThan(shown.length);
    expect(Number(shown.replace(/,/g, ''))).toBeCloseTo(Number(full), 4);
    expect(await copiedText(range)).toBe(full);
    await page.evaluate(() => document.getSelection()?.removeAllRanges());

    // Download: named after the pipeline and the step.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      output.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${PIPELINE_FILE} – sort.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('weather,days,avg_temp_range,total_precipitation');
    const shot = testInfo.outputPath('table-desktop-light.png');
    await page.screenshot({ path: shot });
    keep(shot, 'table-desktop-light.png');

    // The csv step's six columns do not fit: the hint counts the rest and scrolls to them.
    await stepNode(page, 'csv').click();
    const csvTable = page.getByRole('region', { name: 'Data of csv, scrollable' });
    await expect(page.getByRole('table', { name: 'Output of csv' })).toBeVisible();
    const more = output.getByRole('button', { name: /^\+\d+ more columns? →$/ });
    await expect(more).toBeVisible();
    const hidden = Number(/\d+/.exec((await more.textContent()) ?? '')?.[0]);
    const fits = Math.floor(((await csvTable.evaluate((el) => el.clientWidth)) + 2) / 140);
    expect(hidden).toBe(6 - fits);
    await more.click();
    await expect.poll(() => csvTable.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await expect(csvTable).toBeFocused();
    await expect(more).toBeHidden();
  });
});

test.describe('phone, dark', () => {
  test.use({
    serviceWorkers: 'block',
    ...PHONE,
    colorScheme: 'dark',
  });

  test('the table after a run: right-aligned numbers, more columns, scrolled by keys', async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    await page.getByRole('button', { name: 'Run', exact: true }).tap();
    await waitRunEnd(page);
    await expect(stepNode(page, 'sort')).toContainText('rows ·');
    await page.getByRole('button', { name: 'Inspector', exact: true }).tap();
    const table = page.getByRole('table', { name: 'Output of sort' });
    await expect(table).toBeVisible();
    const days = table.getByRole('row').nth(1).getByRole('cell').nth(1);
    await expect(days).toHaveCSS('text-align', 'right');
    const more = page.getByRole('button', { name: /^\+\d+ more columns? →$/ });
    await expect(more).toBeVisible();
    const region = page.getByRole('region', { name: 'Data of sort, scrollable' });
    await region.scrollIntoViewIfNeeded();
    const shot = testInfo.outputPath('table-phone-dark.png');
    await page.screenshot({ path: shot });
    keep(shot, 'table-phone-dark.png');
    // The grid is a tab stop: arrow keys scroll it.
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});
