// dashboard: `phare feedback report --format html --site` on the votes of
// the run (the feedback suite's, plus a few posted here to the collector so
// the suite also runs alone): the page loads nothing from anywhere, passes
// axe-core and html-validate, fits an A4 page when printed, and its charts
// carry exactly the JSON report's numbers (data- attributes) with the
// articles' titles and links from the built site.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { phare, ROOT } from '../lib/env.mjs';
import { eq, assert } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const COMMENT = 'Le <script>alert(1)</script> « manque »';

/** The manifest's articles: "lang\tkey" -> {url, title}. */
function manifest(site) {
  const m = new Map();
  for (const line of readFileSync(path.join(site, 'phare-manifest.tsv'), 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'article') m.set(`${f[1]}\t${f[2]}`, { url: f[3], title: f[5] });
  }
  return m;
}

/** Votes straight to the collector, on an article the feedback suite leaves alone. */
async function seed(ctx, articles) {
  const [lang, key] = [...articles.keys()].find((k) => !/\tvirtualisation\/(lxc|kvm)$/.test(k)).split('\t');
  const votes = [['yes', ''], ['no', 'unclear'], ['no', 'incomplete']];
  for (const [i, [vote, reason]] of votes.entries()) {
    const r = await fetch(`http://127.0.0.1:${ctx.collector.port}/api/feedback`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ article: key, lang, vote, reason, comment: reason ? COMMENT : '', client: `dash-${i}` }),
    });
    assert(r.status === 201, `the collector answered ${r.status} to a vote`);
  }
  return { lang, key };
}

async function report(ctx, format) {
  const out = path.join(ctx.tmp, `report.${format}`);
  await phare(['feedback', 'report', '--db', ctx.db, '--site', ctx.site, '--format', format, '--out', out]);
  return readFileSync(out, 'utf8');
}

async function openReport(ctx, html, requests) {
  const page = await ctx.newPage({ js: true });
  await page.route('**/*', (route) => { requests.push(route.request().url()); return route.abort(); });
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

async function numbers(ctx) {
  const articles = manifest(ctx.site);
  const seeded = await seed(ctx, articles);
  const rows = JSON.parse(await report(ctx, 'json')).articles;
  const html = await report(ctx, 'html');
  const requests = [];
  const page = await openReport(ctx, html, requests);
  const drawn = await page.$$eval('tr[data-article]', (trs) => trs.map((t) => ({
    article: t.dataset.article, lang: t.dataset.lang, votes: +t.dataset.votes, yes: +t.dataset.yes, no: +t.dataset.no,
    title: t.querySelector('a') ? t.querySelector('a').textContent : null,
    href: t.querySelector('a') ? t.querySelector('a').getAttribute('href') : null,
    sparkline: !!t.querySelector('svg[role="img"][aria-label]'),
  })));
  eq(JSON.stringify(drawn.map((d) => [d.article, d.lang, d.votes, d.yes, d.no])),
    JSON.stringify(rows.map((r) => [r.article, r.lang, r.yes + r.no, r.yes, r.no])), 'articles drawn (in rank order)');
  for (const d of drawn) {
    const m = articles.get(`${d.lang}\t${d.article}`);
    assert(m, `${d.article} [${d.lang}] is not in the manifest`);
    eq(d.title, m.title, `title of ${d.article} [${d.lang}]`);
    eq(d.href, m.url, `link of ${d.article} [${d.lang}]`);
    assert(d.sparkline, `${d.article} [${d.lang}] has no sparkline with a text`);
  }
  const s = rows.find((r) => r.article === seeded.key && r.lang === seeded.lang);
  assert(s && s.title === articles.get(`${seeded.lang}\t${seeded.key}`).title, `JSON title of ${seeded.key}`);
  // The reasons chart and its table say the same; the comment is text, not markup.
  const reasons = await page.$$eval('[data-bar]', (gs) => Object.fromEntries(gs.map((g) => [g.dataset.bar, +g.dataset.count])));
  assert(reasons.unclear >= 1 && reasons.incomplete >= 1, `reasons drawn: ${JSON.stringify(reasons)}`);
  const quoted = await page.$$eval('.comments q', (qs) => qs.map((q) => q.textContent));
  assert(quoted.includes(COMMENT), `the comment is not shown as text: ${JSON.stringify(quoted)}`);
  eq(await page.locator('.comments script').count(), 0, 'script elements from comments');
  const total = await page.getAttribute('[data-total-votes]', 'data-total-votes');
  eq(+total, rows.reduce((n, r) => n + r.yes + r.no, 0), 'total votes');
  eq(requests.length, 0, `requests made by the report: ${requests.join(', ')}`);
}

async function accessible(ctx) {
  const requests = [];
  const page = await openReport(ctx, await report(ctx, 'html'), requests);
  await page.addScriptTag({ path: ctx.axePath });
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
  eq(violations.length, 0, `axe: ${violations.join('\n')}`);
  // Printed on A4 (210 mm less 2 × 14 mm margins, 96 px an inch): nothing wider than the page.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 688, height: 1000 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 688, `printed, the report is ${wide} px wide (A4 holds 688)`);
}

async function valid(ctx) {
  const { HtmlValidate } = require('html-validate');
  const config = JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8'));
  const r = await new HtmlValidate(config).validateString(await report(ctx, 'html'));
  const errors = r.results.flatMap((x) => x.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column}: ${m.ruleId}: ${m.message}`));
  eq(errors.length, 0, `html-validate: ${errors.slice(0, 20).join('\n')}`);
}

export const tests = [
  { name: 'feedback dashboard: the HTML report draws the JSON report\'s numbers, titles and links, loads nothing', fn: numbers },
  { name: 'feedback dashboard: the HTML report passes axe-core and fits A4 when printed', fn: accessible },
  { name: 'feedback dashboard: html-validate finds no error in the HTML report', fn: valid },
];
