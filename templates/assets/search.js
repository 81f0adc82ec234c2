/* search.js: the search box over the index of generator/search/index.h (read
 * there how words are found).  Config: the form's data- attributes. */
(() => {
const SPECIAL = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't', ŀ: 'l', ĸ: 'k', ŋ: 'n', ſ: 's' };
const WORD = /[\p{L}\p{N}]+/gu;
const fold = s => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[ßæœøđðþłıħŧŀĸŋſ]/g, c => SPECIAL[c]);

/* Words with a key (text.h); the last is open (a prefix) unless a separator follows. */
const terms = (query, stop) => {
  const ws = fold(query).match(WORD) || [];
  return ws.map((w, i) => ({ w, open: i === ws.length - 1 && /[\p{L}\p{N}]$/u.test(query) }))
    .filter(t => ([...t.w].length > 1 || /\d/.test(t.w)) && new TextEncoder().encode(t.w).length <= 40 &&
      !stop.includes(t.w));
};

const esc = w => [...w].map(c => /[a-z0-9]/.test(c) ? c : '_' + c.codePointAt(0).toString(16) + '_').join('');

/* Entries of a sorted list whose word is (or starts with) w. */
const range = (list, w, prefix) => {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid][0] < w) lo = mid + 1; else hi = mid; }
  const out = [];
  for (; lo < list.length && (prefix ? list[lo][0].startsWith(w) : list[lo][0] === w); lo++) out.push(list[lo]);
  return out;
};

/* get(url) -> Promise of the JSON. */
class Index {
  constructor(base, get) { this.base = base; this.get = get; this.files = {}; this.post = {}; }
  load(name) { return this.files[name] || (this.files[name] = this.get(this.base + name)); }
  meta() { return this.load('meta.json'); }
  shard(name) { return this.load(name ? 't-' + name + '.json' : 't.json'); }
  shardsFor(meta, w, prefix) {
    const e = esc(w), out = [];
    let best;
    for (const n of meta.shards) {
      if (e.startsWith(n) && !(best && best.length >= n.length)) best = n;
      else if (prefix && n.startsWith(e)) out.push(n);
    }
    if (best != null) out.unshift(best);
    return out;
  }
  async keys(meta, t) {
    const out = new Map(), add = (k, wt) => { if (!(out.get(k) >= wt)) out.set(k, wt); };
    for (const n of this.shardsFor(meta, t.w, t.open)) {
      const s = await this.shard(n);
      for (const e of range(s.k, t.w, t.open)) add(e[0], e[0] === t.w ? 1 : 0.7);
      for (const e of range(s.f, t.w, t.open)) add(e[1], e[0] === t.w ? 1 : 0.7);
    }
    if (!out.size) {
      for (const sfx of meta.suffixes) {
        const r = t.w.slice(0, -sfx.length);
        if (!t.w.endsWith(sfx) || [...r].length < 2) continue;
        for (const n of this.shardsFor(meta, r, false))
          if (range((await this.shard(n)).k, r, false).length) add(r, 0.9);
      }
    }
    return out;
  }
  async postings(meta, key) {
    if (this.post[key]) return this.post[key];
    const m = new Map();
    for (const n of this.shardsFor(meta, key, false)) {
      for (const [, p] of range((await this.shard(n)).k, key, false)) {
        /* the stored score is BM25F's saturation: times the key's idf, from its page count */
        const idf = Math.log(1 + (meta.docs - p.length / 3 + 0.5) / (p.length / 3 + 0.5));
        for (let i = 0, d = 0; i < p.length; i += 3) m.set(d += p[i], [p[i + 1] * idf, p[i + 2]]);
      }
    }
    return (this.post[key] = m);
  }
}

/* Words ANDed, scores added; results best first. */
const search = async (ix, query, limit) => {
  const meta = await ix.meta(), ts = terms(query, meta.stop), roots = [];
  let acc = null; /* doc -> [score, sect of best word, its score, a word at the top] */
  for (const t of ts) {
    const docs = new Map();
    roots.push(t.w);
    for (const [k, wt] of await ix.keys(meta, t)) {
      if (k.length > 2) roots.push(k);
      for (const [d, p] of await ix.postings(meta, k)) {
        const cur = docs.get(d);
        if (!cur || p[0] * wt > cur[0]) docs.set(d, [p[0] * wt, p[1]]);
      }
    }
    const next = new Map();
    for (const [d, v] of docs) {
      const a = acc ? acc.get(d) : [0, v[1], 0, false];
      if (a) next.set(d, [a[0] + v[0], a[2] > v[0] ? a[1] : v[1], Math.max(a[2], v[0]), a[3] || !v[1]]);
    }
    acc = next;
    if (!acc.size) break;
  }
  const ranked = [...(acc || [])].sort((a, b) => b[1][0] - a[1][0] || a[0] - b[0]), results = [];
  for (const [id, r] of ranked.slice(0, limit)) {
    const doc = (await ix.load('d-' + Math.floor(id / meta.chunk) + '.json'))[id % meta.chunk];
    const h = r[3] ? null : doc[6][r[1] - 1];
    results.push({ title: doc[0], url: doc[1] + (h && h[0] ? '#' + h[0] : ''), section: doc[2], kind: doc[3],
      heading: h ? h[1] : '', text: pick(h ? [h[2], doc[5]] : [doc[4], doc[5]], roots) });
  }
  return { roots, total: ranked.length, results };
};

/* [[text, marked], …]: words starting with a root marked. */
const highlight = (text, roots) => {
  const out = [];
  const re = new RegExp(WORD);
  let last = 0, m;
  while ((m = re.exec(text))) {
    const f = fold(m[0]);
    if (!roots.some(r => f.startsWith(r))) continue;
    if (m.index > last) out.push([text.slice(last, m.index), false]);
    out.push([m[0], true]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push([text.slice(last), false]);
  return out;
};
const pick = (texts, roots) => texts.find(x => x && highlight(x, roots).some(p => p[1])) ||
  texts.find(Boolean) || '';

const el = (tag, cls, text) => { const e = document.createElement(tag); e.className = cls; e.textContent = text || ''; return e; };
const link = (href, text) => { const a = el('a', '', text); a.href = href; return a; };

const init = form => {
  const ds = form.dataset, input = form.querySelector('[data-search]'),
    list = form.querySelector('[data-search-results]'), status = form.querySelector('[data-search-status]'),
    fallback = form.parentNode.querySelector('[data-search-fallback]'),
    ix = new Index(ds.searchIndex, url => fetch(url).then(r => { if (!r.ok) throw Error(url); return r.json(); }));
  let seq = 0;
  form.hidden = false;
  if (fallback) fallback.hidden = true;
  const links = () => [...list.querySelectorAll('a')];
  const close = () => { list.hidden = true; list.textContent = ''; status.textContent = ''; };
  const render = (r, q) => {
    list.textContent = '';
    for (const x of r.results) {
      const li = el('li', 'search-result search-kind-' + x.kind), p = el('p', 'search-snippet');
      li.setAttribute('data-search-result', '');
      const sec = el('span', 'search-section'), marks = (to, t) => {
        for (const [s, m] of highlight(t, r.roots)) to.append(m ? el('mark', '', s) : s);
      };
      marks(sec, x.heading ? x.section + ' › ' + x.heading : x.section);
      marks(p, x.text);
      li.append(link(x.url, x.title), sec, p);
      list.append(li);
    }
    const n = r.total;
    status.textContent = n === 1 ? ds.strOne : n ? ds.strResults.replace('{n}', n) : ds.strNone.replace('{query}', q.trim());
    if (!n) {
      const li = el('li', 'search-empty');
      if (ds.questionnaireUrl) li.append(link(ds.questionnaireUrl, ds.strTry), ' ');
      li.append(link(ds.browse, ds.strBrowse));
      list.append(li);
    }
    list.hidden = false;
  };
  const run = async () => {
    const q = input.value, my = ++seq;
    if (!q.trim()) return close();
    try {
      const r = await search(ix, q, +ds.searchLimit || 10);
      if (my === seq) render(r, q);
    } catch (e) { if (my === seq) close(); }
  };
  input.addEventListener('focus', () => ix.meta().catch(() => {}), { once: true });
  input.addEventListener('input', run);
  /* loaded on first use (phare.js): catch up with what happened before */
  if (document.activeElement === input) ix.meta().catch(() => {});
  if (input.value) run();
  form.addEventListener('submit', e => { e.preventDefault(); const a = links()[0]; if (a) location.href = a.href; });
  form.addEventListener('keydown', e => {
    const all = links();
    let i = all.indexOf(document.activeElement);
    if (e.key === 'Escape') { input.value = ''; close(); input.focus(); } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && all.length) {
      e.preventDefault();
      i += e.key === 'ArrowDown' ? 1 : -1;
      (i < 0 ? input : all[Math.min(i, all.length - 1)]).focus();
    }
  });
};

if (typeof module === 'object' && module.exports) module.exports = { fold, terms, esc, range, Index, search, highlight };
if (typeof document !== 'undefined') document.querySelectorAll('form[data-search-form]').forEach(init);
})();
