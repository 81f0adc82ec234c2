// feedback: the widget votes into a real `phare collect` (through the
// site's /api/feedback), with JavaScript (fetch, thanks in place) and without
// (form post, 303 back to the article, thanks shown); `phare feedback report`
// then holds each vote for the right article and language.
import { LANGS } from '../lib/pages.mjs';
import { phare } from '../lib/env.mjs';
import { eq, assert } from '../lib/harness.mjs';

const COMMENT = { fr: 'Un schéma aiderait « à comprendre »', en: 'A diagram would help <b>' };

async function voteWithJs(ctx, lang) {
  const page = await ctx.newPage();
  const url = ctx.server.url(`${lang}/virtualisation/lxc/`);
  await page.goto(url);
  await page.waitForLoadState('load');
  await page.evaluate(() => { window.__samePage = true; });
  const posts = [];
  page.on('response', (r) => { if (r.request().method() === 'POST') posts.push(r); });
  await page.click('[data-feedback] [data-vote="no"]');
  const more = page.locator('[data-feedback-more]');
  assert(await more.evaluate((d) => d.open), '"No" did not open the reasons');
  assert(posts.length === 0, '"No" sent a vote before the reasons');
  await page.locator('[data-feedback] input[name="reason"]').first().check();
  await page.fill('[data-feedback] textarea[name="comment"]', COMMENT[lang]);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 10000 }),
    page.click('[data-feedback] [data-vote="no-details"]'),
  ]);
  if (resp.status() < 200 || resp.status() >= 300) {
    const body = await Promise.race([resp.text(), new Promise((r) => setTimeout(() => r('(body not available)'), 2000))]);
    throw new Error(`the collector answered ${resp.status()}: ${body}`);
  }
  await page.locator('[data-feedback-thanks]').waitFor({ state: 'visible', timeout: 5000 });
  assert(!(await page.locator('[data-feedback-form]').isVisible()), 'the form is still shown after the vote');
  assert(await page.evaluate(() => window.__samePage === true), 'the vote reloaded the page');
  eq(page.url(), url, 'URL after the vote');
  assert(!(await page.locator('[data-feedback-error]').isVisible()), 'the error message is shown');
  // Remembered: the same revision is not asked again.
  await page.reload();
  await page.locator('[data-feedback-thanks]').waitFor({ state: 'visible', timeout: 5000 });
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

async function voteWithoutJs(ctx, lang) {
  const page = await ctx.newPage({ js: false });
  const url = ctx.server.url(`${lang}/virtualisation/kvm/`);
  await page.goto(url);
  assert(!(await page.locator('[data-feedback-thanks]').isVisible()), 'the thank-you shows before any vote');
  const statuses = [];
  page.on('response', (r) => statuses.push(`${r.request().method()} ${r.status()} ${r.url()}`));
  await Promise.all([page.waitForURL((u) => u.search.includes('feedback'), { timeout: 10000 }), page.click('[data-feedback] [data-vote="yes"]')]);
  assert(statuses.some((s) => s.startsWith('POST 303 ')), `no 303 answer to the form post: ${statuses.join(', ')}`);
  const u = new URL(page.url());
  eq(u.origin + u.pathname, url, 'back on the article');
  await page.locator('[data-feedback-thanks]').waitFor({ state: 'visible', timeout: 5000 })
    .catch(() => { throw new Error(`the thank-you is not visible at ${page.url()}`); });
  eq(await page.getAttribute('html', 'lang'), lang, 'html[lang]');
}

async function report(ctx) {
  const r = await phare(['feedback', 'report', '--db', ctx.db, '--format', 'json']);
  let rows;
  try { rows = JSON.parse(r.stdout).articles; } catch (e) { throw new Error(`report is not JSON: ${e.message}\n${r.stdout}`); }
  assert(Array.isArray(rows), 'report JSON has no articles list');
  const find = (article, lang) => rows.find((x) => x.article === article && x.lang === lang);
  const problems = [];
  for (const lang of LANGS) {
    const lxc = find('virtualisation/lxc', lang), kvm = find('virtualisation/kvm', lang);
    if (!lxc || lxc.no !== 1 || lxc.yes !== 0) problems.push(`lxc/${lang}: expected 1 no, got ${JSON.stringify(lxc)}`);
    else if (!JSON.stringify(lxc.comments).includes(JSON.stringify(COMMENT[lang]).slice(1, -1)))
      problems.push(`lxc/${lang}: comment ${JSON.stringify(COMMENT[lang])} missing: ${JSON.stringify(lxc.comments)}`);
    if (!kvm || kvm.yes !== 1 || kvm.no !== 0) problems.push(`kvm/${lang}: expected 1 yes, got ${JSON.stringify(kvm)}`);
  }
  if (problems.length) throw new Error(`${problems.join('\n')}\nreport: ${r.stdout}`);
}

export const tests = [
  ...LANGS.map((lang) => ({ name: `feedback with JavaScript (${lang}): No, a reason, a comment, thanks in place`, fn: (ctx) => voteWithJs(ctx, lang) })),
  ...LANGS.map((lang) => ({ name: `feedback without JavaScript (${lang}): Yes, 303 back to the article, thanks shown`, fn: (ctx) => voteWithoutJs(ctx, lang) })),
  { name: 'feedback: phare feedback report holds every vote for its article and language', fn: report },
];
