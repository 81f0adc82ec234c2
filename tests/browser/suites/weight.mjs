// weight: each article page with its CSS and scripts weighs at most 30 KB
// uncompressed (search index files excluded), every request on the site.
import { LANGS } from '../lib/pages.mjs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { assert } from '../lib/harness.mjs';

const LIMIT = 30 * 1024;
const isSearchIndex = (u) => /\/search\/[^/]*$/.test(new URL(u).pathname);

async function articles(site, lang) {
  const dir = path.join(site, lang, 'virtualisation');
  const out = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true }))
    if (e.isDirectory()) out.push(`${lang}/virtualisation/${e.name}/`);
  return out.sort();
}

async function weigh(ctx, lang) {
  const report = [];
  const over = [];
  for (const p of await articles(ctx.site, lang)) {
    const page = await ctx.newPage();
    const seen = [];
    page.on('requestfinished', (req) => seen.push(req));
    await page.goto(ctx.server.url(p), { waitUntil: 'load' });
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    let total = 0;
    const parts = [];
    const outside = [];
    for (const req of seen) {
      const url = req.url();
      if (!url.startsWith(ctx.server.origin + '/')) { outside.push(url); continue; }
      if (isSearchIndex(url)) continue;
      const res = await req.response();
      if (!res || res.status() >= 400) continue;   // e.g. /favicon.ico: 404, nothing to download
      const size = (await req.sizes()).responseBodySize;
      total += size;
      parts.push(`${new URL(url).pathname.split('/').pop() || 'index.html'} ${size}`);
    }
    assert(!outside.length, `${p} requested outside the site: ${outside.join(', ')}`);
    assert(parts.some((x) => x.endsWith('.css ' + x.split(' ')[1])) || parts.some((x) => /\.css /.test(x)), `${p}: no stylesheet loaded (${parts.join(', ')})`);
    report.push(`${p}: ${total} B (${parts.join(', ')})`);
    if (total > LIMIT) over.push(`${p}: ${total} bytes > ${LIMIT}: ${parts.join(', ')}`);
    await ctx.closeContexts();
  }
  assert(report.length >= 4, `only ${report.length} articles weighed`);
  if (over.length) throw new Error(over.join('\n'));
  console.log(report.map((r) => `  # ${r}`).join('\n'));
}

export const tests = LANGS.map((lang) => ({
  name: `weight (${lang}): every article page + CSS + scripts <= 30 KB, no request outside the site`,
  fn: (ctx) => weigh(ctx, lang),
}));
