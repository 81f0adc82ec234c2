// screenshots: every page type in both languages at 375 px and 1280 px wide,
// full page, into tests/browser/artifacts/ (kept by CI as artefacts).  Also
// fails when a page scrolls sideways (content wider than the viewport).
import path from 'node:path';
import { LANGS, pageTypes } from '../lib/pages.mjs';

async function shoot(ctx, width) {
  const page = await ctx.newPage({ width, height: width < 600 ? 740 : 900 });
  const wide = [];
  let n = 0;
  for (const lang of LANGS) {
    for (const { type, path: p } of await pageTypes(ctx.site, lang)) {
      await page.goto(ctx.server.url(p), { waitUntil: 'load' });
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      if (sw > width) wide.push(`${lang} ${type} (/help/${p}): ${sw} px wide`);
      await page.screenshot({ path: path.join(ctx.artifacts, `${width}-${lang}-${type}.png`), fullPage: true });
      n++;
    }
  }
  if (wide.length) throw new Error(`pages wider than ${width} px (horizontal scrolling):\n${wide.join('\n')}`);
  if (n < 16) throw new Error(`only ${n} screenshots`);
}

export const tests = [375, 1280].map((w) => ({
  name: `screenshots at ${w} px of every page type (fr, en), no horizontal scrolling`,
  fn: (ctx) => shoot(ctx, w),
  timeout: 90000,
}));
