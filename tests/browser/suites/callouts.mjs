// callouts: notices and tabs (generator/render/callout.h) on a page of
// fixtures/callouts/ (every kind, titled, foldable, a site's own name, two
// tab groups; a second page with tabs), built and served beside the shipped
// site: axe-core with JavaScript on and as the no-JavaScript markup, light
// and dark; without JavaScript every panel shows under its label and a
// closed notice opens; tabs by keyboard (arrows move and select, focus
// follows, Home/End, roving tabindex); a choice follows the reader to the
// other group, after a reload and on another page; a link into a hidden
// panel shows it; the page's weight; HTML validity.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, phare, startServer } from '../lib/env.mjs';
import { assert, eq } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const FIXTURE = path.join(ROOT, 'tests/browser/fixtures/callouts');
const PAGE = 'en/guides/notices/';
const OTHER = 'en/guides/other/';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const KINDS = ['note', 'tip', 'important', 'warning', 'caution'];

let served = null;
async function site(ctx) {
  if (served) return served;
  const out = path.join(ctx.tmp, 'callouts-site');
  // --no-cache: the fixture is committed; no build cache is written into it
  await phare(['build', '--source', FIXTURE, '--out', out, '--base-url', '/help/', '--quiet', '--no-cache']);
  const server = await startServer(out, ctx.collector.port);
  ctx.origins.push(server.origin); // its requests stay on the machine too
  served = { out, server };
  const close = ctx.server.close;
  ctx.server.close = async () => { await server.close(); return close(); }; // closed with the run's own
  return served;
}

async function axe(ctx, page) {
  await page.addScriptTag({ path: ctx.axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
}

async function open(ctx, p, opts = {}) {
  const { server } = await site(ctx);
  const page = await ctx.newPage(opts);
  const res = await page.goto(server.url(p));
  eq(res.status(), 200, `status of ${p}`);
  await page.waitForLoadState('load');
  return page;
}

async function a11y(ctx, js, colorScheme) {
  const page = await open(ctx, PAGE, { blockScripts: !js, colorScheme });
  const kinds = await page.$$eval('[data-callout]', (els) => els.map((e) => e.getAttribute('data-callout')));
  for (const k of KINDS) assert(kinds.includes(k), `no notice of kind ${k} on the page (${kinds})`);
  const problems = await axe(ctx, page);
  if (js) {
    // every state: the closed notice open, another tab chosen
    await page.click('details.callout:not([open]) > summary');
    await page.click('[role=tab]:nth-child(2)');
    problems.push(...(await axe(ctx, page)).map((p) => `[opened, second tab] ${p}`));
  }
  if (problems.length) throw new Error(`${problems.length} violation(s):\n${problems.join('\n')}`);
  assert(!page.errors.length, `page errors: ${page.errors.join('; ')}`);
}

async function noScript(ctx) {
  const page = await open(ctx, PAGE, { js: false });
  const state = await page.evaluate(() => ({
    tablists: document.querySelectorAll('[role=tablist]').length,
    panels: [...document.querySelectorAll('[data-tab]')].map((p) => [p.getAttribute('data-tab'), p.offsetHeight > 0]),
    labels: [...document.querySelectorAll('.tabs-label')].map((l) => [l.textContent.trim(), l.offsetHeight > 0]),
    closed: document.querySelector('details.callout:not([open]) p').checkVisibility(),
  }));
  eq(state.tablists, 0, 'tab lists without JavaScript');
  eq(state.panels.length, 5, 'panels');
  for (const [label, shown] of state.panels) assert(shown, `panel ${label} hidden without JavaScript`);
  for (const [label, shown] of state.labels) assert(shown, `label ${label} hidden without JavaScript`);
  eq(state.labels.map((l) => l[0]).join('|'), 'Debian / Ubuntu|Rocky Linux|Arch Linux|Debian / Ubuntu|Rocky Linux', 'labels');
  eq(state.closed, false, 'the closed notice\'s body is visible');
  await page.click('details.callout:not([open]) > summary');
  assert(await page.evaluate(() => document.querySelector('details.callout p').checkVisibility()), 'the notice did not open');
}

/** The tab groups' state: [{selected, focused, tabindex: [...], visible: [...]}] */
function groups(page) {
  return page.$$eval('[data-tabs]', (gs) => gs.map((g) => {
    const tabs = [...g.querySelectorAll('[role=tab]')];
    const panels = [...g.querySelectorAll(':scope > [role=tabpanel]')];
    return {
      selected: tabs.filter((t) => t.getAttribute('aria-selected') === 'true').map((t) => t.textContent),
      focused: tabs.indexOf(document.activeElement),
      tabindex: tabs.map((t) => t.tabIndex),
      visible: panels.filter((p) => !p.hidden && p.offsetHeight > 0).map((p) => p.getAttribute('data-tab')),
      labelled: panels.every((p) => document.getElementById(p.getAttribute('aria-labelledby'))?.getAttribute('aria-controls') === p.id),
    };
  }));
}

async function keyboard(ctx) {
  const page = await open(ctx, PAGE);
  let g = await groups(page);
  eq(g.length, 2, 'tab groups');
  eq(g[0].selected.join(), 'Debian / Ubuntu', 'first group at first');
  eq(g[0].visible.join(), 'Debian / Ubuntu', 'visible panel at first');
  eq(g[0].tabindex.join(), '0,-1,-1', 'roving tabindex at first');
  assert(g.every((x) => x.labelled), 'a panel is not labelled by its tab');
  const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
  eq(new Set(ids).size, ids.length, 'unique ids on the page');
  // Tab reaches the selected tab of the first group, then the panel
  await page.focus('[data-tabs] [role=tab][aria-selected=true]');
  const steps = [['ArrowRight', 'Rocky Linux', 1], ['ArrowRight', 'Arch Linux', 2], ['ArrowRight', 'Debian / Ubuntu', 0],
    ['ArrowLeft', 'Arch Linux', 2], ['Home', 'Debian / Ubuntu', 0], ['End', 'Arch Linux', 2]];
  for (const [key, label, index] of steps) {
    await page.keyboard.press(key);
    g = await groups(page);
    eq(g[0].selected.join(), label, `after ${key}, selected`);
    eq(g[0].focused, index, `after ${key}, focus`);
    eq(g[0].visible.join(), label, `after ${key}, visible panel`);
    eq(g[0].tabindex.join(), [0, 1, 2].map((i) => (i === index ? 0 : -1)).join(), `after ${key}, tabindex`);
  }
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.getAttribute('data-tab')), 'Arch Linux', 'Tab from the tab list goes to');
  assert(!page.errors.length, `page errors: ${page.errors.join('; ')}`);
}

async function linked(ctx) {
  const page = await open(ctx, PAGE);
  await page.click('[data-tabs] [role=tab]:text-is("Rocky Linux")');
  let g = await groups(page);
  eq(g.map((x) => x.selected.join()).join('|'), 'Rocky Linux|Rocky Linux', 'both groups after one click');
  eq(g[1].visible.join(), 'Rocky Linux', 'second group\'s panel');
  eq(g[1].focused, -1, 'focus stays in the group clicked');
  await page.reload();
  await page.waitForLoadState('load');
  g = await groups(page);
  eq(g.map((x) => x.selected.join()).join('|'), 'Rocky Linux|Rocky Linux', 'both groups after a reload');
  // a label the second group lacks: it keeps its choice
  await page.click('[data-tabs] [role=tab]:text-is("Arch Linux")');
  g = await groups(page);
  eq(g.map((x) => x.selected.join()).join('|'), 'Arch Linux|Rocky Linux', 'after choosing a label only the first has');
  // another page: its group takes the latest choice it has
  await page.goto((await site(ctx)).server.url(OTHER));
  await page.waitForLoadState('load');
  g = await groups(page);
  eq(g[0].selected.join(), 'Arch Linux', 'the other page\'s group');
  await page.click('[data-tabs] [role=tab]:text-is("Debian / Ubuntu")');
  await page.goto((await site(ctx)).server.url(PAGE));
  await page.waitForLoadState('load');
  g = await groups(page);
  eq(g.map((x) => x.selected.join()).join('|'), 'Debian / Ubuntu|Debian / Ubuntu', 'back on the first page');
}

async function hashLink(ctx) {
  const page = await open(ctx, PAGE + '#rocky-at-boot');
  let g = await groups(page);
  eq(g.map((x) => x.selected.join()).join('|'), 'Debian / Ubuntu|Rocky Linux', 'groups opened on a link into a panel');
  await page.click('[data-tabs] [role=tab]:text-is("Debian / Ubuntu") >> nth=1');
  await page.evaluate(() => { location.hash = ''; location.hash = 'rocky-at-boot'; });
  await page.waitForFunction(() => document.getElementById('rocky-at-boot').checkVisibility(), null, { timeout: 3000 });
}

async function weight(ctx) {
  const page = await ctx.newPage();
  const seen = [];
  page.on('requestfinished', (r) => seen.push(r));
  await page.goto((await site(ctx)).server.url(PAGE), { waitUntil: 'load' });
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
  assert(parts.some((p) => /^tabs\..*\.js /.test(p)), `tabs.js not loaded: ${parts.join(', ')}`);
  console.log(`  # ${PAGE}: ${total} B (${parts.join(', ')})`);
  assert(total <= 30 * 1024, `${PAGE}: ${total} bytes > 30 KB: ${parts.join(', ')}`);
}

async function validity(ctx) {
  const { out } = await site(ctx);
  const { HtmlValidate } = require('html-validate');
  const hv = new HtmlValidate(JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8')));
  const errors = [];
  for (const p of [PAGE, OTHER]) {
    const report = await hv.validateFile(path.join(out, p, 'index.html'));
    for (const r of report.results)
      for (const m of r.messages) if (m.severity === 2) errors.push(`${p}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
  }
  if (errors.length) throw new Error(errors.join('\n'));
}

export const tests = [
  ...[true, false].flatMap((js) => ['light', 'dark'].map((scheme) => ({
    name: `callouts: axe-core WCAG 2.1 A/AA on every notice and tabs (${js ? 'with JavaScript' : 'no-JavaScript markup'}, ${scheme}), zero violations`,
    fn: (ctx) => a11y(ctx, js, scheme),
  }))),
  { name: 'callouts: without JavaScript every tab panel shows under its label, a closed notice opens', fn: noScript },
  { name: 'callouts: tabs by keyboard (arrows move and select, focus follows, Home/End, roving tabindex)', fn: keyboard },
  { name: 'callouts: a tab chosen is chosen in the other group, after a reload and on another page', fn: linked },
  { name: 'callouts: a link to a heading in a hidden panel shows that panel (on load and on hashchange)', fn: hashLink },
  { name: 'callouts: the page with notices and tabs + CSS + scripts <= 30 KB', fn: weight },
  { name: 'callouts: html-validate finds no error on the pages with notices and tabs', fn: validity },
];
