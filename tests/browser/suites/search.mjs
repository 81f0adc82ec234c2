// search: typed in the box of a page, the right article comes first; the
// keyboard reaches it; an empty result offers the questionnaire.  Skipped
// (not passed) when the theme has no search box.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/env.mjs';
import { Skip, eq, assert } from '../lib/harness.mjs';

// Read content/ for the expected first article: "isolation noyau" and
// "kernel": KVM (its title: "KVM : les machines virtuelles du noyau Linux" /
// "... powered by the Linux kernel"; its Isolation section: "isolation totale
// ... son propre noyau"); "conteneurs légers": LXC ("des environnements
// virtuels légers", "conteneurs"); "full virtualization": KVM (description).
const CASES = [
  { lang: 'fr', from: 'virtualisation/vps/', query: 'isolation noyau', first: 'virtualisation/kvm/' },
  { lang: 'fr', from: '', query: 'conteneurs légers', first: 'virtualisation/lxc/' },
  { lang: 'en', from: 'virtualisation/vps/', query: 'kernel', first: 'virtualisation/kvm/' },
  { lang: 'en', from: '', query: 'full virtualization', first: 'virtualisation/kvm/' },
];

async function searchBox(ctx, page) {
  if (!existsSync(path.join(ROOT, 'templates/partials/search.mustache'))) throw new Skip('no templates/partials/search.mustache');
  const input = page.locator('input[data-search]');
  if (!(await input.count())) throw new Skip('no input[data-search] on the page');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  return input;
}

async function firstResult(ctx, c) {
  const page = await ctx.newPage();
  await page.goto(ctx.server.url(`${c.lang}/${c.from}`));
  const input = await searchBox(ctx, page);
  await input.click();
  await input.pressSequentially(c.query, { delay: 20 });
  const first = page.locator('[data-search-result] a').first();
  await first.waitFor({ state: 'visible', timeout: 5000 })
    .catch(() => { throw new Error(`no [data-search-result] link for "${c.query}"`); });
  const want = ctx.server.url(`${c.lang}/${c.first}`);
  const got = await first.evaluate((a) => a.href);
  const all = await page.locator('[data-search-result] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  eq(got.replace(/#.*/, ''), want, `first result for "${c.query}" (all: ${all.join(', ')})`);
  // Keyboard: ArrowDown reaches the first result, Enter opens it.
  await input.press('ArrowDown');
  assert(await first.evaluate((a) => a === document.activeElement), 'ArrowDown did not focus the first result');
  await Promise.all([page.waitForURL((u) => u.href.replace(/#.*/, '') === want, { timeout: 5000 }), page.keyboard.press('Enter')]);
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

async function empty(ctx, lang) {
  const page = await ctx.newPage();
  await page.goto(ctx.server.url(`${lang}/virtualisation/`));
  const input = await searchBox(ctx, page);
  await input.fill('xyzzyqwv');
  const status = page.locator('[data-search-status]');
  await page.waitForFunction(() => document.querySelector('[data-search-status]').textContent.trim() !== '', null, { timeout: 5000 });
  eq(await page.locator('[data-search-result]').count(), 0, 'results for a word in no page');
  assert((await status.textContent()).includes('xyzzyqwv'), `the status does not name the query: "${await status.textContent()}"`);
  const q = ctx.server.url(`${lang}/decide/choose-virtualization/`);
  const hrefs = await page.locator('[data-search-results] a').evaluateAll((as) => as.map((a) => a.href));
  assert(hrefs.includes(q), `an empty result does not offer the questionnaire ${q} (links: ${hrefs.join(', ') || 'none'})`);
}

export const tests = [
  ...CASES.map((c) => ({ name: `search (${c.lang}): "${c.query}" puts ${c.first} first; arrow + Enter opens it`, fn: (ctx) => firstResult(ctx, c) })),
  ...['fr', 'en'].map((lang) => ({ name: `search (${lang}): an empty result says so and offers the questionnaire`, fn: (ctx) => empty(ctx, lang) })),
];
