/**
 * Snippets (server/engine/planner/skeleton.ts): a step per action whose text, as inserted with its first choices,
 * is a step the schema accepts for that action (only its own keys, every required one); the meta skeleton has the
 * three required keys and no made-up value; each product's manifest skeleton is the planner's plan with the
 * versions and each node name as linked tab stops, and reads as a clean manifest when nothing is changed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../server/engine/lint';
import { PRODUCTS } from '../../server/engine/products/index';
import { manifestSkeleton, metaSkeleton, snippetText, stepSnippet } from '../../server/engine/planner/skeleton';
import { STEP_ACTIONS } from '../../server/engine/runbook/duration';
import { snippetFiles } from '../../scripts/docgen';

const problems = (text: string, kind: 'upgrade-manifest' | 'acns-meta' = 'upgrade-manifest') =>
  lint({ text, kind }).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');

test('snippetText: placeholders give their text, choices their first value, tab stops nothing, escapes their character', () => {
  assert.equal(snippetText('a: ${1:x\\}y} $0 ${2|drs,usb|} \\$HOME'), 'a: x}y  drs $HOME');
});

test('every action has a step snippet that the schema accepts as a step of that action', () => {
  assert.ok(STEP_ACTIONS.length >= 20);
  for (const action of STEP_ACTIONS) {
    const body = snippetText(stepSnippet(action)).replace(/^node: node$/m, 'node: n1');
    const step = body
      .split('\n')
      .map((l, i) => (i === 0 ? `  ${l}` : `  ${l}`))
      .join('\n');
    const text = `manifestVersion: 1\nproduct: cupm\nfrom: 8.0\nto: 8.5\nnodes:\n  - { name: n1, role: all-in-one }\nsteps:\n${step.replace(/note: $/m, 'note: x')}\n`;
    const schema = lint({ text, kind: 'upgrade-manifest' }).diagnostics.filter((d) => d.rule.startsWith('schema/') && d.range.start.line >= 6);
    assert.deepEqual(
      schema.map((d) => `${d.rule}: ${d.message}`),
      [],
      `${action}:\n${text}`,
    );
  }
  assert.match(stepSnippet('stop-service'), /^ {2}service: \$\{3\|dispatcher,admin,/m);
  assert.ok(!/target|service|file|run/.test(stepSnippet('verify')), 'verify takes no key of its own');
});

test('the meta skeleton: the three required keys, placeholders that describe (no number that looks like a size)', () => {
  const s = metaSkeleton('en');
  assert.deepEqual(
    s.split('\n').map((l) => l.split('=')[0]),
    ['version', 'updateFileUrl', 'updateFileSize', '$0'],
  );
  assert.ok(!/\d{3,}/.test(s));
  // As inserted, the file is not silently "valid": each placeholder is a problem until it is filled in.
  assert.ok(problems(snippetText(s), 'acns-meta').length >= 2);
  assert.match(metaSkeleton('ja'), /イメージ ファイルのサイズ/);
});

for (const p of PRODUCTS) {
  test(`${p.id}: the manifest skeleton is the plan, versions and node names as linked tab stops, clean as inserted`, () => {
    const s = manifestSkeleton(p.id, 'en');
    assert.ok(s, 'a skeleton');
    assert.match(s, /^from: \$\{1:[^}]+\}$/m);
    assert.match(s, /^to: \$\{2:[^}]+\}$/m);
    const first = /^ {2}- name: \$\{(\d+):([^}]+)\}$/m.exec(s);
    assert.ok(first, 'node names are tab stops');
    // The same node is the same tab stop wherever the plan names it.
    const uses = s.match(new RegExp(`\\$\\{${first[1]}:${first[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}`, 'g')) ?? [];
    assert.ok(uses.length >= 2, `${first[2]} used ${uses.length} times`);
    assert.deepEqual(problems(snippetText(s)), []);
  });
}

test('the VS Code snippet files are the generated ones, with English and Japanese descriptions', () => {
  const files = snippetFiles();
  const steps = JSON.parse(files.get('snippets/upgrade-manifest.code-snippets')!) as Record<string, { prefix: string[]; body: string[]; description: string }>;
  assert.equal(Object.keys(steps).length, STEP_ACTIONS.length);
  assert.deepEqual(steps['step: backup'].prefix, ['step-backup', '- backup']);
  assert.match(steps['step: backup'].description, /^A `backup` step with the keys it takes \/ `backup` の手順/);
});
