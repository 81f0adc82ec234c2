// nested: sections inside sections (issue 18) on a tree this suite writes
// (three levels in English and French, a sibling branch, another category,
// and a category of 500 articles), built under /help/ and served beside the
// shipped site: axe-core on the section pages of every level and an
// article, with JavaScript and as the no-JavaScript markup, wide and narrow;
// the sidebar without JavaScript (the Menu <details> opens, the current
// branch is open, the current page marked) and by keyboard; previous / next;
// the breadcrumbs' JSON-LD; the root 404 sending a reader to their
// language's 404; the weight of an article among 500; HTML validity.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, phare, startServer } from '../lib/env.mjs';
import { assert, eq } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SECTIONS = ['en/cloud/', 'en/cloud/vps/', 'en/cloud/vps/network/', 'fr/cloud/vps/network/'];
const ARTICLE = 'en/cloud/vps/network/firewall/';
const BIG = 'en/big/part/a250/';

function md(title, body = 'Text.', extra = '') {
  return `---\ntitle: ${title}\n${extra}---\n${body}\n`;
}

function tree() {
  const t = {
    'site.yaml': 'title: { en: Help, fr: Aide }\ndefault_language: en\nlanguages:\n'
      + '  - { code: en, name: English }\n  - { code: fr, name: Français }\nmissing_translation: fallback\n',
    'en/cloud/_index.md': md('Cloud', 'Everything cloud.', 'description: Our cloud offers\nweight: 1\n'),
    'en/cloud/vps/_index.md': md('Virtual private servers', '', 'description: VPS guides\n'),
    'en/cloud/vps/start.md': md('Start a VPS', 'Then [IPv6](network/ipv6.md#steps).'),
    'en/cloud/vps/network/_index.md': md('Network', '', 'description: Addresses and filtering\n'),
    'en/cloud/vps/network/ipv6.md': md('Configure IPv6', '## Steps\n\nSee [the firewall](firewall.md).', 'weight: 1\n'),
    'en/cloud/vps/network/firewall.md': md('Firewall', 'Back to [start](../start.md).', 'weight: 2\naliases: [/en/old/firewall/]\n'),
    'en/cloud/vps/network/dns.md': md('DNS', 'Names.', 'weight: 3\n'),
    'en/cloud/storage/_index.md': md('Storage'),
    'en/cloud/storage/backup.md': md('Backups'),
    'en/account/billing.md': md('Billing', 'See [IPv6](../cloud/vps/network/ipv6.md#steps).'),
    'fr/cloud/_index.md': md('Cloud', '', 'weight: 1\n'),
    'fr/cloud/vps/_index.md': md('Serveurs privés virtuels'),
    'fr/cloud/vps/network/_index.md': md('Réseau'),
    'fr/cloud/vps/network/ipv6.md': md('Configurer IPv6', '## Étapes {#steps}\n\nVoir [le pare-feu](firewall.md).'),
    'en/big/_index.md': md('Big', '', 'weight: 9\n'),
    'en/big/part/_index.md': md('Part'),
  };
  for (let i = 0; i < 500; i++) {
    const n = String(i).padStart(3, '0');
    t[`en/big/part/a${n}.md`] = md(`A long enough article title number ${n}`, 'Body.', `weight: ${i}\n`);
  }
  return t;
}

let served = null;
async function site(ctx) {
  if (served) return served;
  const src = path.join(ctx.tmp, 'nested-src');
  for (const [rel, text] of Object.entries(tree())) {
    const p = path.join(src, 'content', rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  const out = path.join(ctx.tmp, 'nested-site');
  await phare(['build', '--source', src, '--out', out, '--base-url', '/help/', '--quiet']);
  const server = await startServer(out, ctx.collector.port);
  ctx.origins.push(server.origin);
  served = { out, server };
  const close = ctx.server.close;
  ctx.server.close = async () => { await server.close(); return close(); };
  return served;
}

async function open(ctx, p, opts = {}) {
  const { server } = await site(ctx);
  const page = await ctx.newPage(opts);
  const res = await page.goto(server.url(p));
  eq(res.status(), 200, `status of ${p}`);
  await page.waitForLoadState('load');
  return page;
}

async function axe(ctx, page) {
  await page.addScriptTag({ path: ctx.axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
}

async function a11y(ctx, js, width) {
  const problems = [];
  for (const p of [...SECTIONS, ARTICLE]) {
    const page = await open(ctx, p, { blockScripts: !js, width });
    problems.push(...(await axe(ctx, page)).map((x) => `${p}: ${x}`));
    // every fold open too: the whole sidebar as a reader may show it
    await page.evaluate(() => document.querySelectorAll('[data-sidebar] details').forEach((d) => { d.open = true; }));
    problems.push(...(await axe(ctx, page)).map((x) => `${p} [all open]: ${x}`));
    assert(!page.errors.length, `${p}: page errors: ${page.errors.join('; ')}`);
    await page.context().close();
  }
  if (problems.length) throw new Error(`${problems.length} violation(s):\n${problems.join('\n')}`);
}

function sidebarState(page) {
  return page.evaluate(() => {
    const menu = document.querySelector('[data-sidebar] [data-sidebar-menu]');
    const cur = document.querySelector('[data-sidebar] [aria-current="page"]');
    return {
      menuOpen: menu.open,
      summaryShown: menu.querySelector(':scope > summary').checkVisibility(),
      current: cur && cur.getAttribute('href'),
      currentShown: !!cur && cur.checkVisibility(),
      open: [...document.querySelectorAll('[data-sidebar-menu] details[open] > summary')].map((s) => s.textContent),
      folded: [...document.querySelectorAll('[data-sidebar-menu] details:not([open]) > summary')].map((s) => s.textContent),
    };
  });
}

async function noScript(ctx) {
  for (const width of [390, 1280]) {
    const page = await open(ctx, ARTICLE, { js: false, width });
    let s = await sidebarState(page);
    eq(s.menuOpen, false, `menu folded without JavaScript (${width}px)`);
    assert(s.summaryShown, `the Menu button shows without JavaScript (${width}px)`);
    eq(s.currentShown, false, 'current link hidden while the menu is folded');
    await page.click('[data-sidebar-menu] > summary');
    s = await sidebarState(page);
    eq(s.menuOpen, true, 'menu opened by a click without JavaScript');
    eq(s.current, '/help/en/cloud/vps/network/firewall/', 'the current page');
    assert(s.currentShown, 'the current page shows once the menu is open');
    eq(s.open.join('|'), 'Virtual private servers|Network', 'the current branch is open (under the category, a link)');
    eq(s.folded.join('|'), 'Storage', 'the sibling branch is folded');
    await page.context().close();
  }
}

async function withScript(ctx) {
  let page = await open(ctx, ARTICLE, { width: 1280 });
  let s = await sidebarState(page);
  eq(s.menuOpen, true, 'wide screen: the sidebar is open');
  eq(s.summaryShown, false, 'wide screen: no Menu button');
  assert(s.currentShown, 'wide screen: the current page shows');
  await page.context().close();
  page = await open(ctx, ARTICLE, { width: 390 });
  s = await sidebarState(page);
  eq(s.menuOpen, false, 'narrow screen: the sidebar is behind the Menu button');
  assert(s.summaryShown, 'narrow screen: the Menu button shows');
  await page.context().close();
}

async function keyboard(ctx) {
  const page = await open(ctx, ARTICLE, { width: 390 });
  // from the top of the page, Tab reaches the Menu button
  let found = false;
  for (let i = 0; i < 30 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.matches('[data-sidebar-menu] > summary'));
  }
  assert(found, 'Tab never reached the Menu button');
  await page.keyboard.press('Enter');
  eq((await sidebarState(page)).menuOpen, true, 'Enter opens the menu');
  // Tab goes on into the tree, to the current page
  let at = '';
  for (let i = 0; i < 20 && at !== 'current'; i++) {
    await page.keyboard.press('Tab');
    at = await page.evaluate(() => (document.activeElement.getAttribute('aria-current') === 'page' ? 'current' : document.activeElement.textContent));
  }
  eq(at, 'current', 'Tab reaches the current page in the tree');
  // a folded branch opens with the keyboard too
  await page.focus('[data-sidebar-menu] details:not([open]) > summary');
  await page.keyboard.press('Space');
  eq((await sidebarState(page)).folded.length, 0, 'Space opens the folded branch');
  await page.keyboard.press('Enter');
  eq((await sidebarState(page)).folded.join(), 'Storage', 'Enter folds it again');
  await page.keyboard.press('Escape');
}

async function pager(ctx) {
  const page = await open(ctx, 'en/cloud/vps/network/ipv6/');
  eq(await page.locator('a[rel=prev]').count(), 0, 'no previous on the first article');
  eq((await page.locator('a[rel=next]').textContent()).replace(/\s+/g, ' ').trim(), 'Next Firewall', 'next link text');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
  eq(new URL(page.url()).pathname, '/help/en/cloud/vps/network/firewall/', 'next goes to the firewall');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
  eq(new URL(page.url()).pathname, '/help/en/cloud/vps/network/dns/', 'then to DNS');
  eq(await page.locator('a[rel=next]').count(), 0, 'no next on the last article');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=prev]')]);
  eq(new URL(page.url()).pathname, '/help/en/cloud/vps/network/firewall/', 'previous comes back');
  // fr: the translation has no weight, so it comes after the (weighted) fallbacks
  const fr = await open(ctx, 'fr/cloud/vps/network/ipv6/');
  eq((await fr.locator('a[rel=prev]').textContent()).replace(/\s+/g, ' ').trim(), 'Précédent DNS', 'the French label');
}

async function jsonLd(ctx) {
  const page = await open(ctx, ARTICLE);
  const ld = await page.evaluate(() => JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent));
  eq(ld['@type'], 'BreadcrumbList', 'type');
  eq(ld.itemListElement.map((i) => i.name).join('|'), 'Home|Cloud|Virtual private servers|Network|Firewall', 'names');
  eq(ld.itemListElement.map((i) => i.position).join(), '1,2,3,4,5', 'positions');
  const visible = await page.$$eval('.breadcrumbs a', (as) => as.map((a) => a.getAttribute('href')));
  eq(visible.join(' '), '/help/en/ /help/en/cloud/ /help/en/cloud/vps/ /help/en/cloud/vps/network/', 'visible trail');
}

async function notFound(ctx) {
  const { server } = await site(ctx);
  const page = await ctx.newPage();
  const res = await page.goto(server.url('fr/nulle/part/'));
  eq(res.status(), 404, 'status');
  await page.waitForURL(/\/help\/fr\/404\.html$/, { timeout: 5000 });
  eq(await page.getAttribute('html', 'lang'), 'fr', 'the French 404');
  const noJs = await ctx.newPage({ js: false });
  await noJs.goto(server.url('en/nowhere/'));
  const homes = await noJs.$$eval('[data-not-found] a', (as) => as.map((a) => a.getAttribute('href')));
  eq(homes.join(' '), '/help/en/ /help/fr/', 'without JavaScript every language home is linked');
}

async function alias(ctx) {
  const { server } = await site(ctx);
  const page = await ctx.newPage();
  await page.goto(server.url('en/old/firewall/'));
  await page.waitForURL(/\/help\/en\/cloud\/vps\/network\/firewall\/$/, { timeout: 5000 });
}

async function searchTrail(ctx) {
  const page = await open(ctx, 'en/');
  const input = page.locator('input[data-search]');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.click();
  await input.pressSequentially('firewall', { delay: 20 });
  const first = page.locator('[data-search-result]').first();
  await first.waitFor({ state: 'visible', timeout: 5000 });
  eq(await first.locator('a').getAttribute('href'), '/help/en/cloud/vps/network/firewall/', 'first hit');
  eq((await first.locator('.search-section').textContent()).trim(), 'Cloud › Virtual private servers › Network',
    'the hit\'s trail');
}

async function weight(ctx) {
  const page = await ctx.newPage();
  const seen = [];
  page.on('requestfinished', (r) => seen.push(r));
  await page.goto((await site(ctx)).server.url(BIG), { waitUntil: 'load' });
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
  let total = 0;
  const parts = [];
  for (const r of seen) {
    if (/\/search\/[^/]*$/.test(new URL(r.url()).pathname)) continue;
    const res = await r.response();
    if (!res || res.status() >= 400) continue;
    const size = (await r.sizes()).responseBodySize;
    total += size;
    parts.push(`${new URL(r.url()).pathname.split('/').pop() || 'index.html'} ${size}`);
  }
  const links = await page.$$eval('[data-sidebar] a', (as) => as.length);
  assert(links < 40, `the sidebar holds ${links} links for a section of 500`);
  console.log(`  # ${BIG} (500 articles in its section): ${total} B (${parts.join(', ')})`);
  assert(total <= 30 * 1024, `${BIG}: ${total} bytes > 30 KB: ${parts.join(', ')}`);
}

async function validity(ctx) {
  const { out } = await site(ctx);
  const { HtmlValidate } = require('html-validate');
  const hv = new HtmlValidate(JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8')));
  const errors = [];
  const files = [...SECTIONS, ARTICLE, BIG, 'en/', 'en/big/part/', 'en/old/firewall/'].map((p) => path.join(p, 'index.html'));
  for (const f of [...files, '404.html', 'en/404.html', 'fr/404.html']) {
    const report = await hv.validateFile(path.join(out, f));
    for (const r of report.results)
      for (const m of r.messages) if (m.severity === 2) errors.push(`${f}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
  }
  if (errors.length) throw new Error(errors.join('\n'));
}

export const tests = [
  ...[true, false].flatMap((js) => [1280, 390].map((width) => ({
    name: `nested: axe-core WCAG 2.1 A/AA on section pages at each level and an article (${js ? 'with JavaScript' : 'no-JavaScript markup'}, ${width}px), zero violations`,
    fn: (ctx) => a11y(ctx, js, width),
    timeout: 120000,
  }))),
  { name: 'nested: without JavaScript the Menu opens on a click, the current branch open, siblings folded', fn: noScript },
  { name: 'nested: with JavaScript the sidebar is open on wide screens, behind Menu on narrow ones', fn: withScript },
  { name: 'nested: the Menu and the tree by keyboard (Tab, Enter, Space)', fn: keyboard },
  { name: 'nested: previous / next within the section, labels localized', fn: pager },
  { name: 'nested: breadcrumbs JSON-LD parses as a BreadcrumbList of every ancestor', fn: jsonLd },
  { name: 'nested: the root 404 sends a reader to their language\'s 404; without JavaScript it links every home', fn: notFound },
  { name: 'nested: an alias redirects to the article', fn: alias },
  { name: 'nested: a search hit shows its trail (Category › Section › Sub-section)', fn: searchTrail },
  { name: 'nested: an article among 500 in its section + CSS + scripts <= 30 KB', fn: weight },
  { name: 'nested: html-validate finds no error on nested pages, aliases and 404s', fn: validity },
];
