/** The file kinds are described once (server/engine/kinds): the editor's contributions and globs must agree with it. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { KINDS, kindForLanguage, kindForPath } from '../../server/engine/kinds/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { languages: { id: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[] }[] };
};

test('each kind has its language in package.json, claiming exactly its file patterns', () => {
  for (const k of KINDS) {
    const lang = pkg.contributes.languages.find((l) => l.id === k.languageId);
    assert.ok(lang, `${k.id}: no language ${k.languageId}`);
    const claimed = [...(lang.extensions ?? []).map((e) => `*${e}`), ...(lang.filenames ?? []), ...(lang.filenamePatterns ?? [])].sort();
    assert.deepEqual(claimed, [...k.patterns].sort(), k.id);
    assert.equal(kindForLanguage(k.languageId), k.id);
  }
});

test("each kind's matcher agrees with its patterns; the client's workspace glob names every pattern", () => {
  const names = [
    'a.meta',
    'A.META',
    'dfc.properties',
    'x.upgrade.yaml',
    'x.upgrade.yml',
    'upgrade-manifest.yaml',
    'upgrade-manifest.yml',
    'x.yaml',
    'dfc.props',
    'meta',
    'x.upgrade.yaml.bak',
  ];
  for (const name of names) {
    const byPattern = KINDS.find((k) => k.patterns.some((p) => picomatch(p, { nocase: p.startsWith('*.') })(name)))?.id;
    assert.equal(kindForPath(`/w/${name}`), byPattern, name);
  }
  const client = fs.readFileSync(path.join(ROOT, 'client', 'extension.ts'), 'utf8');
  const glob = /const FILE_GLOB = '([^']+)'/.exec(client)![1];
  for (const p of KINDS.flatMap((k) => k.patterns)) assert.ok(glob.includes(p), `FILE_GLOB lacks ${p}`);
});
