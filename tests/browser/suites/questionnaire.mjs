// questionnaire: answered by clicking with JavaScript (in place, URL shared
// and reopened, back button) and without (every path of the static pages),
// each outcome checked against `phare rules run`.
import { LANGS, QUESTIONNAIRE, readTree } from '../lib/pages.mjs';
import { rulesOutcome } from '../lib/env.mjs';
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
    assert(s.answers.length > 0, `node ${s.node}: neither a result nor answers`);
    const pick = s.answers[Math.min(PICKS[lang][step] ?? 0, s.answers.length - 1)];
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
  let visits = 0;
  while (queue.length) {
    const item = queue.shift();
    assert(++visits <= 500, 'more than 500 pages: a loop in the static questionnaire?');
    const res = await page.goto(item.url);
    eq(res.status(), 200, `status of ${item.url}`);
    eq(await page.getAttribute('html', 'lang'), lang, `html[lang] of ${item.url}`);
    const s = await shown(page);
    const path = item.answers.map((a) => a.join('=')).join(' ') || '(none)';
    if (s.outcome) {
      const expected = await rulesOutcome(QUESTIONNAIRE, item.answers);
      eq(s.outcome, expected, `outcome of the static page for ${path}`);
      assert(await page.locator('[data-outcome] a[data-outcome-article]').count() === 1, `no article link on the result for ${path}`);
      results.push(`${path} -> ${s.outcome}`);
      seenOutcomes.add(s.outcome);
      continue;
    }
    assert(s.answers.length > 1, `static page ${item.url} (${path}) has ${s.answers.length} answer links`);
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

export const tests = [
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
