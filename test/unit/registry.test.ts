/** The rule registry is the one list docs, SARIF and hovers come from: check it is complete and truthful. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../server/engine/lint';
import { allRules, checkRules } from '../../server/engine/rules/index';
import { renderDocs, updateNls, updatePackageJson, updateReadme } from '../../scripts/docgen';
import { listFixtures, readExpect } from '../helpers/fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The rule ids of the spec's "Meta files" and "CUPM properties" tables (../shared/spec/rules.md). */
const SPEC_IDS = [
  'meta/syntax',
  'meta/duplicate-key',
  'meta/key-case',
  'meta/http-port',
  'meta/http-credentials',
  'meta/url-target',
  'meta/cdm-ip-not-downgrade',
  'meta/cdm-ip-missing',
  'meta/version-file-mismatch',
  'meta/password-exposed',
  'meta/image-size-mismatch',
  'dfc/syntax',
  'dfc/duplicate-key',
  'dfc/port-format',
  'dfc/port-conflict',
  'dfc/reserved-port',
  'dfc/host-format',
  'dfc/host-and-hostlist',
  'manifest/duplicate-node',
  'manifest/duplicate-step',
  'manifest/unknown-node',
  'manifest/window-order',
  'manifest/same-version',
  'manifest/file-not-found',
  'manifest/inline-secret',
  'manifest/backup-before-upgrade',
  'manifest/node-not-upgraded',
  'acns/meta-version-mismatch',
  'acns/cdm-last',
  'acns/standby-after-primary',
  'acns/standby-not-upgraded',
  'acns/cdm-via-gui',
  'acns/cms-not-stopped',
  'acns/device-group-members',
  'acns/downgrade-cdm-ip',
  'acns/downgrade-restore',
  'imp/upgrade-path',
  'imp/upgrade-type',
  'imp/cop-file-required',
  'imp/cucm-version-match',
  'imp/publisher-first',
  'imp/peer-version',
  'imp/ha-enabled',
  'imp/maintenance-window',
  'imp/no-revert-hardware',
  'ccm/memory',
  'ccm/upgrade-path',
  'ccm/order',
  'ccm/one-at-a-time',
  'ccm/domain-controller',
  'ccm/windows-domain',
  'ccm/static-ip',
  'ccm/secondary-load',
  'ccm/coresident-app',
  'ccm/remote-upgrade',
  'cupm/upgrade-path',
  'cupm/size-memory',
  'cupm/size-tiny',
  'cupm/install-dir-space',
  'cupm/windows-user-length',
  'cupm/same-os',
  'cupm/windows-2008',
  'cupm/backup',
  'cupm/post-sync',
  'cupm/properties',
  'ims/stop-dispatcher',
  'ims/directory-running',
  'ims/backup',
  'ims/same-server-root',
  'ims/directory-upgrade',
  'ims/restart',
];
const SPEC_SEVERITY: Record<string, string> = {
  'meta/key-case': 'warning',
  'meta/url-target': 'warning',
  'meta/cdm-ip-not-downgrade': 'warning',
  'meta/cdm-ip-missing': 'information',
  'meta/version-file-mismatch': 'information',
  'meta/password-exposed': 'information',
  'dfc/duplicate-key': 'warning',
  'dfc/reserved-port': 'warning',
  'dfc/host-and-hostlist': 'warning',
  'manifest/same-version': 'warning',
  'manifest/inline-secret': 'warning',
  'manifest/backup-before-upgrade': 'warning',
  'acns/cms-not-stopped': 'warning',
  'acns/downgrade-cdm-ip': 'warning',
  'acns/downgrade-restore': 'warning',
  'imp/maintenance-window': 'warning',
  'imp/no-revert-hardware': 'warning',
  'ccm/windows-domain': 'warning',
  'ccm/static-ip': 'warning',
  'ccm/secondary-load': 'warning',
  'ccm/remote-upgrade': 'warning',
  'cupm/size-tiny': 'warning',
  'cupm/backup': 'warning',
  'cupm/post-sync': 'information',
  // cupm/properties takes the severity of the worst dfc.properties problem; its registry default only names it.
  'cupm/properties': 'warning',
  'ims/backup': 'warning',
  'ims/directory-upgrade': 'warning',
  'ims/restart': 'information',
};
const SPEC_PREFERRED_FIX = [
  'meta/duplicate-key',
  'meta/key-case',
  'meta/http-port',
  'meta/http-credentials',
  'meta/cdm-ip-not-downgrade',
  'meta/image-size-mismatch',
  'dfc/duplicate-key',
  'manifest/unknown-node',
  'acns/meta-version-mismatch',
  'acns/cdm-via-gui',
  'imp/upgrade-type',
  'imp/cop-file-required',
  'ims/same-server-root',
];

/**
 * Spec rules that gained a preferred fix since the spec: the syntax rules repair what is certain (issue 11); the
 * order rules move the step that is out of place, preferred only when that one move satisfies every order rule of
 * the plan (issue 15); ccm/one-at-a-time splits a step into one per server (issue 15).
 */
const ADDED_PREFERRED_FIX = [
  'meta/syntax',
  'dfc/syntax',
  'yaml/syntax',
  'schema/pattern',
  'acns/cdm-last',
  'acns/standby-after-primary',
  'acns/cms-not-stopped',
  'acns/cms-stop-order',
  'acns/cms-enable-after-install',
  'acns/keep-cdm-dump',
  'acns/downgrade-restore',
  'acns/downgrade-backup-after-delete',
  'acns/downgrade-delete-before-restore',
  'acns/downgrade-standby-backup',
  'acns/downgrade-standby-recreate-db',
  'imp/publisher-first',
  'imp/ha-enabled',
  'imp/cop-after-revert',
  'imp/sync-agent-restart',
  'imp/switch-missing',
  'imp/no-ldap-sync-before-switch',
  'imp/enable-ha-after-switch',
  'imp/drs-backup',
  'ccm/order',
  'ccm/one-at-a-time',
  'ccm/terminal-services-enabled',
  'cupm/database-first',
  'cupm/uninstall-first',
  'ims/dssetup',
  'ims/message-store-returned',
  'ims/sc3-agent',
  'ims/backout-order',
];

test('every rule of the spec tables is implemented with its default severity and fix', () => {
  const ids = new Set(allRules.map((r) => r.id));
  assert.equal(ids.size, allRules.length, 'ids are unique');
  for (const id of SPEC_IDS) {
    const r = allRules.find((x) => x.id === id);
    assert.ok(r, `${id} implemented`);
    assert.equal(r.severity, SPEC_SEVERITY[id] ?? 'error', `${id} severity`);
    // A fix the spec names stays; a rule may gain one as an extension (listed, and in the CHANGELOG), never lose one.
    assert.equal(r.fix === 'preferred', SPEC_PREFERRED_FIX.includes(id) || ADDED_PREFERRED_FIX.includes(id), `${id} preferred fix`);
  }
});

test('every rule has English and Japanese docs', () => {
  for (const r of allRules) {
    for (const lang of ['en', 'ja'] as const) {
      const d = r.docs[lang];
      assert.ok(d.summary.length > (lang === 'ja' ? 5 : 10) && d.details.length > 30, `${r.id} ${lang}`);
    }
    assert.match(r.docs.ja.summary + r.docs.ja.details, /[\u3040-\u30ff\u4e00-\u9fff]/, `${r.id} ja is Japanese`);
    assert.ok(r.source.length > 2, `${r.id} source`);
  }
});

/** Rules whose examples need another file (an image, the meta file or dfc.properties a manifest names): fixtures cover them. */
const NEEDS_FILES = new Set([
  'meta/image-size-mismatch',
  'acns/meta-version-mismatch',
  'acns/downgrade-cdm-ip',
  'cupm/properties',
  'cupm/properties-db-host',
  'manifest/file-not-found',
  'manifest/file-outside-workspace',
]);

test('each documented example fails (or passes) as the doc says; a manifest that passes lints clean', () => {
  for (const r of checkRules) {
    if (NEEDS_FILES.has(r.id)) continue;
    const kind = r.kind as 'acns-meta' | 'cupm-properties' | 'upgrade-manifest';
    for (const lang of ['en', 'ja'] as const) {
      const { bad, good } = r.docs[lang];
      assert.ok(bad && good, `${r.id} has examples`);
      assert.ok(
        lint({ text: bad, kind }).diagnostics.some((d) => d.rule === r.id),
        `${r.id}: the "fails" example triggers it`,
      );
      const passes = lint({ text: good, kind }).diagnostics;
      assert.ok(!passes.some((d) => d.rule === r.id), `${r.id}: the "passes" example does not`);
      if (kind === 'upgrade-manifest')
        assert.deepEqual(
          passes.map((d) => d.rule),
          [],
          `${r.id}: the "passes" manifest is clean`,
        );
    }
  }
});

test('every check rule has at least one fixture that triggers it', () => {
  const expected = new Set(
    listFixtures()
      .flatMap((f) => readExpect(f) ?? [])
      .map((l) => l.split(' ')[0]),
  );
  const missing = checkRules.map((r) => r.id).filter((id) => !expected.has(id));
  assert.deepEqual(missing, []);
});

test('committed docs match the registry (run `npm run docs` after changing a rule)', () => {
  for (const [rel, text] of renderDocs()) {
    const p = path.join(ROOT, rel);
    assert.ok(fs.existsSync(p), `${rel} exists`);
    assert.equal(fs.readFileSync(p, 'utf8'), text, `${rel} is up to date`);
  }
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.equal(updateReadme(readme), readme, 'README rule table is up to date');
  const pkg = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  assert.equal(updatePackageJson(pkg), pkg, "package.json's upgradeLint.rules lists every rule id");
  for (const [f, locale] of [
    ['package.nls.json', 'en'],
    ['package.nls.ja.json', 'ja'],
  ]) {
    const nls = fs.readFileSync(path.join(ROOT, f), 'utf8');
    assert.equal(updateNls(nls, locale), nls, `${f} has every rule's summary`);
  }
  const pages = fs.readdirSync(path.join(ROOT, 'docs', 'rules'), { recursive: true }).filter((f) => String(f).endsWith('.md'));
  assert.equal(pages.length, allRules.length, 'no stale rule pages');
});
