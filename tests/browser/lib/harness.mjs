// harness.mjs: a minimal named-test runner (TAP-like lines) with per-test
// time limits, skips, and shared helpers for the browser contexts.
export class Skip extends Error {}

/** Throws when cond is false. */
export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
export function eq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function withTimeout(promise, ms) {
  // A test that times out goes on in the background until its pages close
  // under it: its late rejection must not end the run.
  promise.catch(() => {});
  let t;
  const timer = new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timer]).finally(() => clearTimeout(t));
}

/** Runs tests [{name, fn, timeout}] in order with ctx; returns counts. */
export async function runTests(tests, ctx) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const test of tests) {
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(() => test.fn(ctx)), test.timeout || 60000);
      counts.passed++;
      console.log(`ok - ${test.name} (${Date.now() - started} ms)`);
    } catch (e) {
      if (e instanceof Skip) {
        counts.skipped++;
        console.log(`skip - ${test.name}: ${e.message}`);
        continue;
      }
      counts.failed++;
      console.log(`not ok - ${test.name}`);
      const text = (e && e.message) || String(e);
      console.log(text.split('\n').map((l) => `  # ${l}`).join('\n'));
    } finally {
      await ctx.closeContexts();
    }
  }
  return counts;
}
