/** A fresh browser context for one bench page. */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

/**
 * `browser.newContext(options)`, plus a no-op `__name` in its pages: tsx compiles the bench
 * with esbuild's keepNames, which wraps named functions in `__name(...)`, and `page.evaluate`
 * sends a function's source, helper calls included, to a page that lacks the helper.
 */
export async function newBenchContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}
