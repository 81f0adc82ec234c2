// a11y: axe-core (WCAG 2.0/2.1 A and AA rules) on every page type in both
// languages, with JavaScript and as the no-JavaScript markup; keyboard use
// (skip link first, visible, Enter moves into main; focus always visible).
//
// No-JavaScript markup: axe-core is itself a script, so it cannot run in a
// context with JavaScript disabled.  Those pages are checked in a context
// where JavaScript is on but every request for the site's own scripts
// (assets/*.js) is aborted: the DOM is then exactly the server's markup
// (plus the hidden/un-hidden state a missing script leaves), which is what a
// reader without JavaScript gets.
import { LANGS, pageTypes, QUESTIONNAIRE } from '../lib/pages.mjs';
import { eq, assert } from '../lib/harness.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(ctx, page) {
  await page.addScriptTag({ path: ctx.axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, TAGS);
}

function describe(where, violations) {
  return violations.map((v) => `${where}: ${v.id} (${v.impact}): ${v.help}\n    at ${v.targets.slice(0, 5).join(' | ')}${v.targets.length > 5 ? ` (+${v.targets.length - 5})` : ''}`);
}

/** States reached by using the page, checked too (JavaScript only). */
const STATES = {
  article: async (page) => { await page.click('[data-feedback] [data-vote="no"]'); return 'feedback reasons open'; },
  questionnaire: async (page) => {
    const box = `[data-questionnaire="${QUESTIONNAIRE}"]`;
    await page.waitForFunction((sel) => !!document.querySelector(sel).phareWalker, box, { timeout: 5000 });
    await page.click(`${box} [data-answer]`);
    await page.waitForFunction((sel) => document.querySelector(sel).getAttribute('data-node') !== 'n0', box, { timeout: 5000 });
    return 'second question (scripted)';
  },
  'questionnaire-multiple': async (page) => {
    const box = `[data-questionnaire="${QUESTIONNAIRE}"]`;
    await page.waitForFunction((sel) => !!document.querySelector(sel).phareWalker, box, { timeout: 5000 });
    await page.locator(`${box} input[type=checkbox]`).nth(1).check();
    return 'checkboxes (scripted), two ticked';
  },
  'questionnaire-result': async (page) => {
    const box = `[data-questionnaire="${QUESTIONNAIRE}"]`;
    await page.locator(`${box} [data-your-answers]`).waitFor({ timeout: 5000 });
    return 'ranked result with your answers (scripted)';
  },
  home: async (page) => {
    const input = page.locator('input[data-search]');
    if (!(await input.count()) || !(await input.isVisible())) return null;
    await input.fill(page.url().includes('/fr/') ? 'noyau' : 'kernel');
    await page.locator('[data-search-result]').first().waitFor({ timeout: 5000 });
    return 'search results open';
  },
};

async function axeAll(ctx, lang, js, colorScheme = 'light') {
  const problems = [];
  let checked = 0;
  const page = await ctx.newPage({ blockScripts: !js, colorScheme });
  for (const { type, path } of await pageTypes(ctx.site, lang)) {
    const res = await page.goto(ctx.server.url(path));
    eq(res.status(), type === '404' ? 404 : 200, `status of /help/${path}`);
    if (js) await page.waitForLoadState('load');
    problems.push(...describe(`${type} /help/${path}`, await axe(ctx, page)));
    checked++;
    if (js && STATES[type]) {
      const state = await STATES[type](page);
      if (state) {
        problems.push(...describe(`${type} /help/${path} [${state}]`, await axe(ctx, page)));
        checked++;
      }
    }
  }
  assert(checked >= 8, `only ${checked} pages checked`);
  if (problems.length) throw new Error(`${problems.length} violation(s):\n${problems.join('\n')}`);
}

async function keyboard(ctx, lang) {
  const page = await ctx.newPage();
  await page.goto(ctx.server.url(`${lang}/virtualisation/lxc/`));
  await page.waitForLoadState('load');
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement, r = a.getBoundingClientRect(), cs = getComputedStyle(a);
    return { cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(), top: r.top, left: r.left,
      w: r.width, h: r.height, vis: cs.visibility, outline: cs.outlineStyle, vw: innerWidth, vh: innerHeight };
  });
  eq(skip.href, '#main', `first Tab stop (${skip.cls} "${skip.text}") href`);
  assert(skip.text.length > 0, 'the skip link has no text');
  assert(skip.top >= 0 && skip.left >= 0 && skip.top + skip.h <= skip.vh && skip.w > 10 && skip.h > 10 && skip.vis === 'visible',
    `the focused skip link is not visible: ${JSON.stringify(skip)}`);
  assert(skip.outline !== 'none', 'the focused skip link has no focus outline');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#main', null, { timeout: 3000 });
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const a = document.activeElement;
    return { inMain: !!a.closest('main'), tag: a.tagName, text: (a.textContent || '').trim().slice(0, 40), outline: getComputedStyle(a).outlineStyle };
  });
  assert(next.inMain, `after the skip link, Tab went to ${next.tag} "${next.text}", outside main`);
  // Every Tab stop of the page shows where focus is.
  const bad = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement, cs = getComputedStyle(a);
      if (a === document.body) return null;
      return { d: `${a.tagName.toLowerCase()}${a.className ? '.' + a.className : ''} "${(a.textContent || a.value || '').trim().slice(0, 30)}"`,
        visible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1 || cs.boxShadow !== 'none' };
    });
    if (!f) break;
    if (!f.visible) bad.push(f.d);
  }
  if (bad.length) throw new Error(`focus not visible on: ${[...new Set(bad)].join(', ')}`);
}

export const tests = [
  ...LANGS.flatMap((lang) => [true, false].map((js) => ({
    name: `axe-core WCAG 2.1 A/AA (${lang}, ${js ? 'with JavaScript' : 'no-JavaScript markup'}): every page type, zero violations`,
    fn: (ctx) => axeAll(ctx, lang, js),
    timeout: 90000,
  }))),
  {
    name: 'axe-core WCAG 2.1 A/AA (fr, with JavaScript, dark colour scheme): every page type, zero violations',
    fn: (ctx) => axeAll(ctx, 'fr', true, 'dark'),
    timeout: 90000,
  },
  ...LANGS.map((lang) => ({ name: `keyboard (${lang}): skip link first, visible, Enter into main; focus always visible`, fn: (ctx) => keyboard(ctx, lang) })),
];
