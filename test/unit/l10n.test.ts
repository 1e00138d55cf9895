/** The message catalogs (server/engine/l10n): complete in every locale, placeholders alike, generated types current. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { catalogs, LOCALES, msg, placeholders, render } from '../../server/engine/l10n/index';
import { allRules } from '../../server/engine/rules/index';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('every locale has every key, with the same placeholders, and no empty text', () => {
  const en = catalogs.en;
  for (const l of LOCALES) {
    const cat = catalogs[l];
    assert.deepEqual(Object.keys(cat).sort(), Object.keys(en).sort(), `${l}: keys differ from en`);
    for (const [k, v] of Object.entries(cat)) {
      assert.deepEqual(placeholders(v), placeholders(en[k]), `${l} ${k}: placeholders differ from en`);
      if (k !== 'list.separator') assert.ok(v.trim().length > 0 || en[k] === '', `${l} ${k} is empty`);
    }
  }
});

test('every rule has its summary and details in every locale; no catalog key is left over', () => {
  for (const r of allRules)
    for (const l of LOCALES) {
      assert.ok(catalogs[l][`${r.id}.summary`], `${l}: ${r.id}.summary`);
      assert.ok(catalogs[l][`${r.id}.details`], `${l}: ${r.id}.details`);
    }
  // Keys are read by the code: a key nothing can reach is a sentence no one reads.
  const walk = (d: string): string[] =>
    fs
      .readdirSync(path.join(ROOT, d), { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory()
          ? e.name === 'l10n'
            ? []
            : walk(path.join(d, e.name))
          : e.name.endsWith('.ts')
            ? [fs.readFileSync(path.join(ROOT, d, e.name), 'utf8')]
            : [],
      );
  const sources = ['server', 'scripts', 'client'].flatMap(walk).join('\n');
  const ids = new Set(allRules.map((r) => r.id));
  const unused = Object.keys(catalogs.en).filter((k) => {
    const rule = k.slice(0, k.indexOf('.'));
    if (ids.has(rule) && /\.(summary|details|bad|good)$/.test(k)) return false;
    if (sources.includes(`'${k}'`)) return false;
    // Keys built from a prefix in code (`${id}.message`, `schema/type.${t}`, `schema/required.one.${place}`, `docs.kind.${kind}`).
    return !/^(ccm\/(domain-controller|windows-domain|static-ip)\.message|schema\/type\.(string|number|integer|boolean|array|object)|schema\/required\.(one|many)\.(inStep|inNode|here)|docs\.severity\.\w+|docs\.kind\.[\w-]+|docs\.format\.type\.\w+|product\.[\w-]+\.name|list\.separator)$/.test(
      k,
    );
  });
  assert.deepEqual(unused, []);
});

test('keys.ts is generated from the current English catalog', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'l10n.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('render: placeholders, nested messages, lists, data in several languages, English fallback', () => {
  const m = msg('schema/required.one.here', {
    keys: [msg('schema/required.key', { key: 'a', title: { en: 'A', ja: 'エー' } }), msg('schema/required.key', { key: 'b', title: { en: 'B' } })],
  });
  assert.equal(render(m, 'en'), 'Required key `a` (A), `b` (B) is missing.');
  assert.equal(render(m, 'ja'), '必須のキー `a` (エー)、`b` (B) がありません。');
  assert.equal(render({ key: 'no.such.key' }, 'ja'), 'no.such.key');
});

test('every locale of the catalogs is offered by the setting and has its VS Code nls and client bundle', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration.properties['upgradeLint.locale'].enum, ['auto', ...LOCALES]);
  for (const l of LOCALES.filter((x) => x !== 'en')) {
    assert.ok(fs.existsSync(path.join(ROOT, `package.nls.${l}.json`)), `package.nls.${l}.json`);
    assert.ok(fs.existsSync(path.join(ROOT, 'l10n', `bundle.l10n.${l}.json`)), `l10n/bundle.l10n.${l}.json`);
  }
});

test('Japanese reads as Japanese: no type names such as "string 型", no English references such as "table 7-1", no nested brackets', () => {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(catalogs.ja)) {
    if (/\.(bad|good)$/.test(k)) continue; // YAML examples, the same in every language
    const text = v.replace(/`[^`]*`/g, '');
    if (/(string|number|integer|boolean|array|object)\s*型/.test(text)) problems.push(`${k}: a type name`);
    if (/\b(table|step|section|chapter)\s+\d/i.test(text)) problems.push(`${k}: an English reference`);
    let depth = 0;
    for (const ch of text) {
      if (ch === '（' || ch === '(') depth++;
      else if ((ch === '）' || ch === ')') && depth > 0) depth--;
      if (depth > 1) {
        problems.push(`${k}: nested brackets`);
        break;
      }
    }
  }
  assert.deepEqual(problems, []);
});

test("every client message has its translation in each locale's client bundle", () => {
  const client = fs.readFileSync(path.join(ROOT, 'client', 'extension.ts'), 'utf8');
  const used = [...client.matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1]);
  assert.ok(used.length >= 5, used.join(' | '));
  for (const l of LOCALES.filter((x) => x !== 'en')) {
    const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${l}.json`), 'utf8')) as Record<string, string>;
    assert.deepEqual(
      used.filter((u) => !bundle[u]),
      [],
      `l10n/bundle.l10n.${l}.json`,
    );
  }
});
