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
  await phare(['build', '--source', FIXTURE, '--out', out, '--base-url', '/help/', '--quiet']);
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

async function markup(ctx) {
  const page = await open(ctx);
  const facts = await page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const boxes = [...document.querySelectorAll('main input[type=checkbox]')];
    const imgs = [...document.querySelectorAll('main .content img')];
    return {
      headers: [...document.querySelectorAll('main table thead th')].map((th) => th.textContent.trim()),
      aligned: [...document.querySelectorAll('main table thead th')].map((th) => getComputedStyle(th).textAlign.replace('-webkit-', '')),
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

export const tests = [
  ...[true, false].flatMap((js) => ['light', 'dark'].map((scheme) => ({
    name: `gfm: axe-core WCAG 2.1 A/AA on tables, task lists, footnotes, figures (${js ? 'with JavaScript' : 'no JavaScript'}, ${scheme}), zero violations`,
    fn: (ctx) => a11y(ctx, js, scheme),
  }))),
  { name: 'gfm: table headers and alignment, struck text, autolinks, disabled labelled checkboxes, footnotes, {#id}, figure, image sizes', fn: markup },
];
