// run.mjs: the browser tests of phare (issue 8).  Builds the shipped content
// under /help/, serves it on loopback with a real `phare collect` behind
// /api/feedback, and drives Debian's Chromium with playwright-core through
// the site as a reader would: navigation, questionnaire (with and without
// JavaScript), feedback, search, accessibility (axe-core), keyboard, weight,
// HTML validity, screenshots (tests/browser/artifacts/).
//   node tests/browser/run.mjs [FILTER]   (from the repo root; FILTER: substring of test names)
// Env: PHARE (binary, default build/phare), CHROMIUM (default /usr/bin/chromium).
// Prints "ok - name" / "not ok - name" per test, then "browser: N passed, N failed".
import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, buildSite, startCollector, startServer } from './lib/env.mjs';
import { runTests } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const HERE = path.join(ROOT, 'tests/browser');
// a guard against a hung browser, not a timing: generous for a loaded 2-core machine
const WHOLE_RUN_LIMIT_MS = 600000;

const suites = ['navigation', 'questionnaire', 'feedback', 'dashboard', 'search', 'a11y', 'callouts', 'gfm', 'weight', 'validity', 'screenshots', 'code', 'nested', 'qstats'];

function finish(passed, failed) {
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

async function main() {
  const filter = process.argv[2] || '';
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    console.log('not ok - setup: playwright-core is not installed');
    console.log('  # run scripts/install-deps (npm ci in tests/browser)');
    return finish(0, 1);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'phare-browser-'));
  const site = path.join(tmp, 'site');
  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length) {
      try { await cleanups.pop()(); } catch { /* keep closing the rest */ }
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const watchdog = setTimeout(async () => {
    console.log(`not ok - whole run: still running after ${WHOLE_RUN_LIMIT_MS / 1000} s, stopped`);
    await cleanup();
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }, WHOLE_RUN_LIMIT_MS);
  try {
    const started = Date.now();
    try {
      await buildSite(site);
      console.log(`ok - build the shipped content under /help/ (${Date.now() - started} ms)`);
    } catch (e) {
      console.log('not ok - build the shipped content under /help/');
      console.log(e.message.split('\n').map((l) => `  # ${l}`).join('\n'));
      return finish(0, 1);
    }
    const collector = await startCollector(site, path.join(tmp, 'fb.sqlite'));
    cleanups.push(() => collector.stop());
    const server = await startServer(site, collector.port);
    cleanups.push(() => server.close());
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-quic', '--disable-sync', '--disable-features=Translate,OptimizationHints',
        // Nothing leaves the machine: names other than 127.0.0.1 do not
        // resolve, and whatever is not loopback goes to a closed local port.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
      proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1' },
      timeout: 30000,
    });
    cleanups.push(() => browser.close());

    const origins = [server.origin];   // the sites served (a suite may add its own: callouts.mjs)
    const external = [];   // every request that would have left 127.0.0.1 (aborted)
    const requests = [];   // every request URL of the run
    const open = [];
    const ctx = {
      tmp, site, server, collector, browser, origins, external, requests,
      db: path.join(tmp, 'fb.sqlite'),
      artifacts: path.join(HERE, 'artifacts'),
      axePath: require.resolve('axe-core/axe.min.js'),
      /** A new page in its own context.  js: JavaScript on; blockScripts: the
       * site's own scripts (assets/*.js) fail to load, to see the no-JS markup
       * while JavaScript stays on for axe-core. */
      async newPage({ js = true, blockScripts = false, width = 1280, height = 900, locale, colorScheme = 'light' } = {}) {
        const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width, height }, locale, colorScheme });
        open.push(context);
        context.setDefaultTimeout(10000);
        context.setDefaultNavigationTimeout(15000);
        // Every request is recorded; one for another host than the site's
        // counts against the run (and goes nowhere: see the launch options).
        context.on('request', (r) => {
          const url = r.url();
          requests.push(url);
          if (/^(https?|wss?):/.test(url) && !origins.some((o) => url.startsWith(o + '/'))) external.push(url);
        });
        if (blockScripts) await context.route(/\/assets\/[^/?#]*\.js(\?|$)/, (route) => route.abort());
        const page = await context.newPage();
        page.errors = [];
        page.on('pageerror', (e) => page.errors.push(String(e)));
        return page;
      },
      async closeContexts() {
        while (open.length) await open.pop().close().catch(() => {});
      },
    };
    await fsp.mkdir(ctx.artifacts, { recursive: true });

    let tests = [];
    for (const s of suites) tests.push(...(await import(`./suites/${s}.mjs`)).tests);
    tests.push({
      name: 'no request of the whole run left 127.0.0.1',
      fn() {
        if (external.length) throw new Error(`requests outside the site:\n${[...new Set(external)].join('\n')}`);
        if (!requests.length) throw new Error('no request was recorded at all');
      },
    });
    if (filter) tests = tests.filter((t) => t.name.includes(filter));
    const c = await runTests(tests, ctx);
    if (c.skipped) console.log(`# ${c.skipped} skipped (not counted as passed)`);
    finish(c.passed + 1, c.failed);
  } catch (e) {
    console.log('not ok - setup');
    console.log(String(e && e.stack || e).split('\n').map((l) => `  # ${l}`).join('\n'));
    finish(0, 1);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

// A stray rejection (a timed-out test's late error) is noted, never fatal:
// the run must still close everything and print its summary line.
process.on('unhandledRejection', (e) => console.log(`# late error (ignored): ${String(e && e.message || e).split('\n')[0]}`));
main();
