/**
 * Rasterizes public/icons/quiver.svg into the PNG icons the web app manifest lists, using
 * Debian's Chromium through playwright-core (no image library needed). Run after changing
 * the SVG: `npx tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const iconsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const svg = readFileSync(path.join(iconsDir, 'quiver.svg'), 'utf8');
const svgUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

interface IconSpec {
  file: string;
  sizePx: number;
  /** Maskable icons fill the square with the theme colour and keep the logo in the safe
   * zone, a centred circle of 80% of the width (https://w3c.github.io/manifest/#icon-masks). */
  maskable: boolean;
}

const ICONS: IconSpec[] = [
  { file: 'icon-192.png', sizePx: 192, maskable: false },
  { file: 'icon-512.png', sizePx: 512, maskable: false },
  { file: 'icon-maskable-512.png', sizePx: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', sizePx: 180, maskable: true },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  for (const icon of ICONS) {
    await page.setViewportSize({ width: icon.sizePx, height: icon.sizePx });
    // The logo's square is inset 58% (a 0.8 × 0.8 circle holds a 0.566 square) when maskable.
    const logoPx = icon.maskable ? Math.round(icon.sizePx * 0.58) : icon.sizePx;
    await page.setContent(
      `<body style="margin:0;display:grid;place-items:center;width:${icon.sizePx}px;height:${icon.sizePx}px;` +
        `background:${icon.maskable ? '#1f3a5f' : 'transparent'}">` +
        `<img src="${svgUrl}" width="${logoPx}" height="${logoPx}"></body>`,
    );
    await page.screenshot({ path: path.join(iconsDir, icon.file), omitBackground: !icon.maskable });
    console.log(`wrote ${icon.file} (${icon.sizePx}px${icon.maskable ? ', maskable' : ''})`);
  }
} finally {
  await browser.close();
}
