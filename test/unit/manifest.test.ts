/** package.json is the extension manifest: check that what it contributes exists and is translated. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
const ja = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.ja.json'), 'utf8'));

test('activation only on our languages, bins present', () => {
  assert.deepEqual(pkg.activationEvents, ['onLanguage:acns-meta', 'onLanguage:cupm-properties', 'onLanguage:upgrade-manifest']);
  assert.deepEqual(Object.keys(pkg.bin), ['upgrade-lint', 'upgrade-lint-server']);
  for (const b of Object.values(pkg.bin) as string[]) assert.match(fs.readFileSync(path.join(ROOT, b), 'utf8'), /^#!\/usr\/bin\/env node/);
});

test('every contributed file exists and every %key% is translated in en and ja', () => {
  for (const g of pkg.contributes.grammars) JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8'));
  for (const l of pkg.contributes.languages) assert.ok(fs.existsSync(path.join(ROOT, l.configuration)));
  for (const v of pkg.contributes.jsonValidation) assert.ok(fs.existsSync(path.join(ROOT, v.url)));
  const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 10);
  for (const k of keys) {
    assert.ok(en[k], `en: ${k}`);
    assert.ok(ja[k], `ja: ${k}`);
  }
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ja).sort());
});

test('the settings the server reads are all contributed', () => {
  const props = Object.keys(pkg.contributes.configuration.properties);
  for (const s of ['run', 'rules', 'imageSearchPaths', 'locale', 'maxFileSize', 'maxDiagnostics', 'remoteChecks', 'maxAliasExpansion', 'trace.server']) {
    assert.ok(props.includes(`upgradeLint.${s}`), s);
  }
});
