/** Opt-in remote checks against real servers on loopback: HTTP (port 80), FTP (ftp-srv), silent and garbage servers. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clearRemoteCache, remoteCheckMeta } from '../../server/node/remote';

const { FtpSrv } = require('ftp-srv') as {
  FtpSrv: new (o: object) => { on: (e: string, f: (...a: never[]) => void) => void; listen: () => Promise<void>; close: () => Promise<void> };
};

const meta = (url: string, size: number, extra = '') => `updateFileSize=${size}\nversion= 5.1.3\nupdateFileUrl= ${url}\n${extra}`;
const rules = (ds: { rule: string }[]) => ds.map((d) => d.rule);
/** Writes `text` to the socket one byte per 200 ms (a bounded loop), then closes it; stops when the peer goes away. */
const trickle = (s: net.Socket, text: string) => {
  let i = 0;
  const t = setInterval(() => {
    if (i < text.length && !s.destroyed) s.write(text[i++]);
    else {
      clearInterval(t);
      s.destroy();
    }
  }, 200);
  s.on('close', () => clearInterval(t)).on('error', () => undefined);
};
const listen = async (server: net.Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
};

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
  let slowFtp: net.Server;
  let slowFtpPort = 0;
  let fake: net.Server; // a scripted FTP server that records every command it receives
  let fakePort = 0;
  const commands: string[] = [];
  const sizes: Record<string, string> = {
    '/exp.bin': '213 1e+23',
    '/big.bin': '213 99999999999999999999',
    '/max.bin': '213 999999999999999',
    '/my file.bin': '213 10',
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-ftp-'));

  before(async () => {
    clearRemoteCache();
    fs.writeFileSync(path.join(dir, 'ACNS-5.1.3-K9.bin'), Buffer.alloc(4096));
    web = http.createServer((req, res) => {
      if (req.url === '/trickle.bin') {
        trickle(req.socket, 'HTTP/1.1 200 OK\r\ncontent-length: 1234\r\nx-pad: 0123456789\r\n\r\n');
        return;
      }
      if (req.url === '/huge.bin') {
        res.writeHead(200, { 'content-length': '9007199254740993' });
        res.end();
        return;
      }
      webHits++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const reply = () => {
        inFlight--;
        if (req.url === '/images/ACNS-5.1.3-K9.bin') {
          res.writeHead(200, { 'content-length': '1234' });
          res.end();
        } else if (req.url?.startsWith('/slow/')) {
          res.writeHead(200, { 'content-length': '7' });
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      };
      if (req.url?.startsWith('/slow/')) setTimeout(reply, 150);
      else reply();
    });
    await new Promise<void>((resolve) => {
      web!.once('error', () => {
        web = undefined;
        resolve();
      }); // port 80 needs root; those tests are skipped then
      web!.listen(80, host, () => resolve());
    });
    const free = () =>
      new Promise<number>((r) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => r(p));
        });
      });
    ftpPort = await free();
    ftp = new FtpSrv({
      url: `ftp://127.0.0.1:${ftpPort}`,
      anonymous: false,
      greeting: 'test ftp',
      log: {
        child: () => ({
          trace() {},
          debug() {},
          info() {},
          warn() {},
          error() {},
          child() {
            return this;
          },
        }),
        trace() {},
        debug() {},
        info() {},
        warn() {},
        error() {},
      },
    });
    ftp.on('login', ({ username, password }: { username: string; password: string }, resolve: (o: object) => void, reject: (e: Error) => void) => {
      if (username === 'cdmupdate' && password === 'S3cret!') resolve({ root: dir });
      else reject(new Error('bad login'));
    });
    await ftp.listen();
    silent = net.createServer(() => {
      /* accepts and never answers */
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as net.AddressInfo).port;
    garbage = net.createServer((s) => {
      s.write('\u0000\u00ffnot a protocol\r\n');
    });
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', () => r()));
    garbagePort = (garbage.address() as net.AddressInfo).port;
    slowFtp = net.createServer((s) => trickle(s, '220 a greeting that arrives one byte at a time\r\n'));
    slowFtpPort = await listen(slowFtp);
    fake = net.createServer((s) => {
      s.on('error', () => undefined).write('220 fake\r\n');
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          commands.push(line);
          const verb = line.split(' ')[0];
          const reply =
            { USER: '331 password', PASS: '230 in', TYPE: '200 ok', QUIT: '221 bye' }[verb] ??
            (verb === 'SIZE' ? (sizes[line.slice(5)] ?? '550 no such file') : '500 what');
          s.write(reply + '\r\n');
        }
      });
    });
    fakePort = await listen(fake);
  });
  after(async () => {
    web?.close();
    await ftp.close().catch(() => undefined);
    silent.close();
    garbage.close();
    slowFtp.close();
    fake.close();
  });

  test('HTTP HEAD on port 80: a matching size is fine, a different one is an error with the actual size as fix; results are cached', async (t) => {
    if (!web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
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
    if (!web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    maxInFlight = 0;
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => remoteCheckMeta(meta(`http://${host}/slow/${i}.bin`, 7), { maxConnections: 3 })));
    assert.ok(all.every((d) => d.length === 0));
    assert.ok(maxInFlight <= 3 && maxInFlight >= 1, `max in flight ${maxInFlight}`);
  });

  test("FTP SIZE with the meta file's user and password; the password never appears in a message", async () => {
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

  test('the timeout is a total deadline: an HTTP server that trickles its headers a byte at a time is cut off', async (t) => {
    if (!web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    const t0 = Date.now();
    const ds = await remoteCheckMeta(meta(`http://${host}/trickle.bin`, 1234), { timeoutMs: 600 });
    assert.deepEqual(rules(ds), ['meta/remote-unreachable']);
    assert.match(ds[0].message, /no answer within 600 ms/);
    assert.ok(Date.now() - t0 < 1800, `took ${Date.now() - t0} ms`);
  });

  test('the timeout is a total deadline: an FTP server that trickles its greeting a byte at a time is cut off', async () => {
    const t0 = Date.now();
    const ds = await remoteCheckMeta(meta(`ftp://127.0.0.1:${slowFtpPort}/ACNS-5.1.3-K9.bin`, 1), { timeoutMs: 600 });
    assert.deepEqual(rules(ds), ['meta/remote-unreachable']);
    assert.match(ds[0].message, /no answer within 600 ms/);
    assert.ok(Date.now() - t0 < 1800, `took ${Date.now() - t0} ms`);
  });

  test('a port that is not 1..65535 (FTP or HTTP) is a remote-unreachable warning on the URL, never an exception', async () => {
    // (An empty port means the scheme's default, as in URLs and as meta/http-port reads it.)
    for (const port of ['99999', '0', 'abc', '-1', '99999999999999999999', '1e3', '0x15']) {
      for (const url of [`ftp://127.0.0.1:${port}/ACNS-5.1.3-K9.bin`, `http://127.0.0.1:${port}/ACNS-5.1.3-K9.bin`]) {
        const ds = await remoteCheckMeta(meta(url, 1), { timeoutMs: 600 });
        assert.deepEqual(rules(ds), ['meta/remote-unreachable'], url);
        assert.match(ds[0].message, /the port is not valid/, url);
        assert.deepEqual(ds[0].range, { start: { line: 2, character: 15 }, end: { line: 2, character: 15 + url.length } });
      }
    }
    const ja = await remoteCheckMeta(meta('ftp://127.0.0.1:99999/x.bin', 1), { locale: 'ja' });
    assert.match(ja[0].message, /ポートが正しくありません/);
    assert.deepEqual(await remoteCheckMeta(meta('http://127.0.0.1:8080/x.bin', 1)), [], "a valid port other than 80 is meta/http-port's to report");
  });

  test('hostile hosts and paths never throw: empty host, IPv6 literal, spaces, control characters, broken escapes', async () => {
    for (const url of [
      'ftp://[]/x.bin',
      'http:///x.bin',
      `ftp://[::1]:${silentPort}/x.bin`,
      'http://127.0.0.1/my file.bin',
      'http://127.0.0.1/\ud800.bin',
      'http://a\u0000b/x.bin',
      'ftp://a\u0000b/x.bin',
      'http://127.0.0.1/a\u001b[31m.bin',
      `ftp://127.0.0.1:${fakePort}/%E0%A4%A.bin`,
    ]) {
      const ds = await remoteCheckMeta(meta(url, 1), { timeoutMs: 600 });
      assert.ok(
        ds.every((d) => d.rule === 'meta/remote-unreachable' && !/[\u0000-\u001f]/.test(d.message)),
        `${JSON.stringify(url)}: ${JSON.stringify(ds)}`,
      );
    }
  });

  test('FTP: a CR/LF (or other control character) in the path or password is never sent; the URL is refused before connecting', async () => {
    clearRemoteCache();
    commands.length = 0;
    for (const [url, extra] of [
      [`ftp://127.0.0.1:${fakePort}/a%0D%0ADELE%20b.bin`, ''],
      [`ftp://127.0.0.1:${fakePort}/a%0Ab.bin`, ''],
      [`ftp://127.0.0.1:${fakePort}/ok.bin`, 'user=u\npassword=p\u0000w\n'],
    ]) {
      const ds = await remoteCheckMeta(meta(url, 1, extra));
      assert.deepEqual(rules(ds), ['meta/remote-unreachable'], url);
      assert.match(ds[0].message, /control character/);
    }
    assert.deepEqual(commands, [], 'nothing reached the server');
    const spaced = await remoteCheckMeta(meta(`ftp://127.0.0.1:${fakePort}/my%20file.bin`, 1, 'user=u\npassword=p\n'));
    assert.deepEqual(commands.slice(0, 4), ['USER u', 'PASS p', 'TYPE I', 'SIZE /my file.bin'], 'the path is sent decoded, as one command');
    assert.deepEqual(rules(spaced), ['meta/remote-size-mismatch']);
  });

  test('sizes a server reports are validated: 1e+23, 20 digits (FTP) and 2^53+1 (HTTP) are warnings, never a size-mismatch fix', async (t) => {
    for (const file of ['exp.bin', 'big.bin']) {
      const ds = await remoteCheckMeta(meta(`ftp://127.0.0.1:${fakePort}/${file}`, 1));
      assert.deepEqual(rules(ds), ['meta/remote-unreachable'], file);
      assert.match(ds[0].message, /the server reported an invalid size/);
      assert.doesNotMatch(JSON.stringify(ds), /e\+|100000000000000000000/);
    }
    const ja = await remoteCheckMeta(meta(`ftp://127.0.0.1:${fakePort}/exp.bin`, 1), { locale: 'ja' });
    assert.match(ja[0].message, /不正なサイズ/);
    const max = await remoteCheckMeta(meta(`ftp://127.0.0.1:${fakePort}/max.bin`, 1));
    assert.deepEqual(max[0].fixes[0].edits[0].newText, '999999999999999', '15 digits are still a size');
    if (!web) {
      t.skip('cannot listen on port 80 (not root)');
      return;
    }
    const huge = await remoteCheckMeta(meta(`http://${host}/huge.bin`, 1));
    assert.deepEqual(rules(huge), ['meta/remote-unreachable']);
    assert.match(huge[0].message, /the server reported an invalid size/);
    assert.doesNotMatch(JSON.stringify(huge), /900719925474099/);
  });

  test('credentials in the URL never appear in a message, whatever the outcome', async () => {
    clearRemoteCache();
    const all = [];
    for (const rest of [
      `127.0.0.1:${fakePort}/exp.bin`,
      `127.0.0.1:${fakePort}/missing.bin`,
      '127.0.0.1:99999/x.bin',
      `127.0.0.1:${fakePort}/a%0Ab.bin`,
      `127.0.0.1:${slowFtpPort}/x.bin`,
    ]) {
      const ds = await remoteCheckMeta(meta(`ftp://user:PW@${rest}`, 1), { timeoutMs: 600 });
      assert.deepEqual(rules(ds), ['meta/remote-unreachable'], rest);
      assert.ok(ds[0].message.includes(`ftp://${rest}`), ds[0].message);
      all.push(...ds, ...(await remoteCheckMeta(meta(`ftp://user:PW@${rest}`, 1), { locale: 'ja' })));
    }
    for (const d of all) assert.doesNotMatch(d.message, /PW|user:/);
  });
});
