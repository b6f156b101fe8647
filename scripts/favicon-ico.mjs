// web/static/favicon.svg → web/src/lib/assets/favicon.ico (16, 32 and 48 px PNGs in one ICO), which the route
// /favicon.ico serves to the clients that only ask for that. Renders in the Chromium the browser tests use
// (CHROMIUM_PATH, else Debian's /usr/bin/chromium); run it again after changing the SVG and commit both files.
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svgPath = new URL('../web/static/favicon.svg', import.meta.url);
const icoPath = new URL('../web/src/lib/assets/favicon.ico', import.meta.url);
const SIZES = [16, 32, 48];

const svg = readFileSync(svgPath, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
const pngs = [];
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}"></body></html>`);
    await page.waitForFunction(() => document.images[0]?.complete);
    pngs.push(await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    await page.close();
  }
} finally {
  await browser.close();
}

// ICO: a 6-byte header, a 16-byte directory entry per image, then the images; PNG payloads are allowed since Vista.
// https://en.wikipedia.org/wiki/ICO_(file_format)
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(pngs.length, 4);
let offset = 6 + 16 * pngs.length;
const entries = pngs.map((png, i) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(SIZES[i] % 256, 0);
  entry.writeUInt8(SIZES[i] % 256, 1);
  entry.writeUInt16LE(1, 4);
  entry.writeUInt16LE(32, 6);
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += png.length;
  return entry;
});
writeFileSync(icoPath, Buffer.concat([header, ...entries, ...pngs]));
console.log(`wrote ${icoPath.pathname} (${SIZES.join(', ')} px)`);
