/**
 * Words for people (issue 14, point 5), on the built app: the parameters form labels list
 * items in words and shows a problem once at its field (a count on the node, a line in the
 * toolbar's Problems list), with accessible names free of the required mark; SQL spellings in
 * a filter run and agree with DuckDB; an unclosed call is reported at its end; a runtime error
 * names the input row and the value. Screenshots: inspector with an error, desktop light; the
 * runtime error, desktop dark; phone dark.
 */
import { expect, test, type Page } from '@playwright/test';
import { SAMPLES_DIR, duckdb, stepNode, waitRunEnd } from './editor.helpers';
import { PHONE } from './helpers/phone';

test.use({ serviceWorkers: 'block' });

const inspector = (page: Page) => page.locator('div.inspector');

/** Selects step `id` of the example the app opens on (retried: fit-view may eat a click). */
async function select(page: Page, id: string): Promise<void> {
  await expect(async () => {
    await stepNode(page, id).click();
    await expect(stepNode(page, id)).toHaveClass(/selected/, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** The filter's expression field, emptied and filled with `text`. */
async function typeExpression(page: Page, text: string): Promise<void> {
  const field = inspector(page).getByRole('textbox', { name: 'Expression' });
  await field.fill(text);
}

test.describe('desktop, light', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });

  test('the form speaks in words and shows a problem once', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    // Steps are named from their params; their ids stay.
    await expect(stepNode(page, 'filter')).toContainText('temp_max > 15');
    await expect(stepNode(page, 'aggregate')).toContainText('by weather');
    await expect(stepNode(page, 'sort')).toContainText('sort by days ↓');

    await select(page, 'sort');
    const form = inspector(page).getByRole('region', { name: 'Parameters' });
    // rjsf would say "Sort keys-1"; the required mark (*) is seen but not part of the name.
    const keys = form.getByRole('group', { name: 'Sort keys', exact: true });
    await expect(keys).toBeVisible();
    await expect(keys.locator(':scope > legend > .required')).toHaveText('*');
    await expect(form.getByRole('group', { name: 'Sort key 1', exact: true })).toBeVisible();
    await form.getByRole('button', { name: /add/i }).click();
    await expect(form.getByRole('group', { name: 'Sort key 2', exact: true })).toBeVisible();

    // The new key has no column: one message, at its field, in words.
    const message = 'Choose a column to sort by';
    await expect(inspector(page).getByText(message)).toHaveCount(1);
    const text = await inspector(page).innerText();
    expect(text).not.toMatch(/-\d\*|must have|must be string|\/keys\/\d|required property/);
    // The node shows a count, not the message (it stays as tall as before).
    const badge = stepNode(page, 'sort').locator('.step-badge');
    await expect(badge).toHaveText('⚠ 1');
    await expect(stepNode(page, 'sort')).not.toContainText(message);
    // The toolbar lists it with the step's name and the field's place.
    await page.getByRole('button', { name: '⚠ 1 problem' }).click();
    await expect(page.getByRole('list', { name: 'Problems' })).toContainText(
      `sort by days ↓Sort key 2: ${message}`,
    );
    await page.screenshot({ path: testInfo.outputPath('desktop-light-inspector-error.png') });
  });

  test('SQL spellings run and agree with DuckDB; an unclosed call points at its end', async ({
    page,
  }) => {
    await page.goto('/');
    await select(page, 'filter');
    await typeExpression(page, 'round(temp_max');
    const status = inspector(page).getByRole('status').filter({ hasText: 'not closed' });
    // "round(temp_max" is 14 characters: the ")" is missing at column 15, not at the "(".
    await expect(status).toContainText('round( is not closed: expected "," or ")" at 1:15');

    await typeExpression(page, "temp_max = 15 AND weather = 'sun'");
    await expect(inspector(page).getByText('✓ valid, gives bool')).toBeVisible();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitRunEnd(page);
    const [row] = await duckdb(
      `SELECT count(*)::INTEGER AS n FROM read_csv('${SAMPLES_DIR}/seattle-weather.csv')
       WHERE temp_max = 15 AND weather = 'sun'`,
    );
    const n = Number(row!.n);
    expect(n).toBeGreaterThan(0);
    await expect(stepNode(page, 'filter').locator('.node-status')).toContainText(`${n} rows`);
  });
});

test.describe('desktop, dark', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });

  test('a runtime error names the input row and the value DuckDB finds', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await select(page, 'filter');
    await typeExpression(page, 'sqrt(temp_min) > 1');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitRunEnd(page);
    const [first] = await duckdb(
      `SELECT n::INTEGER AS n, temp_min FROM (SELECT row_number() OVER () AS n, temp_min
       FROM read_csv('${SAMPLES_DIR}/seattle-weather.csv')) WHERE temp_min < 0 ORDER BY n LIMIT 1`,
    );
    const words = `row ${Number(first!.n)} of the input: sqrt of a negative number (${String(first!.temp_min)}) in \`sqrt(temp_min) > 1\``;
    await expect(page.getByText(words).first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('desktop-dark-runtime-error.png') });
  });
});

test.describe('phone, dark', () => {
  test.use({
    ...PHONE,
    colorScheme: 'dark',
  });

  test('the CSV reader: empty list item shown as such, a bad number in words', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    await expect(async () => {
      await stepNode(page, 'csv').tap();
      await expect(stepNode(page, 'csv')).toHaveClass(/selected/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Inspector' }).tap();
    // The first null token is the empty string: a placeholder says so.
    const first = inspector(page).getByRole('textbox', { name: /^Null token 1/ });
    await expect(first).toHaveValue('');
    await expect(first).toHaveAttribute('placeholder', '(empty)');
    const rows = inspector(page).getByRole('spinbutton', { name: /^Rows sampled/ });
    await rows.fill('-5');
    const message = 'Rows sampled for type inference must be at least 0';
    await expect(inspector(page).getByText(message)).toHaveCount(1);
    await expect(stepNode(page, 'csv').locator('.step-badge')).toHaveText('⚠ 1');
    await inspector(page).getByText(message).scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('phone-dark-inspector-error.png') });
  });
});
