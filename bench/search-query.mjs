/* search-query.mjs: runs a list of queries in node against phare's search
 * index (templates/assets/search.js) or Pagefind's (its pagefind.js), every
 * file read from disk through a fetch hook that records names and sizes.
 * Used by bench/search.py; prints one JSON document on stdout.
 *
 *   node bench/search-query.mjs phare    <site/lang/search> <lang> <queries.json> [reps]
 *   node bench/search-query.mjs pagefind <site>             <lang> <queries.json> [reps]
 *
 * For each query: cold = a fresh index object (nothing cached: what a reader's
 * first query costs), the top 10 results' records loaded as the page would;
 * warm = the same query again on an object that has already run every query
 * (median of reps runs).  Bytes are file sizes on disk (no HTTP compression). */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [tool, dir, lang, qfile, repsArg] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(qfile, 'utf8'));
const reps = +repsArg || 5;
const LIMIT = 10;

let fetched = [];
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : 0; };
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function phare() {
  const s = createRequire(import.meta.url)(path.join(here, '../templates/assets/search.js'));
  const get = async name => {
    const buf = fs.readFileSync(path.join(dir, name));
    fetched.push([name, buf.length]);
    return JSON.parse(buf.toString('utf8'));
  };
  const run = async (ix, q) => {
    const r = await s.search(ix, q, LIMIT);
    return { total: r.total, top: r.results.slice(0, 3).map(x => x.title) };
  };
  return { fresh: () => new s.Index('', get), run };
}

async function pagefind() {
  /* pagefind.js asks the page's <html lang> for the language; node has no
   * document, so give it one that answers lang (no window: no Worker). */
  globalThis.document = { currentScript: null, querySelector: () => ({ getAttribute: () => lang }) };
  globalThis.fetch = async url => {
    const rel = decodeURIComponent(String(url).split('?')[0]).replace(/^\/+/, '');
    const buf = fs.readFileSync(path.join(dir, rel));
    fetched.push([rel, buf.length]);
    return new Response(buf, { status: 200 });
  };
  const pf = await import(pathToFileURL(path.join(dir, '_pagefind/pagefind.js')).href);
  const run = async (inst, q) => {
    const r = await inst.search(q);
    const data = await Promise.all(r.results.slice(0, LIMIT).map(x => x.data()));
    return { total: r.results.length, top: data.slice(0, 3).map(d => d.meta && d.meta.title) };
  };
  const fresh = () => pf.createInstance({ basePath: '/_pagefind/', language: lang });
  return { fresh, run };
}

const api = tool === 'pagefind' ? await pagefind() : await phare();
const out = { tool, lang, queries: [] };
for (const q of queries) {
  const ix = api.fresh();
  fetched = [];
  const t0 = now();
  const r = await api.run(ix, q);
  const ms = now() - t0;
  out.queries.push({ query: q, total: r.total, top: r.top, cold_ms: ms, files: fetched.slice(),
    bytes: fetched.reduce((a, f) => a + f[1], 0) });
  if (ix.destroy) await ix.destroy();
}
/* warm: one object that has seen every query */
const ix = api.fresh();
fetched = [];
for (const q of queries) await api.run(ix, q);
out.warm_files = fetched.length;
fetched = [];
for (const [i, q] of queries.entries()) {
  const ts = [];
  for (let k = 0; k < reps; k++) { const t0 = now(); await api.run(ix, q); ts.push(now() - t0); }
  out.queries[i].warm_ms = median(ts);
}
out.warm_refetched = fetched.length; /* 0 unless the tool drops what it loaded */
if (ix.destroy) await ix.destroy();
process.stdout.write(JSON.stringify(out) + '\n');
