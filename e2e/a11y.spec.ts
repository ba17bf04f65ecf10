/**
 * Accessibility: axe-core (the rules of WCAG 2.x A/AA and axe's best practices) finds no serious
 * or critical violation on the editor's main screens — the example as it opens, after a run with
 * its output table, a step in the inspector, the palette, the pipelines dialog and an empty
 * canvas — on a desktop and on a phone, in the light and the dark theme (one page per device, each
 * screen checked in both themes). A failure lists each violation with the elements it concerns.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { stepNode, waitRunEnd } from './editor.helpers';

/** Impacts that fail the test; "moderate" and "minor" ones are reported by axe but allowed. */
const FAILING = new Set(['serious', 'critical']);

/** The serious and critical violations on the page as it is now, one readable block each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => FAILING.has(v.impact ?? ''))
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map(
          (n) =>
            `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} elements)\n    ${v.helpUrl}\n${nodes}${more}`;
    });
}

/**
 * Fails (softly: the test goes on to the next screen) with every serious or critical violation
 * of `screen`, printed readably.
 */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const found = await seriousViolations(page);
  expect.soft(found.length, `axe on "${screen}":\n${found.join('\n\n')}\n`).toBe(0);
}

const SCREENS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
] as const;

for (const screen of SCREENS) {
  test.describe(screen.name, () => {
    test.use({
      serviceWorkers: 'block',
      viewport: screen.viewport,
      ...(screen.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });

    // One page per device: each screen is reached once, then checked in both themes (the
    // theme follows prefers-color-scheme, which emulateMedia switches in place).
    test('no serious or critical axe violation on the main screens, light and dark', async ({
      page,
    }) => {
      test.setTimeout(240_000);
      const click = (name: string) =>
        screen.phone
          ? page.getByRole('button', { name, exact: true }).tap()
          : page.getByRole('button', { name, exact: true }).click();
      const inBothThemes = async (name: string) => {
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          // React Flow's root takes the theme's class once the editor has re-rendered in it.
          await expect(page.locator('.react-flow').first()).toHaveClass(
            new RegExp(`\\b${colorScheme}\\b`),
          );
          await expectAccessible(page, `${name}, ${colorScheme}`);
        }
      };

      await page.goto('/');
      await expect(page.locator('.react-flow__node')).toHaveCount(6);
      await inBothThemes('example open');

      await click('Run');
      await waitRunEnd(page);
      await expect(stepNode(page, 'sort')).toContainText('rows ·');
      if (screen.phone) await click('Inspector');
      await expect(page.getByRole('table', { name: 'Output of sort' })).toBeVisible();
      await inBothThemes('after a run, output table');

      if (screen.phone) {
        // After the run the phone shows the final step; a tap on the empty canvas clears the
        // selection, and Fit View then shows the pipeline's first steps (at a readable zoom).
        await click('Close details');
        await page.locator('.react-flow__pane').tap({ position: { x: 370, y: 400 } });
        await expect(page.locator('.step-node.selected')).toHaveCount(0);
        await page.locator('.react-flow__controls-fitview').tap();
        await stepNode(page, 'filter').tap();
        await click('Inspector');
      } else await stepNode(page, 'filter').click();
      // The inspector is headed by the step's name, made from its expression.
      await expect(page.getByRole('heading', { name: 'temp_max > 15' })).toBeVisible();
      await inBothThemes('inspector open');

      if (screen.phone) {
        await click('Close details');
        await click('Steps palette');
      }
      await expect(page.getByRole('button', { name: /^Add / }).first()).toBeVisible();
      await inBothThemes('palette');
      if (screen.phone) await click('Steps palette');

      await click('Pipelines');
      await expect(page.getByRole('dialog', { name: 'Pipelines' })).toBeVisible();
      await inBothThemes('pipelines dialog');

      await page.getByRole('button', { name: 'New pipeline' }).click();
      await expect(page.locator('.react-flow__node')).toHaveCount(0);
      await inBothThemes('empty canvas');
    });
  });
}

test.describe('keyboard', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });

  test('Tab reaches a step, which shows a focus ring, and its ports, which Enter picks', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    const onStep = () =>
      page.evaluate(() => document.activeElement?.classList.contains('react-flow__node'));
    for (let i = 0; i < 200 && !(await onStep()); i += 1) await page.keyboard.press('Tab');
    const ring = page.locator('.react-flow__node:focus-visible > .step-node');
    await expect(ring).toHaveCSS('outline-style', 'solid');
    await expect(ring).toHaveCSS('outline-width', '3px');

    // The step's first port is the next tab stop; Enter picks it as a tap does.
    await page.keyboard.press('Tab');
    const port = page.locator('.port-handle:focus');
    await expect(port).toHaveAttribute('role', 'button');
    await expect(port).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('Enter');
    await expect(port).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByText(/^Now tap an (input|output) port to connect/)).toBeVisible();
  });
});
