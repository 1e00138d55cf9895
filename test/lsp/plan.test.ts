/**
 * The planner and the order fixes over stdio, as any LSP client meets them: the moved CallManager step flagged with
 * a preferred "Move … after …" fix whose edit restores the plan; "Sort steps into the documented order" as a source
 * action (and a disabled one saying why when no order exists); PLAN_INFO and NEW_MANIFEST; an empty manifest's
 * completion offers a whole manifest per product (a snippet, or its plain text for a client without snippets); our
 * VS Code client alone gets the "New upgrade manifest from the guide…" action on an empty manifest.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { lint } from '../../server/engine/lint';
import { applyEdits } from '../../server/engine/text';
import { NEW_MANIFEST, PLAN_INFO, SORT_STEPS_KIND, type NewManifestResult, type PlanInfoResult } from '../../server/protocol/index';
import { fileUri, ROOT, TestClient } from '../helpers/lspClient';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples/callmanager/cluster-4.1.upgrade.yaml'), 'utf8');
/** The example with `upgrade-ipma` (the application server, upgraded last) moved up to right after the publisher. */
const MOVED = (() => {
  const lines = EXAMPLE.split('\n');
  const i = lines.findIndex((l) => l.includes('id: upgrade-ipma'));
  const [line] = lines.splice(i, 1);
  lines.splice(lines.findIndex((l) => l.includes('id: upgrade-pub')) + 1, 0, line);
  return lines.join('\n');
})();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ul-plan-'));
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const editOf = (a: CodeAction, uri: string) => (a.edit?.changes?.[uri] ?? []) as TextEdit[];

describe('planner and order fixes over LSP', () => {
  let c: TestClient;
  let vs: TestClient;
  before(async () => {
    c = new TestClient({ capabilities: { textDocument: { codeAction: { disabledSupport: true } } } });
    await c.initialize();
    vs = new TestClient({ initializationOptions: { workspaceTrusted: true } });
    await vs.initialize();
  });
  after(async () => {
    await c.stop();
    await vs.stop();
  });

  test('the moved step is the one flagged, with related information and a preferred Move fix that restores the plan', async () => {
    const uri = fileUri(path.join(tmp(), 'cluster.upgrade.yaml'));
    const p = await c.open(uri, 'upgrade-manifest', MOVED);
    const order = p.diagnostics.filter((d) => d.code === 'ccm/order');
    assert.equal(order.length, 1, JSON.stringify(p.diagnostics.map((d) => [d.code, d.range.start.line])));
    const d = order[0];
    const line = MOVED.split('\n').findIndex((l) => l.includes('id: upgrade-ipma'));
    assert.deepEqual(d.range, { start: { line, character: 10 }, end: { line, character: 22 } });
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(d.relatedInformation![0].location.range.start.line, EXAMPLE.split('\n').findIndex((l) => l.includes('id: upgrade-sub2')) - 0 + 1);
    const actions = ((await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) ??
      []) as CodeAction[];
    const move = actions.find((a) => a.title === 'Move `upgrade-ipma` after `upgrade-sub2`');
    assert.ok(move, actions.map((a) => a.title).join(' | '));
    assert.equal(move.isPreferred, true);
    assert.equal(applyEdits(MOVED, editOf(move, uri)), EXAMPLE);
    const sort = actions.find((a) => a.title === 'Sort steps into the documented order' && a.kind === 'quickfix');
    assert.ok(sort);
    assert.equal(applyEdits(MOVED, editOf(sort, uri)), EXAMPLE);
  });

  test('"Sort steps" as a source action; none when the steps are in order; disabled with the reason when nothing can satisfy the rules', async () => {
    const uri = fileUri(path.join(tmp(), 'sort.upgrade.yaml'));
    await c.open(uri, 'upgrade-manifest', MOVED);
    const ask = async () =>
      ((await c.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source'] },
      })) ?? []) as CodeAction[];
    const [sort] = (await ask()).filter((a) => a.kind === SORT_STEPS_KIND);
    assert.ok(sort);
    assert.equal(applyEdits(MOVED, editOf(sort, uri)), EXAMPLE);
    await c.change(uri, 2, [{ text: EXAMPLE }]);
    await c.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(
      (await ask()).filter((a) => a.kind === SORT_STEPS_KIND),
      [],
    );
    // One step upgrades the publisher and a primary server while the TFTP server comes later: no order works.
    const tangled = EXAMPLE.replace(
      'id: upgrade-pub, action: upgrade, node: ccm-pub,',
      'id: upgrade-pub, action: upgrade, nodes: [ccm-pub, ccm-sub1],',
    ).replace(/^ {2}- \{ id: upgrade-sub1, .*\n/m, '');
    await c.change(uri, 3, [{ text: tangled }]);
    await c.waitForDiagnostics(uri, (p) => p.version === 3);
    const [disabled] = (await ask()).filter((a) => a.kind === SORT_STEPS_KIND);
    assert.ok(disabled?.disabled, 'offered only as disabled');
    assert.ok(!disabled.edit);
    assert.match(disabled.disabled.reason, /^No order of the steps satisfies every order rule: `upgrade-pub`, `upgrade-tftp`.* depend on each other/);
  });

  test('PLAN_INFO lists every product with roles, facts and paths; NEW_MANIFEST writes a plan that lints clean, or says why not', async () => {
    const info = (await c.connection.sendRequest(PLAN_INFO, { locale: 'ja' })) as PlanInfoResult;
    assert.deepEqual(
      info.products.map((p) => p.id),
      ['acns', 'cucm-im-presence', 'callmanager', 'cupm', 'iplanet-messaging'],
    );
    for (const p of info.products) {
      assert.ok(p.roles.length && p.paths.length, p.id);
      for (const f of p.facts) assert.match(f.ask, /[ぁ-んァ-ン一-龯]/, `${p.id} ${f.key}: asked in Japanese`);
    }
    const imp = info.products.find((p) => p.id === 'cucm-im-presence')!;
    assert.deepEqual(imp.roles, ['publisher', 'subscriber']);
    const r = (await c.connection.sendRequest(NEW_MANIFEST, {
      product: 'cucm-im-presence',
      from: '8.6(3)',
      to: '9.0(1)',
      nodes: [
        { name: 'imp-pub', role: 'publisher' },
        { name: 'imp-sub1', role: 'subscriber' },
      ],
    })) as NewManifestResult;
    assert.ok('text' in r, JSON.stringify(r));
    assert.deepEqual(
      lint({ text: r.text, kind: 'upgrade-manifest' }).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'),
      [],
    );
    const refused = (await c.connection.sendRequest(NEW_MANIFEST, {
      product: 'callmanager',
      from: '3.1',
      to: '4.1(3)',
      nodes: [{ name: 'pub', role: 'publisher' }],
    })) as NewManifestResult;
    assert.ok('error' in refused);
    assert.equal(refused.rule, 'ccm/upgrade-path');
    const bad = (await c.connection.sendRequest(NEW_MANIFEST, {
      product: 'cupm',
      from: '8.0',
      to: '8.5',
      nodes: [{ name: 'x', role: 'publisher' }],
    })) as NewManifestResult;
    assert.ok('error' in bad && bad.rule === undefined && /not a role of `cupm`/.test(bad.error));
    assert.equal(await c.connection.sendRequest(NEW_MANIFEST, null), null);
  });

  test('an empty manifest: a whole manifest per product in completion (a snippet; plain text without snippet support)', async () => {
    const sn = new TestClient({ capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } } });
    await sn.initialize();
    try {
      const uri = fileUri(path.join(tmp(), 'empty.upgrade.yaml'));
      await sn.open(uri, 'upgrade-manifest', '# our new cluster\n\n');
      const list = items(await sn.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 0 } }));
      const skeletons = list.filter((i) => i.kind === 15 /* Snippet */);
      assert.equal(skeletons.length, 5, list.map((i) => i.label).join(' | '));
      const imp = skeletons.find((i) => i.label === 'New IM and Presence manifest') ?? skeletons.find((i) => String(i.label).includes('IM and Presence'));
      assert.ok(imp);
      assert.equal(imp.insertTextFormat, 2);
      assert.match((imp.textEdit as TextEdit).newText, /^from: \$\{1:[^}]+\}$/m);
      // The same item for a client without snippets: the text as it reads when no placeholder is changed, which lints clean.
      const uri2 = fileUri(path.join(tmp(), 'empty2.upgrade.yaml'));
      await c.open(uri2, 'upgrade-manifest', '');
      const plain = items(await c.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uri2 }, position: { line: 0, character: 0 } })).filter(
        (i) => i.kind === 15,
      );
      assert.equal(plain.length, 5);
      for (const i of plain) {
        assert.equal(i.insertTextFormat, 1);
        const text = (i.textEdit as TextEdit).newText;
        assert.ok(!/\$\{\d+[:|]|\$\d/.test(text), i.label as string);
        const ds = lint({ text, kind: 'upgrade-manifest' }).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
        assert.deepEqual(ds, [], `${i.label}: ${ds.map((d) => d.rule).join(', ')}`);
      }
      // An empty meta file: its skeleton, with placeholders that say what goes there.
      const meta = fileUri(path.join(tmp(), 'new.meta'));
      await sn.open(meta, 'acns-meta', '');
      const m = items(await sn.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: meta }, position: { line: 0, character: 0 } }));
      assert.equal(m[0].label, 'ACNS meta file skeleton');
      assert.equal(
        (m[0].textEdit as TextEdit).newText,
        'version=${1:version of the image, as its release names it}\nupdateFileUrl=${2:address of the image file (http:// or ftp://)}\nupdateFileSize=${3:size of the image file in bytes}\n$0',
      );
    } finally {
      await sn.stop();
    }
  });

  test('our VS Code client gets "New upgrade manifest from the guide…" on an empty manifest; other clients do not', async () => {
    const uri = fileUri(path.join(tmp(), 'blank.upgrade.yaml'));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    await vs.open(uri, 'upgrade-manifest', '\n');
    const mine = ((await vs.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) ??
      []) as CodeAction[];
    const action = mine.find((a) => a.title === 'New upgrade manifest from the guide…');
    assert.ok(action);
    assert.deepEqual(action.command, { title: 'New upgrade manifest from the guide…', command: 'upgradeLint.newManifest', arguments: [uri] });
    await c.open(uri, 'upgrade-manifest', '\n');
    const other = ((await c.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) ??
      []) as CodeAction[];
    assert.ok(!other.some((a) => a.command?.command === 'upgradeLint.newManifest'));
  });
});
