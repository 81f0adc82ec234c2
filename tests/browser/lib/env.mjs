// env.mjs: the world the browser tests run in: the phare binary, the built
// site, a static server for it on loopback, a real `phare collect` behind it.
import { spawn, execFile } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { promises as fsp, createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BASE = '/help/';

/** The phare binary: $PHARE (relative to the repo root) or build/phare. */
export function phareBin() {
  return path.resolve(ROOT, process.env.PHARE || 'build/phare');
}

/** Runs a command (no shell) with a time limit; resolves {code, stdout, stderr}. */
export function run(cmd, args, { timeout = 30000, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout, maxBuffer: 16 << 20, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), killed: !!(err && err.killed) });
    });
  });
}

/** Runs phare; throws with its output when it fails. */
export async function phare(args, opts) {
  const r = await run(phareBin(), args, opts);
  if (r.code !== 0)
    throw new Error(`phare ${args.join(' ')} exited ${r.code}${r.killed ? ' (killed: too slow)' : ''}:\n${r.stderr}${r.stdout}`);
  return r;
}

/** The ranking `phare rules run` prints (last line, best first) for answers [[q, a], ...]
 * (a set's answer is "a,b"). */
export async function rulesRanking(name, answers) {
  const r = await phare(['rules', 'run', `rules/${name}.lua`, ...answers.map(([q, a]) => `${q}=${a}`)]);
  const lines = r.stdout.trim().split('\n');
  return lines[lines.length - 1].trim().split(' ');
}

/** The first outcome `phare rules run` prints for answers [[q, a], ...]. */
export async function rulesOutcome(name, answers) {
  return (await rulesRanking(name, answers))[0];
}

/** Builds the shipped content (the repository itself) into out. */
export async function buildSite(out) {
  await phare(['build', '--source', process.env.PHARE_SOURCE || ROOT, '--out', out, '--base-url', BASE, '--quiet'], { timeout: 120000 });
}

/** Starts `phare collect` on a free loopback port; resolves {port, stop()}. */
export function startCollector(site, db) {
  return new Promise((resolve, reject) => {
    const child = spawn(phareBin(), ['collect', '--db', db, '--site', site, '--listen', '127.0.0.1:0',
      '--max-per-minute', '0', '--sync', 'normal'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`phare collect did not start in 10 s:\n${out}`)); }, 10000);
    const onData = (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        const exited = new Promise((res) => child.once('exit', res));
        resolve({
          port: Number(m[1]),
          log: () => out,
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(t);
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`phare collect exited ${code}:\n${out}`)); });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.tsv': 'text/tab-separated-values',
};

async function isFile(p) {
  try { return (await fsp.stat(p)).isFile(); } catch { return false; }
}
async function isDir(p) {
  try { return (await fsp.stat(p)).isDirectory(); } catch { return false; }
}

/**
 * Serves site under BASE on 127.0.0.1 (a free port), like a plain static
 * host: dir/ -> dir/index.html, dir -> 301 dir/, anything else 404 with
 * 404.html.  POST BASE/../api/feedback (the site's endpoint /api/feedback) and
 * /api/questionnaire (the questionnaires' steps, beside it) are proxied to the
 * collector with their Host header kept, as a reverse proxy does.
 * Resolves {port, origin, url(path), close()}.
 */
export function startServer(site, collectorPort) {
  const server = createServer(async (req, res) => {
    try {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/api/feedback' || u.pathname === '/api/questionnaire') return proxy(req, res, collectorPort);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' });
        return res.end();
      }
      let rel = null;
      if (u.pathname.startsWith(BASE)) rel = decodeURIComponent(u.pathname.slice(BASE.length));
      let file = null;
      if (rel !== null && !rel.split('/').includes('..') && !rel.includes('\0')) {
        const p = path.join(site, rel);
        if (rel === '' || rel.endsWith('/')) {
          if (await isFile(path.join(p, 'index.html'))) file = path.join(p, 'index.html');
        } else if (await isFile(p)) {
          file = p;
        } else if (await isDir(p)) {
          res.writeHead(301, { Location: u.pathname + '/' + u.search });
          return res.end();
        }
      }
      const status = file ? 200 : 404;
      file = file || path.join(site, '404.html');
      const body = await fsp.readFile(file);
      res.writeHead(status, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    }
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        port, origin,
        url: (p = '') => origin + BASE + p.replace(/^\//, ''),
        close: () => new Promise((res) => { server.closeAllConnections(); server.close(() => res()); }),
      });
    });
  });
}

function proxy(req, res, port) {
  const up = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, timeout: 10000 },
    (ur) => { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); });
  up.on('timeout', () => up.destroy(new Error('collector timed out')));
  up.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(up);
}

/** Every built HTML page, as paths relative to site (sorted). */
export async function htmlFiles(site) {
  const out = [];
  async function walk(d) {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(site, p));
    }
  }
  await walk(site);
  return out.sort();
}

export { createReadStream };
