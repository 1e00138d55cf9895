/**
 * Opt-in remote checks for meta files (setting `upgradeLint.remoteChecks`, CLI `--remote-checks`; never in an
 * untrusted workspace): ask the server named by `updateFileUrl` for the image size — HTTP `HEAD` on port 80,
 * FTP `SIZE` with the file's `user`/`password` — and compare it with `updateFileSize`.
 * Every request has a deadline (connect and all replies), results are cached per URL for the session, at most
 * a few connections run at once, and credentials never appear in messages or logs.
 */
import { msg, render, type Message, type MessageArgs, type MessageKey } from '../engine/l10n/index';
import type * as Http from 'node:http';
import type * as Net from 'node:net';
import { parseMeta } from '../engine/parse/kv';
import { META_KEYS } from '../engine/rules/meta';
import { pathOnly, splitUrl } from '../engine/url';
import type { Diagnostic, Locale } from '../engine/types';

export interface RemoteOptions {
  timeoutMs?: number;
  locale?: Locale;
  maxConnections?: number;
}

type Probe = { size: number } | { error: Message };

const cache = new Map<string, Promise<Probe>>();
let running = 0;
const queue: (() => void)[] = [];

async function limited<T>(max: number, fn: () => Promise<T>): Promise<T> {
  if (running >= max) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Forget cached results (tests; a new session). */
export function clearRemoteCache(): void {
  cache.clear();
}

/** A failed probe, with the reason as a message of the catalog (`remote.why.*`). */
const err = <K extends MessageKey>(key: K, ...args: MessageArgs[K] extends Record<string, never> ? [] : [MessageArgs[K]]): Probe => ({
  error: msg(key, ...args),
});

/** A size as a server reported it: decimal digits only, at most 15 of them (so always a safe integer). */
function sizeOf(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

const tooLate = (timeoutMs: number) => err('remote.why.timeout', { ms: timeoutMs });
// node:http is loaded on the first request: loading it costs the server's start a millisecond or two, and most
// runs check no URL (issue 16). A require, not import(): the bundle runs from a vm.Script (bin/code-cache.js),
// which has no dynamic import.
let httpModule: typeof Http | undefined;
const loadHttp = () => (httpModule ??= require('node:http') as typeof Http);
let netModule: typeof Net | undefined;
const loadNet = () => (netModule ??= require('node:net') as typeof Net);

const failed = (e: NodeJS.ErrnoException) => err('remote.why.connect', { code: e.code ?? 'error' });
const badSize = () => err('remote.why.badSize');

// `timeoutMs` is a deadline for the whole request (connect and every reply), not an idle timeout: a server
// that trickles its answer a byte at a time is cut off when it passes.
function httpHead(host: string, port: number, path: string, timeoutMs: number): Promise<Probe> {
  const http = loadHttp();
  return new Promise((resolve) => {
    const done = (p: Probe) => {
      clearTimeout(timer);
      req.destroy();
      resolve(p);
    };
    const req = http.request({ host, port, path, method: 'HEAD', agent: false, headers: { 'user-agent': 'upgrade-lint' } }, (res) => {
      res.resume();
      const len = res.headers['content-length'];
      const size = len === undefined ? undefined : sizeOf(len);
      if (res.statusCode !== 200) done(err('remote.why.http', { status: res.statusCode ?? 0 }));
      else if (!len) done(err('remote.why.noLength'));
      else done(size === undefined ? badSize() : { size });
    });
    const timer = setTimeout(() => done(tooLate(timeoutMs)), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(failed(e)));
    req.end();
  });
}

function ftpSize(host: string, port: number, path: string, user: string, password: string, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const sock = loadNet().connect({ host, port });
    let buf = '';
    let step = 0;
    let settled = false;
    const done = (p: Probe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(p);
    };
    const timer = setTimeout(() => done(tooLate(timeoutMs)), timeoutMs);
    const send = (line: string) => sock.write(line + '\r\n');
    sock.on('error', (e: NodeJS.ErrnoException) => done(failed(e)));
    sock.on('close', () => done(err('remote.why.closed')));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.length > 65536) return done(err('remote.why.unexpected'));
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        const m = /^(\d{3})([ -])(.*)$/.exec(line);
        if (!m) return done(err('remote.why.unexpected'));
        if (m[2] === '-') continue; // multi-line reply: wait for its last line
        const code = Number(m[1]);
        if (step === 0) {
          if (code !== 220) return done(err('remote.why.greeting', { code }));
          step = 1;
          send(`USER ${user}`);
        } else if (step === 1) {
          if (code === 230) {
            step = 3;
            send('TYPE I');
          } else if (code === 331) {
            step = 2;
            send(`PASS ${password}`);
          } else return done(err('remote.why.login', { code }));
        } else if (step === 2) {
          if (code !== 230) return done(err('remote.why.login', { code }));
          step = 3;
          send('TYPE I');
        } else if (step === 3) {
          step = 4;
          send(`SIZE ${path}`);
        } else if (step === 4) {
          if (code === 213) {
            send('QUIT');
            const size = sizeOf(m[3].trim());
            return done(size === undefined ? badSize() : { size });
          }
          return done(code === 550 ? err('remote.why.noFile') : err('remote.why.sizeFailed', { code }));
        }
      }
    });
  });
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** One probe per key for the session, at most `max` at once; whatever it throws becomes an error result. */
function probeOnce(key: string, max: number, fn: () => Promise<Probe>): Promise<Probe> {
  let probe = cache.get(key);
  if (!probe) {
    probe = limited(max, fn).catch((e: NodeJS.ErrnoException) => err('remote.why.request', { code: e.code ?? 'error' }));
    cache.set(key, probe);
  }
  return probe;
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
  if (!url || !parts || (parts.scheme !== 'http' && parts.scheme !== 'ftp')) return [];
  const host = parts.host.replace(/^\[|\]$/g, '');
  if (!host) return [];
  // The port: digits only, 1..65535 (net.connect throws on anything else); empty means the scheme's default, as in URLs.
  const portText = parts.port?.value;
  const port =
    portText === undefined || portText === ''
      ? parts.scheme === 'http'
        ? 80
        : 21
      : /^\d{1,5}$/.test(portText) && +portText >= 1 && +portText <= 65535
        ? +portText
        : undefined;
  if (parts.scheme === 'http' && port !== undefined && port !== 80) return []; // meta/http-port reports it
  const path = pathOnly(parts.path) || '/';
  const user = get('user')?.value || 'anonymous';
  const password = get('password')?.value || 'anonymous@';
  // FTP names the file by the decoded path (RFC 1738); what goes on the wire must hold no CR, LF or other control character.
  const ftpPath = parts.scheme === 'ftp' ? decodePath(path) : path;
  const sent = parts.scheme === 'ftp' ? [host, ftpPath, user, password] : [host, path];
  // The URL as shown to people: never with credentials, control characters escaped.
  const shown = `${parts.scheme}://${parts.host}${parts.port?.text ?? ''}${path}`.replace(/[\x00-\x1f\x7f]/g, (c) => encodeURIComponent(c));
  const key = `${parts.scheme}|${host}|${port}|${path}|${user}`;
  const result =
    port === undefined
      ? err('remote.why.port')
      : sent.some((t) => /[\x00-\x1f\x7f]/.test(t))
        ? err('remote.why.control')
        : await probeOnce(key, opts.maxConnections ?? 4, () =>
            parts.scheme === 'http' ? httpHead(host, port, path, timeoutMs) : ftpSize(host, port, ftpPath, user, password, timeoutMs),
          );
  if ('error' in result) {
    return [
      {
        rule: 'meta/remote-unreachable',
        severity: 'warning',
        range: url.valueRange,
        fixes: [],
        message: render(msg('meta/remote-unreachable.message', { url: shown, why: result.error }), locale),
      },
    ];
  }
  if (!size || !/^[1-9][0-9]*$/.test(size.value) || Number(size.value) === result.size) return [];
  return [
    {
      rule: 'meta/remote-size-mismatch',
      severity: 'error',
      range: size.valueRange,
      message: render(msg('meta/remote-size-mismatch.message', { size: size.value, url: shown, actual: result.size }), locale),
      fixes: [
        {
          title: render(msg('meta/remote-size-mismatch.fix', { size: result.size }), locale),
          preferred: true,
          edits: [{ range: size.valueRange, newText: String(result.size) }],
        },
      ],
    },
  ];
}
