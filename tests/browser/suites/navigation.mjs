// navigation: home -> section -> article -> language switch -> back, per language.
import { LANGS } from '../lib/pages.mjs';
import { eq, assert } from '../lib/harness.mjs';

function other(lang) { return LANGS.find((l) => l !== lang); }

async function navigate(ctx, lang) {
  const page = await ctx.newPage();
  const home = ctx.server.url(`${lang}/`);
  const res = await page.goto(home);
  eq(res.status(), 200, 'home status');
  eq(await page.getAttribute('html', 'lang'), lang, 'home html[lang]');

  await page.click('main a[href$="/virtualisation/"]');
  await page.waitForURL(ctx.server.url(`${lang}/virtualisation/`));
  assert(await page.locator('main h1').count() === 1, 'section page has no h1');

  await page.click('main .article-list a[href$="/virtualisation/lxc/"]');
  const article = ctx.server.url(`${lang}/virtualisation/lxc/`);
  await page.waitForURL(article);
  const title = (await page.textContent('article h1')).trim();
  assert(title.length > 0, 'article has an empty h1');
  eq(await page.getAttribute('html', 'lang'), lang, 'article html[lang]');

  const o = other(lang);
  await page.click(`.lang-switch a[hreflang="${o}"]`);
  await page.waitForURL(ctx.server.url(`${o}/virtualisation/lxc/`));
  eq(await page.getAttribute('html', 'lang'), o, 'html[lang] after the language switch');
  const otherTitle = (await page.textContent('article h1')).trim();
  assert(otherTitle !== title, `the ${o} article has the same title as the ${lang} one ("${title}"): not translated?`);
  eq(await page.getAttribute(`.lang-switch a[hreflang="${o}"]`, 'aria-current'), 'page', 'current language marked');

  await page.goBack();
  await page.waitForURL(article);
  eq(await page.getAttribute('html', 'lang'), lang, 'html[lang] after back');
  eq((await page.textContent('article h1')).trim(), title, 'article title after back');
  assert(!page.errors.length, `script errors: ${page.errors.join('; ')}`);
}

export const tests = LANGS.map((lang) => ({
  name: `navigation (${lang}): home -> section -> article -> language switch -> back`,
  fn: (ctx) => navigate(ctx, lang),
}));
