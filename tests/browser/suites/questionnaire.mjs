// questionnaire: answered by clicking with JavaScript (in place, URL shared
// and reopened, back button) and without (every path of the static pages,
// every selection of a multiple-answer question), each outcome checked
// against `phare rules run`; checkboxes by keyboard, the ranking, and an
// answer changed from the result page.
import { LANGS, QUESTIONNAIRE, readTree } from '../lib/pages.mjs';
import { rulesOutcome, rulesRanking } from '../lib/env.mjs';
import { eq, assert } from '../lib/harness.mjs';

const BOX = `[data-questionnaire="${QUESTIONNAIRE}"]`;
// Which answer to click at each step (index in the list, clamped): two paths.
const PICKS = { fr: [0, 0, 1, 1, 2, 1], en: [0, 0, 1, 1, 0] };

async function shown(page) {
  return page.evaluate((sel) => {
    const box = document.querySelector(sel);
    const out = box.querySelector('[data-outcome]');
    const q = box.querySelector('[data-question]');
    return {
      node: box.getAttribute('data-node'),
      outcome: out ? out.getAttribute('data-outcome') : null,
      question: q ? q.getAttribute('data-question') : null,
      answers: [...box.querySelectorAll('[data-answer]')].map((a) => a.getAttribute('data-answer')),
      multiple: !!box.querySelector('[data-multiple]'),
      toggles: [...box.querySelectorAll('a[data-toggle]')].map((a) => a.getAttribute('data-toggle')),
      ranking: [...box.querySelectorAll('[data-rank]')].map((e) => e.getAttribute('data-outcome') || e.getAttribute('data-ranked')),
    };
  }, BOX);
}

async function waitWalker(page) {
  await page.waitForFunction((sel) => !!document.querySelector(sel).phareWalker, BOX, { timeout: 10000 });
}

async function withJs(ctx, lang) {
  const page = await ctx.newPage();
  const root = ctx.server.url(`${lang}/decide/${QUESTIONNAIRE}/`);
  await page.goto(root);
  await waitWalker(page);
  await page.evaluate(() => { window.__samePage = true; });
  const answers = [];
  const states = [];
  for (let step = 0; step < 20; step++) {
    const s = await shown(page);
    states.push(s);
    if (s.outcome) break;
    if (s.multiple) {
      // tick the first and the last box, then continue
      const boxes = page.locator(`${BOX} input[type=checkbox]`);
      await boxes.first().check();
      await boxes.last().check();
    }
    const now = s.multiple ? await shown(page) : s;
    assert(now.answers.length > 0, `node ${s.node}: neither a result nor answers`);
    const pick = now.answers[Math.min(s.multiple ? 0 : PICKS[lang][step] ?? 0, now.answers.length - 1)];
    answers.push(pick.split('='));
    await page.click(`${BOX} [data-answer="${pick}"]`);
    await page.waitForFunction(([sel, node]) => document.querySelector(sel).getAttribute('data-node') !== node,
      [BOX, s.node], { timeout: 5000 });
  }
  const last = states[states.length - 1];
  assert(last.outcome, `no [data-outcome] after ${answers.length} answers`);
  assert(await page.evaluate(() => window.__samePage === true), 'the questionnaire reloaded the page instead of walking in place');
  const expected = await rulesOutcome(QUESTIONNAIRE, answers);
  eq(last.outcome, expected, `outcome for ${answers.map((a) => a.join('=')).join(' ')}`);
  if (last.ranking.length) eq(last.ranking.join(' '), (await rulesRanking(QUESTIONNAIRE, answers)).join(' '), 'ranking shown');
  assert(await page.locator(`${BOX} [data-outcome] a[data-outcome-article]`).count() === 1, 'the result has no link to its article');
  await page.locator(`${BOX} [data-outcome]`).waitFor({ state: 'visible' });
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);

  // The URL is the result: reopened in a new page, with and without JavaScript.
  const url = page.url();
  for (const js of [true, false]) {
    const p2 = await ctx.newPage({ js });
    await p2.goto(url);
    if (js) await waitWalker(p2);
    const s2 = await shown(p2);
    eq(s2.outcome, expected, `outcome on reopening ${url} ${js ? 'with' : 'without'} JavaScript`);
  }

  // A node page opened from a plain link (no #answers) goes on from that node.
  if (states.length > 2) {
    const p3 = await ctx.newPage();
    await p3.goto(`${root}${states[1].node}/`);
    await waitWalker(p3);
    const pick = answers[1].join('=');
    if (!(await p3.locator(`${BOX} a[data-answer="${pick}"]`).count())) {
      for (const id of answers[1][1].split(',')) await p3.locator(`${BOX} input[value="${id}"]`).check();
    }
    await p3.click(`${BOX} [data-answer="${pick}"]`);
    await p3.waitForFunction(([sel, node]) => document.querySelector(sel).getAttribute('data-node') === node,
      [BOX, states[2].node], { timeout: 5000 }).catch(() => {});
    eq((await shown(p3)).node, states[2].node, `node after answering ${pick} on the page of ${states[1].node}`);
  }

  // Back goes through the questions answered, in reverse, to the first one.
  for (let i = states.length - 2; i >= 0; i--) {
    await page.goBack();
    await page.waitForFunction(([sel, node]) => document.querySelector(sel).getAttribute('data-node') === node,
      [BOX, states[i].node], { timeout: 5000 }).catch(() => {});
    const s = await shown(page);
    eq(`${s.node} ${s.question}`, `${states[i].node} ${states[i].question}`, `after back #${states.length - 1 - i} (URL ${page.url()})`);
    assert(!s.outcome, 'a result is still shown after going back');
  }
  eq(page.url(), root, 'URL after going back to the first question');
  assert(await page.evaluate(() => window.__samePage === true), 'going back reloaded the page');
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

function countPaths(tree, id = tree.root) {
  const n = tree.nodes[id];
  if (n.outcome) return 1;
  return Object.values(n.next).reduce((s, next) => s + countPaths(tree, next), 0);
}

async function withoutJs(ctx, lang) {
  const tree = await readTree(ctx.site, lang);
  const page = await ctx.newPage({ js: false });
  const root = ctx.server.url(`${lang}/decide/${QUESTIONNAIRE}/`);
  const queue = [{ answers: [], url: root }];
  const results = [];
  const seenOutcomes = new Set();
  const seen = new Set(); // answers so far + page: toggling goes back and forth
  let visits = 0;
  while (queue.length) {
    const item = queue.shift();
    const key = `${JSON.stringify(item.answers)} ${item.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    assert(++visits <= 500, 'more than 500 pages: a loop in the static questionnaire?');
    const res = await page.goto(item.url);
    eq(res.status(), 200, `status of ${item.url}`);
    eq(await page.getAttribute('html', 'lang'), lang, `html[lang] of ${item.url}`);
    const s = await shown(page);
    const path = item.answers.map((a) => a.join('=')).join(' ') || '(none)';
    if (s.outcome) {
      const expected = await rulesOutcome(QUESTIONNAIRE, item.answers);
      eq(s.outcome, expected, `outcome of the static page for ${path}`);
      if (s.ranking.length) eq(s.ranking.join(' '), (await rulesRanking(QUESTIONNAIRE, item.answers)).join(' '), `ranking of the static page for ${path}`);
      assert(await page.locator('[data-outcome] a[data-outcome-article]').count() === 1, `no article link on the result for ${path}`);
      results.push(`${path} -> ${s.outcome}`);
      seenOutcomes.add(s.outcome);
      continue;
    }
    if (s.toggles.length) {
      // a selection's page: each toggle leads to another selection, the continue link (if any) on
      const pressed = await page.$$eval(`${BOX} a[data-toggle][aria-pressed="true"]`, (l) => l.map((a) => a.getAttribute('data-toggle').split('=')[1]).sort());
      if (s.answers.length) eq(s.answers[0].split('=')[1], pressed.join(','), `continue link of ${item.url}`);
      for (const t of s.toggles) {
        const href = await page.getAttribute(`${BOX} a[data-toggle="${t}"]`, 'href');
        queue.push({ answers: item.answers, url: new URL(href, item.url).href });
      }
    } else {
      assert(s.answers.length > 1, `static page ${item.url} (${path}) has ${s.answers.length} answer links`);
    }
    for (const ans of s.answers) {
      if (page.url() !== item.url) await page.goto(item.url);
      const link = page.locator(`${BOX} a[data-answer="${ans}"]`);
      const href = await link.getAttribute('href');
      assert(href, `answer ${ans} on ${item.url} is not a link`);
      await Promise.all([page.waitForURL((u) => u.href !== item.url), link.click()]);
      queue.push({ answers: [...item.answers, ans.split('=')], url: page.url() });
    }
  }
  eq(results.length, countPaths(tree), 'answer paths walked (vs the compiled tree)');
  eq([...seenOutcomes].sort().join(' '), Object.keys(tree.outcomes).sort().join(' '), 'outcomes reached');
}

/* The multiple-answer question with JavaScript: reached from a shared URL,
   ticked by keyboard with min/max enforced, a ranked result, then answers
   changed from the result page with the later ones kept. */
async function multipleWithJs(ctx, lang) {
  const tree = await readTree(ctx.site, lang);
  const id = Object.keys(tree.nodes).find((n) => tree.nodes[n].question && tree.questions[tree.nodes[n].question].multiple);
  const qid = tree.nodes[id].question, q = tree.questions[qid];
  const page = await ctx.newPage();
  const root = ctx.server.url(`${lang}/decide/${QUESTIONNAIRE}/`);
  await page.goto(`${root}${id}/`);
  await waitWalker(page);
  await page.locator(`${BOX} [data-multiple] input[type=checkbox]`).first().waitFor();
  const fs = `${BOX} fieldset[data-question="${qid}"]`;
  eq(await page.getAttribute(fs, 'data-min'), String(q.min), 'data-min');
  eq(await page.getAttribute(fs, 'data-max'), String(q.max), 'data-max');
  assert((await page.textContent(`${BOX} .choose`)).includes(String(q.max)), 'the limits are not said');
  const go = page.locator(`${BOX} button[data-answer]`);
  if (q.min > 0) assert(await go.isDisabled(), 'continue is enabled with nothing ticked');
  // keyboard: Space ticks, Tab moves on; after max ticks the others are disabled
  await page.locator(`${BOX} input[type=checkbox]`).first().focus();
  for (let i = 0; i < q.max; i++) {
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
  }
  const state = await page.$$eval(`${BOX} input[type=checkbox]`, (l) => l.map((b) => ({ v: b.value, on: b.checked, off: b.disabled })));
  const ticked = state.filter((b) => b.on).map((b) => b.v).sort();
  eq(ticked.length, q.max, 'boxes ticked by keyboard');
  eq(state.filter((b) => b.off).length, q.answers.length - q.max, 'boxes disabled at max');
  eq(await go.getAttribute('data-answer'), `${qid}=${ticked.join(',')}`, 'continue names the sorted set');
  await go.focus();
  await page.keyboard.press('Enter');
  await page.locator(`${BOX} [data-outcome]`).waitFor({ timeout: 5000 });
  let s = await shown(page);
  const path = (await page.evaluate((sel) => document.querySelector(sel).phareWalker.answers, BOX));
  eq(path[path.length - 1].join('='), `${qid}=${ticked.join(',')}`, 'the set answered');
  const ranking = await rulesRanking(QUESTIONNAIRE, path);
  eq(s.outcome, ranking[0], 'outcome');
  eq(s.ranking.join(' '), ranking.join(' '), 'ranking (data-rank) = phare rules run');
  assert(page.url().includes(`${qid}%3A`), `the URL does not carry the set: ${page.url()}`);
  // the shared URL, reopened without JavaScript, shows the same result
  const p2 = await ctx.newPage({ js: false });
  await p2.goto(page.url());
  eq((await shown(p2)).ranking.join(' '), ranking.join(' '), 'ranking reopened without JavaScript');
  eq(await p2.locator(`${BOX} [data-your-answers] li a[data-reopen]`).count(), path.length, 'your answers without JavaScript');

  // "your answers": every answer listed; change the set from the result
  const summary = page.locator(`${BOX} [data-your-answers] li`);
  eq(await summary.count(), path.length, 'answers listed');
  await page.click(`${BOX} [data-your-answers] li[data-question="${qid}"] button[data-change]`);
  await page.locator(`${BOX} fieldset[data-question="${qid}"]`).waitFor({ timeout: 5000 });
  const kept = await page.$$eval(`${BOX} input[type=checkbox]:checked`, (l) => l.map((b) => b.value).sort());
  eq(kept.join(','), ticked.join(','), 'the reopened question keeps its answer ticked');
  for (const v of kept) await page.locator(`${BOX} input[value="${v}"]`).uncheck();
  const other = state.find((b) => !b.on).v;
  await page.locator(`${BOX} input[value="${other}"]`).check();
  await page.click(`${BOX} button[data-answer]`);
  await page.locator(`${BOX} [data-outcome]`).waitFor({ timeout: 5000 });
  const changed = [...path.slice(0, -1), [qid, other]];
  eq((await shown(page)).ranking.join(' '), (await rulesRanking(QUESTIONNAIRE, changed)).join(' '), 'ranking after the change');

  // change an earlier answer to the same: the later ones are given again, straight to the result
  const first = changed[changed.length - 2];
  await page.click(`${BOX} [data-your-answers] li[data-question="${first[0]}"] button[data-change]`);
  await page.locator(`${BOX} [data-question="${first[0]}"] [data-answer="${first.join('=')}"]`).click();
  await page.locator(`${BOX} [data-outcome]`).waitFor({ timeout: 5000 });
  eq(JSON.stringify(await page.evaluate((sel) => document.querySelector(sel).phareWalker.answers, BOX)),
    JSON.stringify(changed), 'answers after reopening an earlier question');
  // Back goes to the reopened question, then to the previous result
  await page.goBack();
  await page.waitForFunction((sel) => !document.querySelector(sel).querySelector('[data-outcome]'), BOX, { timeout: 5000 });
  await page.goBack();
  await page.locator(`${BOX} [data-outcome]`).waitFor({ timeout: 5000 });
  eq((await shown(page)).ranking.join(' '), (await rulesRanking(QUESTIONNAIRE, changed)).join(' '), 'ranking after Back');
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

/* Without JavaScript: the toggles say which answers are ticked and lead to
   the page of the new selection; past max the others are not links. */
async function multipleWithoutJs(ctx, lang) {
  const tree = await readTree(ctx.site, lang);
  const id = Object.keys(tree.nodes).find((n) => tree.nodes[n].question && tree.questions[tree.nodes[n].question].multiple);
  const qid = tree.nodes[id].question, q = tree.questions[qid];
  const page = await ctx.newPage({ js: false });
  await page.goto(ctx.server.url(`${lang}/decide/${QUESTIONNAIRE}/${id}/`));
  eq(await page.locator(`${BOX} a[data-answer]`).count(), q.min ? 0 : 1, 'continue link with nothing ticked');
  const picked = [];
  for (const a of q.answers.slice(0, q.max)) {
    const t = page.locator(`${BOX} a[data-toggle="${qid}=${a.id}"]`);
    eq(await t.getAttribute('aria-pressed'), 'false', `${a.id} before ticking`);
    await Promise.all([page.waitForURL((u) => true), t.click()]);
    picked.push(a.id);
    eq(await page.getAttribute(`${BOX} a[data-toggle="${qid}=${a.id}"]`, 'aria-pressed'), 'true', `${a.id} after ticking`);
    eq(await page.getAttribute(`${BOX} a[data-answer]`, 'data-answer'), `${qid}=${[...picked].sort().join(',')}`, 'continue link');
  }
  eq(await page.locator(`${BOX} [data-toggle][aria-disabled="true"]`).count(), q.answers.length - q.max, 'answers past max are not links');
  // untick the first
  await page.click(`${BOX} a[data-toggle="${qid}=${picked[0]}"]`);
  eq(await page.getAttribute(`${BOX} a[data-toggle="${qid}=${picked[0]}"]`, 'aria-pressed'), 'false', 'unticked');
}

/* A toggle clicked before the tree has arrived: handled in place once it
   has, as that answer ticked in the checkboxes (no page load). */
async function toggleBeforeTree(ctx, lang) {
  const tree = await readTree(ctx.site, lang);
  const id = Object.keys(tree.nodes).find((n) => tree.nodes[n].question && tree.questions[tree.nodes[n].question].multiple);
  const q = tree.questions[tree.nodes[id].question];
  const page = await ctx.newPage();
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/tree.json', async (route) => { await held; await route.continue(); });
  await page.goto(ctx.server.url(`${lang}/decide/${QUESTIONNAIRE}/${id}/`));
  await page.evaluate(() => { window.__samePage = true; });
  const pick = q.answers[1].id;
  await page.click(`${BOX} a[data-toggle$="=${pick}"]`);
  release();
  await page.locator(`${BOX} input[type=checkbox]`).first().waitFor({ timeout: 5000 });
  eq((await page.$$eval(`${BOX} input:checked`, (l) => l.map((b) => b.value))).join(','), pick, 'ticked after the tree came');
  assert(await page.evaluate(() => window.__samePage === true), 'the toggle loaded another page');
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

export const tests = [
  {
    name: 'questionnaire multiple answers: a toggle clicked before the tree arrives is handled in place (en)',
    fn: (ctx) => toggleBeforeTree(ctx, 'en'),
  },
  ...LANGS.map((lang) => ({
    name: `questionnaire multiple answers with JavaScript (${lang}): keyboard, min/max, ranking, answers changed from the result`,
    fn: (ctx) => multipleWithJs(ctx, lang),
  })),
  ...LANGS.map((lang) => ({
    name: `questionnaire multiple answers without JavaScript (${lang}): toggles with aria-pressed, continue once min/max hold`,
    fn: (ctx) => multipleWithoutJs(ctx, lang),
  })),
  ...LANGS.map((lang) => ({
    name: `questionnaire with JavaScript (${lang}): clicked to a result = phare rules run; URL reopens it; back works`,
    fn: (ctx) => withJs(ctx, lang),
  })),
  ...LANGS.map((lang) => ({
    name: `questionnaire without JavaScript (${lang}): every answer path of the static pages = phare rules run`,
    fn: (ctx) => withoutJs(ctx, lang),
    timeout: 90000,
  })),
];
