/** iPlanet Messaging Server manifest rules (product: iplanet-messaging). Facts: reference 004. */
import { msg, ruleDocs } from '../l10n/index';
import { firstUpgrade, firstUpgradeOf, hasStep, isUpgrade, lastUpgrade, related, type ManifestContext } from '../manifest';
import { compareVersions, parseVersion, v } from '../versions';
import { trimTrailingSlashes } from '../util';
import { yamlScalar } from '../parse/yaml';
import type { ManifestRule } from './manifest';

const P = ['iplanet-messaging'];

/** The step that upgrades the messaging server (a messaging node), or the first upgrade. */
const messagingUpgrade = (ctx: ManifestContext) => firstUpgradeOf(ctx, 'messaging') ?? firstUpgrade(ctx);

const stopDispatcher: ManifestRule = {
  id: 'ims/stop-dispatcher',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004 (stop the MTA dispatcher)',
  docs: ruleDocs('ims/stop-dispatcher'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'stop-service', service: 'dispatcher' }, { before: f })) return;
    report({ range: f.range, message: msg('ims/stop-dispatcher.message') });
  },
};

const directoryRunning: ManifestRule = {
  id: 'ims/directory-running',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004 (do not stop the Directory Server)',
  docs: ruleDocs('ims/directory-running'),
  check(ctx, report) {
    const mu = messagingUpgrade(ctx);
    if (!mu) return;
    for (const s of ctx.steps) {
      if (s.index >= mu.index || s.action !== 'stop-service' || s.data.service !== 'directory') continue;
      const restarted = hasStep(ctx, { action: 'start-service', service: 'directory' }, { after: s, before: mu });
      if (restarted) continue;
      report({ range: s.range, message: msg('ims/directory-running.message'), related: [related(mu.range, msg('ims/directory-running.related'))] });
    }
  },
};

const NEEDED = ['server-root', 'message-queue', 'db2ldif'];

const backup: ManifestRule = {
  id: 'ims/backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004 (backups before the upgrade)',
  docs: ruleDocs('ims/backup'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    const done = new Set(ctx.steps.filter((s) => s.index < f.index && s.action === 'backup').map((s) => s.data.target));
    const missing = NEEDED.filter((t) => !done.has(t));
    if (!missing.length) return;
    report({ range: f.range, message: msg('ims/backup.message', { missing: missing.join(', ') }) });
  },
};

const sameServerRoot: ManifestRule = {
  id: 'ims/same-server-root',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '004 (same machine, same server-root)',
  docs: ruleDocs('ims/same-server-root'),
  check(ctx, report) {
    const a = ctx.m.serverRoot,
      b = ctx.m.targetServerRoot;
    if (typeof b !== 'string' || typeof a !== 'string' || trimTrailingSlashes(a) === trimTrailingSlashes(b)) return;
    report({
      range: ctx.range('/targetServerRoot'),
      message: msg('ims/same-server-root.message', { b, a }),
      fixes: [{ title: msg('ims/same-server-root.fix', { a }), preferred: true, edits: [{ range: ctx.range('/targetServerRoot'), newText: yamlScalar(a) }] }],
    });
  },
};

const directoryUpgrade: ManifestRule = {
  id: 'ims/directory-upgrade',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004 (Directory Server 4.13 → 4.16)',
  docs: ruleDocs('ims/directory-upgrade'),
  check(ctx, report) {
    const dv = parseVersion(ctx.m.directoryServerVersion);
    if (!dv || compareVersions(dv, v('4.16'), 2) >= 0) return;
    const mu = messagingUpgrade(ctx);
    const dirUp = ctx.steps.some((s) => isUpgrade(s) && (!mu || s.index < mu.index) && s.nodes.some((r) => ctx.byName.get(r.name)?.role === 'directory'));
    if (dirUp) return;
    report({ range: ctx.range('/directoryServerVersion'), message: msg('ims/directory-upgrade.message', { dv: dv.text }) });
  },
};

const restart: ManifestRule = {
  id: 'ims/restart',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004 (processes are not started after the upgrade)',
  docs: ruleDocs('ims/restart'),
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || hasStep(ctx, { action: 'start-service', service: 'msg' }, { after: l })) return;
    report({ range: l.range, message: msg('ims/restart.message') });
  },
};

export const imsRules: ManifestRule[] = [stopDispatcher, directoryRunning, backup, sameServerRoot, directoryUpgrade, restart];
