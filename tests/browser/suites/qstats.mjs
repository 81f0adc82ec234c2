// qstats: questionnaire analytics end to end.  The built site is served
// again with a collector of its own (a fresh database, so the other suites'
// walks do not count here); readers walk the questionnaire in Chromium along
// known paths: one to an outcome whose article they open (and rate), two
// abandoned, one restarted, one through the multiple-answer question; then
// one with Global Privacy Control on, one with Do Not Track and one without
// JavaScript, which must record nothing.  `phare feedback report --format
// json` must then hold exactly these counts, and the HTML section carry the
// same numbers (data- attributes) and pass axe.
import path from 'node:path';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { phare, ROOT, startCollector, startServer } from '../lib/env.mjs';
import { QUESTIONNAIRE } from '../lib/pages.mjs';
import { assert, eq } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);

const BOX = `[data-questionnaire="${QUESTIONNAIRE}"]`;
const STEPS = '/api/questionnaire';

let world = null;
async function served(ctx) {
  if (world) return world;
  const db = path.join(ctx.tmp, 'qstats.sqlite');
  const collector = await startCollector(ctx.site, db);
  const server = await startServer(ctx.site, collector.port);
  ctx.origins.push(server.origin);
  world = { db, collector, server, posted: [] };
  const close = ctx.server.close; // stopped with the run's own
  ctx.server.close = async () => { await server.close(); await collector.stop(); return close(); };
  return world;
}

/** A page on the questionnaire; every step it sends is recorded with its answer's status. */
async function open(ctx, { js = true, init } = {}) {
  const w = await served(ctx);
  const page = await ctx.newPage({ js });
  if (init) await page.addInitScript(init);
  page.steps = [];
  page.on('request', (r) => { if (r.url().endsWith(STEPS)) page.steps.push({ body: r.postData(), status: null, r }); });
  page.on('requestfinished', async (r) => {
    const s = page.steps.find((x) => x.r === r);
    const resp = await r.response().catch(() => null);
    if (s) s.status = resp ? resp.status() : 0;
  });
  page.on('requestfailed', (r) => { const s = page.steps.find((x) => x.r === r); if (s) s.status = -1; });
  await page.goto(w.server.url(`fr/decide/${QUESTIONNAIRE}/`));
  if (js) await page.waitForFunction((sel) => !!document.querySelector(sel).phareWalker, BOX, { timeout: 10000 });
  return page;
}

async function node(page) {
  return page.evaluate((sel) => document.querySelector(sel).getAttribute('data-node'), BOX);
}

/** Clicks the answer q=a and waits for the next node. */
async function answer(page, qa) {
  const before = await node(page);
  await page.click(`${BOX} [data-answer="${qa}"]`);
  await page.waitForFunction(([sel, n]) => document.querySelector(sel).getAttribute('data-node') !== n, [BOX, before]);
}

/** Waits until every step sent so far has its answer; they must all be 204. */
async function settled(page, atLeast) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && (page.steps.length < atLeast || page.steps.some((s) => s.status === null)))
    await new Promise((r) => setTimeout(r, 50));
  const bad = page.steps.filter((s) => s.status !== 204).map((s) => `${s.status} ${s.body}`);
  assert(page.steps.length >= atLeast, `${page.steps.length} steps sent, expected at least ${atLeast}`);
  assert(!bad.length, `steps refused or lost:\n${bad.join('\n')}`);
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

// A: own, linux, yes -> kvm; the reader opens the article and rates it "yes".
async function completeAndOpen(ctx) {
  const page = await open(ctx);
  for (const qa of ['hosting=own', 'guest_os=linux', 'kernel=yes']) await answer(page, qa);
  eq(await page.getAttribute(`${BOX} [data-outcome]`, 'data-outcome'), 'kvm', 'outcome');
  await settled(page, 8); // start, 3 x (show, answer), outcome
  await Promise.all([page.waitForURL(/virtualisation\/kvm\/$/), page.click(`${BOX} a[data-outcome-article]`)]);
  // The beacon outlives the page it leaves; Chromium may report it aborted
  // to the page even so: whether it was stored is the report's to say.
  const kinds = page.steps.map((s) => new URLSearchParams(s.body).get('step'));
  eq(kinds.join(' '), 'start show answer show answer show answer outcome open', 'the steps sent');
  const first = new URLSearchParams(page.steps[0].body);
  for (const k of ['questionnaire', 'lang', 'revision', 'visit', 'seq', 'step', 'node'])
    assert(first.get(k), `step without ${k}: ${page.steps[0].body}`);
  const keys = [...new Set(page.steps.flatMap((s) => [...new URLSearchParams(s.body).keys()]))].sort();
  eq(keys.join(','), 'answer,lang,node,questionnaire,revision,seq,step,visit', 'the fields sent (nothing else)');
  const cookies = await page.context().cookies();
  eq(cookies.length, 0, 'cookies set');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  eq(stored, 0, 'items kept in the browser\'s storage by the questionnaire');
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/feedback'), { timeout: 10000 }),
    page.click('[data-feedback] [data-vote="yes"]'),
  ]);
}

// B: own, then leaves at guest_os.
async function abandonSecond(ctx) {
  const page = await open(ctx);
  await answer(page, 'hosting=own');
  await settled(page, 4);
}

// C: own, linux, no (isolation shown), restarts, then rent -> vps.
async function restart(ctx) {
  const page = await open(ctx);
  for (const qa of ['hosting=own', 'guest_os=linux', 'kernel=no']) await answer(page, qa);
  const before = await node(page);
  await page.click(`${BOX} [data-restart]`);
  await page.waitForFunction(([sel, n]) => document.querySelector(sel).getAttribute('data-node') !== n, [BOX, before]);
  await answer(page, 'hosting=rent');
  eq(await page.getAttribute(`${BOX} [data-outcome]`, 'data-outcome'), 'vps', 'outcome');
  await settled(page, 12);
  const visits = new Set(page.steps.map((s) => new URLSearchParams(s.body).get('visit')));
  eq(visits.size, 1, 'visit ids in one visit (a restart is not a new visit)');
}

// D: looks at the first question and leaves.
async function abandonFirst(ctx) {
  const page = await open(ctx);
  await settled(page, 2);
}

// E: own, linux, no, light, then docker and micro ticked -> lxc.
async function multiple(ctx) {
  const page = await open(ctx);
  for (const qa of ['hosting=own', 'guest_os=linux', 'kernel=no', 'isolation=light']) await answer(page, qa);
  await page.check(`${BOX} input[value="docker"]`);
  await page.check(`${BOX} input[value="micro"]`);
  await answer(page, 'workloads=docker,micro');
  eq(await page.getAttribute(`${BOX} [data-outcome]`, 'data-outcome'), 'lxc', 'outcome');
  await settled(page, 11);
}

/** A whole walk that must send nothing. */
async function silent(ctx, opts) {
  const page = await open(ctx, opts);
  for (const qa of ['hosting=own', 'guest_os=linux', 'kernel=yes']) {
    if (opts.js === false) await Promise.all([page.waitForNavigation(), page.click(`${BOX} [data-answer="${qa}"]`)]);
    else await answer(page, qa);
  }
  eq(await page.getAttribute(`${BOX} [data-outcome]`, 'data-outcome'), 'kvm', 'outcome');
  await new Promise((r) => setTimeout(r, 500));
  eq(page.steps.length, 0, 'steps sent');
}

const GPC = () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
const DNT = () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });

// The counts the walks above make, in the report's order (most shown first).
const EXPECTED = {
  questionnaire: QUESTIONNAIRE, lang: 'fr', visits: 5, completions: 3, restarts: 1, article_opened: 1,
  questions: [
    { id: 'hosting', shown: 5, answered: 4, dropped: 1, answers: [{ id: 'own', count: 4 }, { id: 'rent', count: 1 }] },
    { id: 'guest_os', shown: 4, answered: 3, dropped: 1, answers: [{ id: 'linux', count: 3 }] },
    { id: 'kernel', shown: 3, answered: 3, dropped: 0, answers: [{ id: 'no', count: 2 }, { id: 'yes', count: 1 }] },
    { id: 'isolation', shown: 2, answered: 1, dropped: 0, answers: [{ id: 'light', count: 1 }] },
    { id: 'workloads', shown: 1, answered: 1, dropped: 0, answers: [{ id: 'docker', count: 1 }, { id: 'micro', count: 1 }] },
  ],
  outcomes: [
    { id: 'kvm', reached: 1, opened: 1, article: 'virtualisation/kvm', article_yes: 1, article_no: 0 },
    { id: 'lxc', reached: 1, opened: 0, article: 'virtualisation/lxc', article_yes: 0, article_no: 0 },
    { id: 'vps', reached: 1, opened: 0, article: 'virtualisation/vps', article_yes: 0, article_no: 0 },
  ],
};

async function reportJson(ctx) {
  const r = await phare(['feedback', 'report', '--db', (await served(ctx)).db, '--format', 'json']);
  try { return JSON.parse(r.stdout); } catch (e) { throw new Error(`report is not JSON: ${e.message}\n${r.stdout}`); }
}

async function report(ctx) {
  const rep = await reportJson(ctx);
  assert(Array.isArray(rep.questionnaires), `no questionnaires list: ${JSON.stringify(rep)}`);
  eq(rep.questionnaires.length, 1, 'questionnaires x languages with steps (GPC, DNT and no-JS walks record none)');
  const got = JSON.stringify(rep.questionnaires[0], null, 1), want = JSON.stringify(EXPECTED, null, 1);
  if (got !== want) throw new Error(`the report's counts differ:\nexpected ${want}\ngot ${got}`);
}

async function html(ctx) {
  const w = await served(ctx);
  // the dashboard, whose last section is the questionnaires'
  const r = await phare(['feedback', 'report', '--db', w.db, '--format', 'html']);
  const file = path.join(ctx.tmp, 'qstats.html');
  writeFileSync(file, r.stdout);
  const page = await ctx.newPage();
  await page.goto(`file://${file}`);
  const q = await page.$$eval('[data-questionnaire]', (els) => els.map((e) => ({
    q: e.dataset.questionnaire, lang: e.dataset.lang, visits: +e.dataset.visits, completions: +e.dataset.completions,
    questions: [...e.querySelectorAll('[data-question]')].map((t) => [t.dataset.question, +t.dataset.shown, +t.dataset.answered]),
  })));
  eq(JSON.stringify(q), JSON.stringify([{
    q: QUESTIONNAIRE, lang: 'fr', visits: EXPECTED.visits, completions: EXPECTED.completions,
    questions: EXPECTED.questions.map((x) => [x.id, x.shown, x.answered]),
  }]), 'the HTML section\'s data- attributes');
  await page.addScriptTag({ path: ctx.axePath });
  const problems = await page.evaluate(async () => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return res.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert(!problems.length, `axe: ${problems.join('\n')}`);
  const { HtmlValidate } = require('html-validate');
  const config = JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8'));
  const v = await new HtmlValidate(config).validateString(r.stdout);
  const errors = v.results.flatMap((x) => x.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column}: ${m.ruleId}: ${m.message}`));
  eq(errors.length, 0, `html-validate: ${errors.slice(0, 20).join('\n')}`);
}

export const tests = [
  { name: 'qstats: a walk to an outcome, its article opened and rated (steps sent, nothing kept in the browser)', fn: completeAndOpen },
  { name: 'qstats: a walk abandoned at the second question', fn: abandonSecond },
  { name: 'qstats: a walk restarted, then to another outcome (one visit)', fn: restart },
  { name: 'qstats: a visit that leaves at the first question', fn: abandonFirst },
  { name: 'qstats: a walk through the multiple-answer question', fn: multiple },
  { name: 'qstats: Global Privacy Control on: no step sent', fn: (ctx) => silent(ctx, { init: GPC }) },
  { name: 'qstats: Do Not Track on: no step sent', fn: (ctx) => silent(ctx, { init: DNT }) },
  { name: 'qstats: without JavaScript: no step sent', fn: (ctx) => silent(ctx, { js: false }) },
  { name: 'qstats: the JSON report counts every walk exactly', fn: report },
  { name: 'qstats: the HTML report\'s questionnaires section carries the same numbers, passes axe and html-validate', fn: html },
];
