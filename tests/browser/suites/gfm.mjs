// gfm: GitHub's constructs (cmark-gfm's extensions, issue 17) on a page of
// fixtures/callouts/ (guides/gfm.md: an aligned pipe table, struck text,
// autolinks, a task list, a footnote, {#id} anchors, a figure and a sized
// image), through axe-core with JavaScript on and off, light and dark; the
// markup readers and assistive technology rely on (table headers, disabled
// labelled checkboxes, footnote back-links, figure captions, image sizes).
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, phare, startServer } from '../lib/env.mjs';
import { assert, eq } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const FIXTURE = path.join(ROOT, 'tests/browser/fixtures/callouts');
const PAGE = 'en/guides/gfm/';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let served = null;
async function site(ctx) {
  if (served) return served;
  const out = path.join(ctx.tmp, 'gfm-site');
  // --no-cache: the fixture is committed; no build cache is written into it
  await phare(['build', '--source', FIXTURE, '--out', out, '--base-url', '/help/', '--quiet', '--no-cache']);
  const server = await startServer(out, ctx.collector.port);
  ctx.origins.push(server.origin);
  served = { out, server };
  const close = ctx.server.close;
  ctx.server.close = async () => { await server.close(); return close(); };
  return served;
}

async function open(ctx, opts = {}) {
  const { server } = await site(ctx);
  const page = await ctx.newPage(opts);
  const res = await page.goto(server.url(PAGE));
  eq(res.status(), 200, `status of ${PAGE}`);
  await page.waitForLoadState('load');
  return page;
}

async function a11y(ctx, js, colorScheme) {
  const page = await open(ctx, { blockScripts: !js, colorScheme });
  await page.addScriptTag({ path: ctx.axePath });
  const problems = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
  await page.close();
  if (problems.length) throw new Error(problems.join('\n'));
}

async function a11yPhone(ctx, js) {
  const page = await open(ctx, { blockScripts: !js, width: 360, height: 740 });
  await page.addScriptTag({ path: ctx.axePath });
  const problems = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  }, [...TAGS, 'best-practice']);
  await page.close();
  if (problems.length) throw new Error(problems.join('\n'));
}

async function markup(ctx) {
  const page = await open(ctx);
  const facts = await page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const boxes = [...document.querySelectorAll('main input[type=checkbox]')];
    const imgs = [...document.querySelectorAll('main .content img')];
    return {
      headers: [...document.querySelectorAll('main table')[0].querySelectorAll('thead th')].map((th) => th.textContent.trim()),
      aligned: [...document.querySelectorAll('main table')[0].querySelectorAll('thead th')].map((th) => getComputedStyle(th).textAlign.replace('-webkit-', '')),
      struck: q('main del') ? q('main del').textContent : null,
      autolinks: [...document.querySelectorAll('main .content a[href^="http"]')].map((a) => a.getAttribute('href')),
      boxes: boxes.map((b) => ({ disabled: b.disabled, checked: b.checked, named: !!(b.labels.length || b.getAttribute('aria-label') || b.closest('label')) })),
      footnoteRef: !!q('main a[href^="#fn"]'),
      backRef: !!q('main [data-footnote-backref]'),
      anchors: ['plans', 'step1'].map((id) => !!document.getElementById(id)),
      caption: q('main figure figcaption') ? q('main figure figcaption').textContent.trim() : null,
      sizes: imgs.map((i) => [i.getAttribute('width'), i.getAttribute('height'), i.getAttribute('loading')]),
    };
  });
  await page.close();
  eq(facts.headers.join('|'), 'Plan|vCPU|Memory|Price', 'table headers');
  eq(facts.aligned.join('|'), 'left|center|right|right', 'column alignment');
  eq(facts.struck, '5 €', 'struck text');
  assert(facts.autolinks.some((h) => h.startsWith('http://www.example.com')), `autolinks: ${facts.autolinks}`);
  assert(facts.autolinks.includes('https://example.org/docs'), `autolinks: ${facts.autolinks}`);
  eq(facts.boxes.length, 3, 'task-list checkboxes');
  for (const b of facts.boxes) assert(b.disabled && b.named, `a task-list checkbox is not disabled and named: ${JSON.stringify(b)}`);
  eq(facts.boxes.map((b) => b.checked).join(','), 'true,false,false', 'checked states');
  assert(facts.footnoteRef && facts.backRef, 'footnote reference and back-link');
  eq(facts.anchors.join(','), 'true,true', '{#id} anchors');
  eq(facts.caption, 'The disk', 'figure caption');
  eq(JSON.stringify(facts.sizes), JSON.stringify([['40', '20', null], ['40', '20', 'lazy']]), 'image sizes and lazy loading');
}

// A phone: the wide table scrolls inside its region, not the page; the
// region is named and takes the keyboard's focus, and the arrow keys scroll it.
async function phone(ctx) {
  const page = await open(ctx, { width: 360, height: 740 });
  const facts = await page.evaluate(() => {
    const regions = [...document.querySelectorAll('main .table-scroll')];
    return {
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      regions: regions.map((r) => ({ role: r.getAttribute('role'), tab: r.tabIndex, name: r.getAttribute('aria-label'), wide: r.scrollWidth > r.clientWidth + 1, table: !!r.querySelector(':scope > table') })),
    };
  });
  assert(facts.page[0] <= facts.page[1], `the page scrolls sideways on a phone: ${facts.page}`);
  eq(facts.regions.length, 2, 'pipe tables in a scrolling region');
  for (const r of facts.regions) assert(r.role === 'region' && r.tab === 0 && r.table, `region markup: ${JSON.stringify(r)}`);
  eq(facts.regions[0].name, 'Table: Plan, vCPU, Memory, Price', 'region name');
  assert(facts.regions[1].wide, 'the wide table overflows its region (it should scroll there)');
  const region = page.locator('main .table-scroll').nth(1);
  await region.focus();
  eq(await page.evaluate(() => document.activeElement.classList.contains('table-scroll')), true, 'the region takes focus');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelectorAll('main .table-scroll')[1].scrollLeft > 0, null, { timeout: 3000 });
  await page.close();
}

export const tests = [
  ...[true, false].flatMap((js) => ['light', 'dark'].map((scheme) => ({
    name: `gfm: axe-core WCAG 2.1 A/AA on tables, task lists, footnotes, figures (${js ? 'with JavaScript' : 'no JavaScript'}, ${scheme}), zero violations`,
    fn: (ctx) => a11y(ctx, js, scheme),
  }))),
  { name: 'gfm: on a phone a wide pipe table scrolls in a named, focusable region, by keyboard too, and the page does not', fn: phone },
  ...[true, false].map((js) => ({
    name: `gfm: axe-core on a phone, a wide table's scrolling region (${js ? 'with JavaScript' : 'no JavaScript'}), zero violations`,
    fn: (ctx) => a11yPhone(ctx, js),
  })),
  { name: 'gfm: table headers and alignment, struck text, autolinks, disabled labelled checkboxes, footnotes, {#id}, figure, image sizes', fn: markup },
];
