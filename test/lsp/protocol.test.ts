/**
 * The protocol itself, over a real server on stdio: a frame whose Content-Length lies (or that is not JSON) does not
 * desynchronise the stream, requests after `shutdown` are refused as LSP says, and positions outside the document
 * are clamped.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  CompletionRequest,
  ExitNotification,
  HoverRequest,
  ShutdownRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { fileUri, TestClient } from '../helpers/lspClient';

const META = 'updateFileSize=97205475\r\nversion= 5.1.3\r\nupdateFileUrl= http://h.example.com:8080/ACNS-5.1.3-K9.bin\r\n';

/** Writes bytes straight to the server's stdin, bypassing the client's framing (TestClient keeps its process private). */
const raw = (c: TestClient, bytes: string | Buffer) =>
  new Promise<void>((resolve, reject) => (c as unknown as { proc: ChildProcess }).proc.stdin!.write(bytes, (e) => (e ? reject(e) : resolve())));

const frame = (message: object, lie = 0) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length + lie}\r\n\r\n`), body]);
};

function within<T>(p: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a frame with a lying Content-Length, a body that is not JSON, or garbage does not wedge the stream', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const uri = fileUri(path.join(os.tmpdir(), 'ul-protocol', 'a.meta'));
    await c.open(uri, 'acns-meta', META);
    const hover = { method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 2 } } };
    const bad: [string, Buffer][] = [
      ['a length too small', frame({ id: 900, ...hover }, -12)],
      ['a length too large', frame({ id: 901, ...hover }, 300)],
      ['a length too large by a little', frame({ id: 902, ...hover }, 3)],
      ['a body that is not JSON', Buffer.from('Content-Length: 11\r\n\r\nhello world')],
      ['garbage bytes', Buffer.from('\u0000\u00ffgarbage\r\n\r\nContent-Length: x\r\n\r\n{"jsonrpc":')],
      ['no Content-Length', Buffer.from('Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","method":"x"}')],
      ['a header over 8 KB', Buffer.from(`X-Pad: ${'p'.repeat(9000)}\r\nContent-Length: 2\r\n\r\n{}`)],
      ['a length over 64 MB', Buffer.from('Content-Length: 999999999\r\n\r\n{"jsonrpc":"2.0","id":903,')],
    ];
    for (const [what, bytes] of bad) {
      await raw(c, bytes);
      await pause(20); // the server reads the bad frame alone, then the next one arrives (or is swallowed)
      const h = await within(c.connection.sendRequest(HoverRequest.type, hover.params), `hover after ${what}`);
      assert.match(JSON.stringify(h?.contents), /bytes/, what);
    }
    // A bad frame and a good one in a single write, and one split over many writes, are repaired the same way.
    await raw(c, Buffer.concat([frame({ id: 904, ...hover }, -5), frame({ method: 'upgradeLint/nothing' })]));
    for (const piece of frame({ method: 'upgradeLint/nothing' })
      .toString()
      .match(/[^]{1,7}/g)!)
      await raw(c, piece);
    const h = await within(c.connection.sendRequest(HoverRequest.type, hover.params), 'hover after split frames');
    assert.match(JSON.stringify(h?.contents), /bytes/);
  } finally {
    await c.stop();
  }
});

test('after shutdown: requests get InvalidRequest, notifications but exit are ignored, exit ends the process with 0', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const dir = path.join(os.tmpdir(), 'ul-protocol');
    const uri = fileUri(path.join(dir, 'a.meta'));
    await c.open(uri, 'acns-meta', META);
    assert.equal(await c.connection.sendRequest(ShutdownRequest.type), null);
    const requests: (() => Promise<unknown>)[] = [
      () => c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } }),
      () => c.connection.sendRequest(ShutdownRequest.type),
    ];
    for (const request of requests) {
      await assert.rejects(within(request(), 'request after shutdown'), (e: { code?: number }) => e.code === -32600);
    }
    // An open after shutdown is ignored: no diagnostics are ever published for it.
    const late = fileUri(path.join(dir, 'late.meta'));
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: late, languageId: 'acns-meta', version: 1, text: META } });
    await pause(500);
    assert.equal(c.diagnostics.get(late), undefined);
    await c.connection.sendNotification(ExitNotification.type);
    assert.equal(await within(c.exited, 'exit'), 0);
  } finally {
    await c.stop();
  }
});

test('positions outside the document are clamped to it', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const dir = path.join(os.tmpdir(), 'ul-protocol');
    const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
    const manifest = 'manifestVersion: 1\r\nproduct: acns\r\nnodes: [{name: a, role: content-engine}]\r\n';
    const lines = manifest.split('\r\n');
    const inside = (r: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string) => {
      for (const p of [r.start, r.end])
        assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length, `${what}: ${JSON.stringify(r)}`);
    };
    const m = fileUri(path.join(dir, 'm.upgrade.yaml'));
    await c.open(m, 'upgrade-manifest', manifest);
    for (const position of [
      { line: 99999, character: 99999 },
      { line: -3, character: -7 },
    ]) {
      const list = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: m }, position }));
      assert.ok(
        list.some((i) => i.label === 'from'),
        `completion at ${JSON.stringify(position)}: ${list.map((i) => i.label).join()}`,
      );
      for (const i of list) inside((i.textEdit as { range: Parameters<typeof inside>[0] }).range, `completion at ${JSON.stringify(position)}`);
    }
    // Past the end of a line (here into its CRLF) is the end of the line: the hover of the value there.
    const meta = fileUri(path.join(dir, 'a.meta'));
    await c.open(meta, 'acns-meta', META);
    const h: Hover | null = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri: meta }, position: { line: 0, character: 24 } });
    assert.deepEqual(h?.range, { start: { line: 0, character: 15 }, end: { line: 0, character: 23 } });
    const props = fileUri(path.join(dir, 'dfc.properties'));
    await c.open(props, 'cupm-properties', 'dfc.webport=80\r\n');
    const keys = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: props }, position: { line: -3, character: -7 } }));
    assert.ok(keys.length > 0);
    for (const i of keys) assert.deepEqual((i.textEdit as { range: unknown }).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.doesNotMatch(c.stderr, /TypeError|RangeError/);
  } finally {
    await c.stop();
  }
});
