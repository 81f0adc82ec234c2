// code: highlighted code blocks (issue 17) on a page holding a block of every
// language, a titled one and a console session, built beside the shipped
// site (under /help/code-test/): axe-core with JavaScript on and off, light
// and dark; html-validate; the copy button (absent without JavaScript,
// labelled in the reader's language, "copied" said through a status region,
// the right text on the clipboard: a console block's commands only).
import { createRequire } from 'node:module';
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { phare, htmlFiles, ROOT } from '../lib/env.mjs';
import { assert, eq } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DIR = 'code-test';

const SNIPPETS = {
  bash: 'sudo apt install -y nginx # web\necho "$HOME" \'$x\' ${USER} | grep x\n',
  console: '$ sudo systemctl restart nginx\n$ systemctl status nginx \\\n  --no-pager\n● nginx.service - A high performance web server\n   Active: active (running)\nroot@web:~# nginx -t\nnginx: configuration file /etc/nginx/nginx.conf test is successful\nPS C:\\> Get-Service sshd\n',
  powershell: 'Get-Service -Name sshd | Where-Object { $_.Status -eq "Running" } # x\n',
  yaml: '# c\nserver:\n  port: 8080\n  name: "web"\n  run: |\n    echo hi\n  on: true\n',
  json: '{"a": [1, 2.5, true, null], "b": "x"}\n',
  toml: '[server]\nport = 8080 # p\n',
  nginx: 'server {\n  listen 80;\n  root $root/www; # r\n}\n',
  apache: '<VirtualHost *:80>\n  ServerName example.org\n  RewriteRule ^ %{HTTP_HOST} [L]\n</VirtualHost>\n',
  dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
  sql: "SELECT name, COUNT(*) FROM users WHERE id = 'a' -- c\n",
  python: '@app.route("/")\ndef f(x):\n    return len(x)  # n\n',
  php: "<?php\necho $name . 'x'; // c\n",
  javascript: 'const x = await fetch(`/api/${id}`); /* c */\n',
  html: '<!-- c -->\n<a href="/x" hidden>T &amp; U</a>\n',
  css: 'a:hover { color: #fff; margin: 0 1.5em !important; }\n',
  diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n',
  c: '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n',
};

function article(title) {
  let md = `---\ntitle: ${title}\n---\nIntro.\n\n`;
  md += '```bash title="install.sh"\n' + SNIPPETS.bash + '```\n\n';
  for (const [lang, code] of Object.entries(SNIPPETS)) md += `## ${lang}\n\n\`\`\`${lang}\n${code}\`\`\`\n\n`;
  md += '## plain\n\n```\na very long line of plain text, long enough to scroll sideways on a narrow screen, and then some more text\n```\n';
  return md;
}

let built = null;
async function buildCodeSite(ctx) {
  if (built) return built;
  const src = path.join(ctx.tmp, 'code-src');
  const files = {
    'content/site.yaml': 'title: { fr: Aide, en: Help }\ndefault_language: fr\nlanguages:\n  - { code: fr, name: Français }\n  - { code: en, name: English }\n',
    'content/fr/guide/code.md': article('Du code'),
    'content/en/guide/code.md': article('Some code'),
  };
  for (const [f, text] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(src, f)), { recursive: true });
    await fsp.writeFile(path.join(src, f), text);
  }
  await phare(['build', '--source', src, '--out', path.join(ctx.site, DIR), '--base-url', `/help/${DIR}/`, '--quiet']);
  built = path.join(ctx.site, DIR);
  return built;
}

async function axe(ctx, page) {
  await page.addScriptTag({ path: ctx.axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
  }, TAGS);
}

async function axeCode(ctx, js, colorScheme) {
  await buildCodeSite(ctx);
  const problems = [];
  for (const lang of ['fr', 'en']) {
    for (const width of [1280]) {
      const page = await ctx.newPage({ blockScripts: !js, colorScheme, width });
      await page.goto(ctx.server.url(`${DIR}/${lang}/guide/code/`));
      await page.waitForLoadState('load');
      const spans = await page.locator('.content [class^="hl-"]').count();
      assert(spans > 100, `${lang}: only ${spans} highlighted spans`);
      eq(await page.locator('.code-copy').count(), js ? 19 : 0, `${lang}: copy buttons`);
      problems.push(...(await axe(ctx, page)).map((p) => `${lang} ${width}px: ${p}`));
    }
  }
  await ctx.closeContexts();
  if (problems.length) throw new Error(`${problems.length} violation(s):\n${problems.join('\n')}`);
}

async function copy(ctx) {
  await buildCodeSite(ctx);
  const page = await ctx.newPage({ locale: 'fr-FR' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.origin });
  await page.goto(ctx.server.url(`${DIR}/fr/guide/code/`));
  await page.waitForLoadState('load');
  const block = (lang) => page.locator(`.code-block:has(pre[data-lang="${lang}"])`).first();
  // a real button, labelled in French, beside a status region
  const button = block('console').locator('button.code-copy');
  eq(await button.textContent(), 'Copier', 'the button label (fr)');
  eq(await button.getAttribute('type'), 'button', 'the button type');
  const status = block('console').locator('[role="status"]');
  eq(await status.textContent(), '', 'the status before copying');
  // console: the commands, continuation line included, no prompt, no output
  await button.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.code-block [role="status"]:not(:empty)'), null, { timeout: 5000 });
  eq(await status.textContent(), 'Copié', 'the status after copying');
  eq(await page.evaluate(() => navigator.clipboard.readText()),
    'sudo systemctl restart nginx\nsystemctl status nginx \\\n  --no-pager\nnginx -t\nGet-Service sshd',
    'console block copied');
  // any other block: its code as written (the title is not part of it)
  await block('bash').locator('button.code-copy').click();
  await page.waitForFunction(() => document.querySelectorAll('.code-block [role="status"]:not(:empty)').length >= 2, null, { timeout: 5000 });
  eq(await page.evaluate(() => navigator.clipboard.readText()), SNIPPETS.bash.replace(/\n$/, ''), 'bash block copied');
  await block('html').locator('button.code-copy').click();
  await page.waitForFunction(() => document.querySelectorAll('.code-block [role="status"]:not(:empty)').length >= 3, null, { timeout: 5000 });
  eq(await page.evaluate(() => navigator.clipboard.readText()), SNIPPETS.html.replace(/\n$/, ''), 'html block copied');
  assert(!page.errors.length, `page errors: ${page.errors.join('; ')}`);
  // English labels on the English page
  await page.goto(ctx.server.url(`${DIR}/en/guide/code/`));
  await page.waitForLoadState('load');
  eq(await page.locator('button.code-copy').first().textContent(), 'Copy', 'the button label (en)');
  await ctx.closeContexts();
}

async function validity(ctx) {
  const dir = await buildCodeSite(ctx);
  const { HtmlValidate } = require('html-validate');
  const hv = new HtmlValidate(JSON.parse(readFileSync(path.join(ROOT, 'tests/browser/htmlvalidate.json'), 'utf8')));
  const errors = [];
  for (const f of (await htmlFiles(dir)).filter((x) => x.includes('guide/code'))) {
    const report = await hv.validateFile(path.join(dir, f));
    for (const r of report.results)
      for (const m of r.messages)
        if (m.severity === 2) errors.push(`${f}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`);
  }
  if (errors.length) throw new Error(errors.join('\n'));
}

export const tests = [
  ...[true, false].flatMap((js) => ['light', 'dark'].map((scheme) => ({
    name: `code blocks: axe-core WCAG 2.1 A/AA, every language (fr, en; ${js ? 'with JavaScript' : 'no-JavaScript markup'}, ${scheme}), zero violations`,
    fn: (ctx) => axeCode(ctx, js, scheme),
    timeout: 90000,
  }))),
  { name: 'code blocks: copy button labelled in the reader\'s language, "copied" announced, console copies commands only', fn: copy },
  { name: 'code blocks: html-validate, no errors', fn: validity },
];
