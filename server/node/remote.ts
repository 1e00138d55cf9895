/**
 * Opt-in remote checks for meta files (setting `upgradeLint.remoteChecks`, CLI `--remote-checks`; never in an
 * untrusted workspace): ask the server named by `updateFileUrl` for the image size — HTTP `HEAD` on port 80,
 * FTP `SIZE` with the file's `user`/`password` — and compare it with `updateFileSize`.
 * Every request has a timeout, results are cached per URL for the session, at most a few connections run at
 * once, and credentials never appear in messages or logs.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { parseMeta } from '../engine/parse/kv';
import { META_KEYS } from '../engine/rules/meta';
import { splitUrl } from '../engine/url';
import type { Diagnostic, Locale } from '../engine/types';

export interface RemoteOptions { timeoutMs?: number; locale?: Locale; maxConnections?: number }

type Probe = { size: number } | { error: { en: string; ja: string } };

const cache = new Map<string, Promise<Probe>>();
let running = 0;
const queue: (() => void)[] = [];

async function limited<T>(max: number, fn: () => Promise<T>): Promise<T> {
  if (running >= max) await new Promise<void>((r) => queue.push(r));
  running++;
  try { return await fn(); } finally { running--; queue.shift()?.(); }
}

/** Forget cached results (tests; a new session). */
export function clearRemoteCache(): void { cache.clear(); }

const err = (en: string, ja: string): Probe => ({ error: { en, ja } });

function httpHead(host: string, port: number, path: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const req = http.request({ host, port, path: path || '/', method: 'HEAD', timeout: timeoutMs, agent: false, headers: { 'user-agent': 'upgrade-lint' } }, (res) => {
      res.resume();
      const len = res.headers['content-length'];
      if (res.statusCode !== 200) resolve(err(`the server answered HTTP ${res.statusCode}`, `サーバの応答が HTTP ${res.statusCode} でした`));
      else if (!len || !/^\d+$/.test(len)) resolve(err('the server sent no Content-Length', 'サーバが Content-Length を返しませんでした'));
      else resolve({ size: Number(len) });
    });
    req.on('timeout', () => { req.destroy(); resolve(err(`no answer within ${timeoutMs} ms`, `${timeoutMs} ms 以内に応答がありませんでした`)); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(err(`connection failed (${e.code ?? 'error'})`, `接続できませんでした（${e.code ?? 'error'}）`)));
    req.end();
  });
}

function ftpSize(host: string, port: number, path: string, user: string, password: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    let step = 0;
    let settled = false;
    const done = (p: Probe) => { if (settled) return; settled = true; clearTimeout(timer); sock.destroy(); resolve(p); };
    const timer = setTimeout(() => done(err(`no answer within ${timeoutMs} ms`, `${timeoutMs} ms 以内に応答がありませんでした`)), timeoutMs);
    const send = (line: string) => sock.write(line + '\r\n');
    sock.on('error', (e: NodeJS.ErrnoException) => done(err(`connection failed (${e.code ?? 'error'})`, `接続できませんでした（${e.code ?? 'error'}）`)));
    sock.on('close', () => done(err('the server closed the connection', 'サーバが接続を閉じました')));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.length > 65536) return done(err('the server sent an unexpected reply', 'サーバから予期しない応答がありました'));
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        const m = /^(\d{3})([ -])(.*)$/.exec(line);
        if (!m) return done(err('the server sent an unexpected reply', 'サーバから予期しない応答がありました'));
        if (m[2] === '-') continue; // multi-line reply: wait for its last line
        const code = Number(m[1]);
        if (step === 0) { if (code !== 220) return done(err(`unexpected greeting (${code})`, `予期しない応答（${code}）`)); step = 1; send(`USER ${user}`); }
        else if (step === 1) {
          if (code === 230) { step = 3; send('TYPE I'); }
          else if (code === 331) { step = 2; send(`PASS ${password}`); }
          else return done(err(`login refused (${code})`, `ログインが拒否されました（${code}）`));
        } else if (step === 2) { if (code !== 230) return done(err(`login refused (${code})`, `ログインが拒否されました（${code}）`)); step = 3; send('TYPE I'); }
        else if (step === 3) { step = 4; send(`SIZE ${path}`); }
        else if (step === 4) {
          if (code === 213 && /^\d+$/.test(m[3].trim())) { send('QUIT'); return done({ size: Number(m[3].trim()) }); }
          return done(err(code === 550 ? 'the file does not exist on the server' : `SIZE failed (${code})`, code === 550 ? 'サーバ上にファイルがありません' : `SIZE に失敗しました（${code}）`));
        }
      }
    });
  });
}

/** The remote diagnostics of a meta file (none when the URL is not checkable). */
export async function remoteCheckMeta(text: string, opts: RemoteOptions = {}): Promise<Diagnostic[]> {
  const locale = opts.locale ?? 'en';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const doc = parseMeta(text);
  const get = (k: string) => doc.entries.find((e) => e.key.toLowerCase() === k.toLowerCase() && META_KEYS.includes(k));
  const url = get('updateFileUrl');
  const size = get('updateFileSize');
  const parts = url ? splitUrl(url.value) : undefined;
  if (!url || !parts || !parts.host || (parts.scheme !== 'http' && parts.scheme !== 'ftp')) return [];
  if (parts.scheme === 'http' && parts.port && parts.port.value !== '' && parts.port.value !== '80') return []; // meta/http-port reports it
  const host = parts.host.replace(/^\[|\]$/g, '');
  const port = parts.port?.value ? Number(parts.port.value) : parts.scheme === 'http' ? 80 : 21;
  const path = parts.path.replace(/[?#].*$/, '') || '/';
  const user = get('user')?.value || 'anonymous';
  const password = get('password')?.value || 'anonymous@';
  // The URL as shown to people: never with credentials.
  const shown = `${parts.scheme}://${parts.host}${parts.port?.text ?? ''}${path}`;
  const key = `${parts.scheme}|${host}|${port}|${path}|${user}`;
  let probe = cache.get(key);
  if (!probe) {
    probe = limited(opts.maxConnections ?? 4, () => (parts.scheme === 'http' ? httpHead(host, port, path, timeoutMs) : ftpSize(host, port, path, user, password, timeoutMs)));
    cache.set(key, probe);
  }
  const result = await probe;
  const pick = (m: { en: string; ja: string }) => (locale === 'ja' ? m.ja : m.en);
  if ('error' in result) {
    return [{
      rule: 'meta/remote-unreachable', severity: 'warning', range: url.valueRange, fixes: [],
      message: pick({ en: `Could not read the size of ${shown}: ${result.error.en}.`, ja: `${shown} のサイズを取得できませんでした: ${result.error.ja}。` }),
    }];
  }
  if (!size || !/^[1-9][0-9]*$/.test(size.value) || Number(size.value) === result.size) return [];
  return [{
    rule: 'meta/remote-size-mismatch', severity: 'error', range: size.valueRange,
    message: pick({ en: `updateFileSize is ${size.value} but ${shown} is ${result.size} bytes on the server.`, ja: `updateFileSize は ${size.value} ですが、サーバ上の ${shown} は ${result.size} バイトです。` }),
    fixes: [{ title: pick({ en: `Set updateFileSize to ${result.size}`, ja: `updateFileSize を ${result.size} に設定` }), preferred: true, edits: [{ range: size.valueRange, newText: String(result.size) }] }],
  }];
}
