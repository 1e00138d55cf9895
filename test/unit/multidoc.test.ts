/**
 * In a multi-document manifest only the edited document is validated against the schema again; the others'
 * schema errors are reused and still land on the right lines when an edit above them moved them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../server/engine/lint';
import { schemaStats } from '../../server/engine/schema';
import { formatDiagnostic } from '../helpers/fixtures';

const DOC = (title: string, extra: string) => `manifestVersion: 1
product: acns
title: ${title}
from: 5.1.0
to: 5.1.3
nodes:
  - name: ce-1
    role: content-engin${extra}
steps:
  - id: up
    action: upgrade
    node: ce-1
`;

const run = (text: string) => {
  const before = schemaStats.validations;
  const diagnostics = lint({ text, kind: 'upgrade-manifest' }, {}).diagnostics.map(formatDiagnostic);
  return { diagnostics, validations: schemaStats.validations - before };
};

test('editing one document of three validates only that document against the schema', () => {
  const docs = [DOC('one', ''), DOC('two', ''), DOC('three', '')];
  const first = run(docs.join('---\n'));
  assert.equal(first.validations, 3);
  // Each document has the misspelt role on its line 8.
  assert.deepEqual(
    first.diagnostics.filter((d) => d.startsWith('schema/enum')),
    ['schema/enum error 8:11-8:24', 'schema/enum error 21:11-21:24', 'schema/enum error 34:11-34:24'],
  );

  // Edit the third document only.
  const edited = run([docs[0], docs[1], DOC('three, edited', '')].join('---\n'));
  assert.equal(edited.validations, 1);
  assert.deepEqual(edited.diagnostics, first.diagnostics);

  // Add two lines to the first document: the other two move down and keep their (reused) errors, moved.
  const moved = run([DOC('one', '').replace('title: one\n', 'title: one\n# a\n# b\n'), docs[1], DOC('three, edited', '')].join('---\n'));
  assert.equal(moved.validations, 1);
  assert.deepEqual(
    moved.diagnostics.filter((d) => d.startsWith('schema/enum')),
    ['schema/enum error 10:11-10:24', 'schema/enum error 23:11-23:24', 'schema/enum error 36:11-36:24'],
  );
});
