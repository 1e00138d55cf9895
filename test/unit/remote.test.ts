/** Opt-in remote checks against real servers on loopback: HTTP (port 80), FTP (ftp-srv), silent and garbage servers. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearRemoteCache, remoteCheckMeta } from '../../server/node/remote';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FtpSrv } = require('ftp-srv') as { FtpSrv: new (o: object) => { on: (e: string, f: (...a: never[]) => void) => void; listen: () => Promise<void>; close: () => Promise<void> } };

const meta = (url: string, size: number, extra = '') => `updateFileSize=${size}\nversion= 5.1.3\nupdateFileUrl= ${url}\n${extra}`;
const rules = (ds: { rule: string }[]) => ds.map((d) => d.rule);

describe('remote checks', () => {
  const host = `127.${1 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
  let web: http.Server | undefined;
  let webHits = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let ftp: InstanceType<typeof FtpSrv>;
  let ftpPort = 0;
  let silent: net.Server;
  let silentPort = 0;
  let garbage: net.Server;
  let garbagePort = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-ftp-'));

  before(async () => {
    clearRemoteCache();
    fs.writeFileSync(path.join(dir, 'ACNS-5.1.3-K9.bin'), Buffer.alloc(4096));
    web = http.createServer((req, res) => {
      webHits++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const reply = () => {
        inFlight--;
        if (req.url === '/images/ACNS-5.1.3-K9.bin') { res.writeHead(200, { 'content-length': '1234' }); res.end(); }
        else if (req.url?.startsWith('/slow/')) { res.writeHead(200, { 'content-length': '7' }); res.end(); }
        else { res.writeHead(404); res.end(); }
      };
      if (req.url?.startsWith('/slow/')) setTimeout(reply, 150); else reply();
    });
    await new Promise<void>((resolve) => {
      web!.once('error', () => { web = undefined; resolve(); }); // port 80 needs root; those tests are skipped then
      web!.listen(80, host, () => resolve());
    });
    const free = () => new Promise<number>((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
    ftpPort = await free();
    ftp = new FtpSrv({ url: `ftp://127.0.0.1:${ftpPort}`, anonymous: false, greeting: 'test ftp', log: { child: () => ({ trace() {}, debug() {}, info() {}, warn() {}, error() {}, child() { return this; } }), trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
    ftp.on('login', ({ username, password }: { username: string; password: string }, resolve: (o: object) => void, reject: (e: Error) => void) => {
      if (username === 'cdmupdate' && password === 'S3cret!') resolve({ root: dir }); else reject(new Error('bad login'));
    });
    await ftp.listen();
    silent = net.createServer(() => { /* accepts and never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as net.AddressInfo).port;
    garbage = net.createServer((s) => { s.write('\u0000\u00ffnot a protocol\r\n'); });
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', () => r()));
    garbagePort = (garbage.address() as net.AddressInfo).port;
  });
  after(async () => {
    web?.close();
    await ftp.close().catch(() => undefined);
    silent.close();
    garbage.close();
  });

  test('HTTP HEAD on port 80: a matching size is fine, a different one is an error with the actual size as fix; results are cached', async (t) => {
    if (!web) { t.skip('cannot listen on port 80 (not root)'); return; }
    assert.deepEqual(await remoteCheckMeta(meta(`http://${host}/images/ACNS-5.1.3-K9.bin`, 1234)), []);
    const hits = webHits;
    const ds = await remoteCheckMeta(meta(`http://${host}/images/ACNS-5.1.3-K9.bin`, 97205475));
    assert.equal(webHits, hits, 'second ask of the same URL is answered from the cache');
    assert.deepEqual(rules(ds), ['meta/remote-size-mismatch']);
    assert.deepEqual(ds[0].range, { start: { line: 0, character: 15 }, end: { line: 0, character: 23 } });
    assert.deepEqual(ds[0].fixes[0].edits, [{ range: ds[0].range, newText: '1234' }]);
    const missing = await remoteCheckMeta(meta(`http://${host}/images/nope.bin`, 1));
    assert.deepEqual(rules(missing), ['meta/remote-unreachable']);
    assert.match(missing[0].message, /HTTP 404/);
  });

  test('never more than a few connections at once', async (t) => {
    if (!web) { t.skip('cannot listen on port 80 (not root)'); return; }
    maxInFlight = 0;
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => remoteCheckMeta(meta(`http://${host}/slow/${i}.bin`, 7), { maxConnections: 3 })));
    assert.ok(all.every((d) => d.length === 0));
    assert.ok(maxInFlight <= 3 && maxInFlight >= 1, `max in flight ${maxInFlight}`);
  });

  test('FTP SIZE with the meta file\'s user and password; the password never appears in a message', async () => {
    const url = `ftp://127.0.0.1:${ftpPort}/ACNS-5.1.3-K9.bin`;
    assert.deepEqual(await remoteCheckMeta(meta(url, 4096, 'user=cdmupdate\npassword=S3cret!\n')), []);
    clearRemoteCache();
    const ds = await remoteCheckMeta(meta(url, 4000, 'user=cdmupdate\npassword=S3cret!\n'));
    assert.deepEqual(rules(ds), ['meta/remote-size-mismatch']);
    assert.match(ds[0].message, /4096 bytes/);
    clearRemoteCache();
    const bad = await remoteCheckMeta(meta(url, 4096, 'user=cdmupdate\npassword=wrong\n'));
    assert.deepEqual(rules(bad), ['meta/remote-unreachable']);
    assert.match(bad[0].message, /login refused/);
    clearRemoteCache();
    const withUserInfo = await remoteCheckMeta(meta(`ftp://cdmupdate:S3cret!@127.0.0.1:${ftpPort}/missing.bin`, 1, 'user=cdmupdate\npassword=S3cret!\n'));
    assert.deepEqual(rules(withUserInfo), ['meta/remote-unreachable']);
    for (const d of [...ds, ...bad, ...withUserInfo]) assert.doesNotMatch(d.message, /S3cret|wrong/);
  });

  test('a server that never answers times out; one that sends garbage is reported, quickly', async () => {
    const t0 = Date.now();
    const quiet = await remoteCheckMeta(meta(`ftp://127.0.0.1:${silentPort}/ACNS-5.1.3-K9.bin`, 1), { timeoutMs: 300 });
    assert.deepEqual(rules(quiet), ['meta/remote-unreachable']);
    assert.match(quiet[0].message, /no answer within 300 ms/);
    const junk = await remoteCheckMeta(meta(`ftp://127.0.0.1:${garbagePort}/ACNS-5.1.3-K9.bin`, 1), { timeoutMs: 2000 });
    assert.deepEqual(rules(junk), ['meta/remote-unreachable']);
    assert.match(junk[0].message, /unexpected/);
    assert.ok(Date.now() - t0 < 2500);
    const ja = await remoteCheckMeta(meta(`ftp://127.0.0.1:${garbagePort}/other.bin`, 1), { timeoutMs: 2000, locale: 'ja' });
    assert.match(ja[0].message, /取得できませんでした/);
  });
});
