/**
 * Installing a module the way a user does: "Add module…" in the palette, "From files" opens the
 * file chooser, the chosen `.wasm` (+ `.json`) goes to the install card, "Install".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';

/** The install card (or its refusal), whichever is open. */
export function installDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /Install module|Update module|Cannot install/ });
}

/** Opens "Add module…", chooses `files` in the file chooser; returns the card that opens. */
export async function chooseModuleFiles(page: Page, files: readonly string[]): Promise<Locator> {
  await page.getByRole('button', { name: 'Add module…' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByLabel('From files').click();
  await (await chooser).setFiles([...files]);
  const card = installDialog(page);
  await expect(card).toBeVisible();
  return card;
}

/** The hex sha256 of a file, as the install card shows it. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Installs the module in `files` through the card; checks the card showed `sha256`. */
export async function installThroughCard(
  page: Page,
  files: readonly string[],
  sha256: string,
): Promise<void> {
  const card = await chooseModuleFiles(page, files);
  await expect(card).toContainText(sha256);
  await card.getByRole('button', { name: 'Install', exact: true }).click();
  await expect(card).toBeHidden();
}
