/** Rules for upgrade manifests of every product. */
import { msg, ruleDocs } from '../l10n/index';
import { activatesTarget, bringsToTarget, firstUpgrade, hasStep, isFreshInstall, isUpgrade, related, type ManifestContext, type StepInfo } from '../manifest';
import type { Rule } from '../rule';
import { before, type OrderChain } from '../order';
import { escapePointer, SECRET_KEY, Suggester } from '../util';
import { yamlScalar } from '../parse/yaml';
import { compareVersions, parseVersion, sameRelease } from '../versions';

export type ManifestRule = Rule<ManifestContext> & {
  products?: string[];
  /**
   * The order the rule asks for, as chains (server/engine/order.ts), read from what the steps are, not from where
   * they stand: "Sort steps into the documented order" sorts by the chains of every enabled rule, and a move fix is
   * preferred when the order after it satisfies them all. A rule whose check reads step order states it here.
   */
  order?(ctx: ManifestContext): OrderChain[];
};

const ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

const duplicateNode: ManifestRule = {
  id: 'manifest/duplicate-node',
  kind: 'upgrade-manifest',
  severity: 'error',
  source: 'FMT-05 (manifest format)',
  docs: ruleDocs('manifest/duplicate-node'),
  check(ctx, report) {
    const seen = new Map<string, (typeof ctx.nodes)[number]>();
    for (const n of ctx.nodes) {
      const first = seen.get(n.name);
      if (!first) {
        seen.set(n.name, n);
        continue;
      }
      report({
        range: n.nameRange,
        message: msg('manifest/duplicate-node.message', { node: n.name }),
        related: [related(first.nameRange, msg('manifest/duplicate-node.related'))],
      });
    }
  },
};

const duplicateStep: ManifestRule = {
  id: 'manifest/duplicate-step',
  kind: 'upgrade-manifest',
  severity: 'error',
  source: 'FMT-06 (manifest format)',
  docs: ruleDocs('manifest/duplicate-step'),
  check(ctx, report) {
    const seen = new Map<string, (typeof ctx.steps)[number]>();
    for (const s of ctx.steps) {
      if (typeof s.data.id !== 'string') continue;
      const first = seen.get(s.id);
      if (!first) {
        seen.set(s.id, s);
        continue;
      }
      report({
        range: s.range,
        message: msg('manifest/duplicate-step.message', { id: s.id }),
        related: [related(first.range, msg('manifest/duplicate-step.related'))],
      });
    }
  },
};

const unknownNode: ManifestRule = {
  id: 'manifest/unknown-node',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  source: 'FMT-07 (manifest format)',
  docs: ruleDocs('manifest/unknown-node'),
  check(ctx, report) {
    const names = new Suggester(
      ctx.nodes.map((n) => n.name),
      2,
    );
    for (const s of ctx.steps) {
      for (const r of s.nodes) {
        if (ctx.byName.has(r.name)) continue;
        const near = names.near(r.name);
        report({
          range: r.range,
          message: near
            ? msg('manifest/unknown-node.near', { id: s.id, name: r.name, near })
            : msg('manifest/unknown-node.message', { id: s.id, name: r.name }),
          fixes: near ? [{ title: msg('manifest/unknown-node.fix', { near }), preferred: true, edits: [{ range: r.range, newText: yamlScalar(near) }] }] : [],
        });
      }
    }
  },
};

const windowOrder: ManifestRule = {
  id: 'manifest/window-order',
  kind: 'upgrade-manifest',
  severity: 'error',
  source: 'FMT-08 (manifest format)',
  docs: ruleDocs('manifest/window-order'),
  check(ctx, report) {
    const w = ctx.m.maintenanceWindow as { start?: unknown; end?: unknown } | undefined;
    if (!w || typeof w !== 'object' || typeof w.start !== 'string' || typeof w.end !== 'string') return;
    const a = Date.parse(w.start),
      b = Date.parse(w.end);
    if (Number.isNaN(a) || Number.isNaN(b) || b > a) return;
    report({
      range: ctx.range('/maintenanceWindow/end'),
      message: msg('manifest/window-order.message', { end: w.end, start: w.start }),
      related: [related(ctx.range('/maintenanceWindow/start'), msg('manifest/window-order.related'))],
    });
  },
};

const sameVersion: ManifestRule = {
  id: 'manifest/same-version',
  kind: 'upgrade-manifest',
  severity: 'warning',
  source: 'FMT-09 (manifest format)',
  docs: ruleDocs('manifest/same-version'),
  check(ctx, report) {
    // 002: two builds of one ACNS release (5.1.0.b.20 and 5.1.0.b.26) are two versions.
    if (!ctx.from || !ctx.to || !sameRelease(ctx.from, ctx.to)) return;
    // A migration (001: CUPM 8.5 moved from Windows 2003 to 2008) installs the same version on new nodes.
    // 001: a restore into the same installation (L1087) keeps the version too.
    if (ctx.steps.some((s) => isFreshInstall(s) || s.action === 'restore') || ctx.nodes.some((n) => typeof n.data.replaces === 'string')) return;
    report({ range: ctx.range('/to'), message: msg('manifest/same-version.message', { to: ctx.to.text }) });
  },
};

const fileNotFound: ManifestRule = {
  id: 'manifest/file-not-found',
  kind: 'upgrade-manifest',
  severity: 'error',
  source: 'FMT-10 (manifest format)',
  docs: ruleDocs('manifest/file-not-found'),
  check(ctx, report) {
    if (!ctx.fs || !ctx.path) return;
    for (const key of ['metaFile', 'propertiesFile']) {
      const v = ctx.m[key];
      if (typeof v !== 'string' || v === '') continue;
      const abs = ctx.resolve(v);
      if (abs && ctx.fs.refused?.(abs)) continue; // manifest/file-outside-workspace says why it is not read
      if (abs && ctx.fs.fileSize(abs) === undefined) {
        report({ range: ctx.range(`/${key}`), message: msg('manifest/file-not-found.message', { key, v, abs }) });
      }
    }
  },
};

const fileOutside: ManifestRule = {
  id: 'manifest/file-outside-workspace',
  kind: 'upgrade-manifest',
  severity: 'error',
  source: 'FMT-11 (what upgrade-lint reads)',
  docs: ruleDocs('manifest/file-outside-workspace'),
  check(ctx, report) {
    if (!ctx.fs?.refused) return;
    for (const key of ['metaFile', 'propertiesFile']) {
      const v = ctx.m[key];
      const abs = typeof v === 'string' && v !== '' ? ctx.resolve(v) : undefined;
      if (!abs || ctx.fs.refused(abs) !== 'outside') continue;
      report({ range: ctx.range(`/${key}`), message: msg('manifest/file-outside-workspace.message', { key, path: String(v) }) });
    }
  },
};

const inlineSecret: ManifestRule = {
  id: 'manifest/inline-secret',
  kind: 'upgrade-manifest',
  severity: 'warning',
  source: 'FMT-12 (administrator passwords, 001 and 003)',
  docs: ruleDocs('manifest/inline-secret'),
  check(ctx, report) {
    // The pointer is only spelled out for a value that is reported (the walk visits every value of the file).
    const path: (string | number)[] = [];
    const walk = (v: unknown, key: string) => {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          walk(v[i], key);
          path.pop();
        }
        return;
      }
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          path.push(k);
          walk(o[k], k);
          path.pop();
        }
        return;
      }
      if (v === null || v === undefined || v === '' || !SECRET_KEY.test(key) || (typeof v === 'string' && ENV_REF.test(v.trim()))) return;
      const p = path.map((x) => `/${typeof x === 'number' ? x : escapePointer(x)}`).join('');
      report({ range: ctx.range(p), message: msg('manifest/inline-secret.message', { key, variable: key.toUpperCase().replace(/[^A-Z0-9]/g, '_') }) });
    };
    walk(ctx.m, '');
  },
};

const backupBeforeUpgrade: ManifestRule = {
  id: 'manifest/backup-before-upgrade',
  kind: 'upgrade-manifest',
  severity: 'warning',
  // Per guide: 000 asks for a system (DRS) backup before upgrading. CUPM (001) and iPlanet (004) prescribe their own
  // backups, checked by cupm/backup and ims/backup so one late backup is one diagnostic; the ACNS CDM upgrade (002)
  // writes its own database dump; the CallManager guide (003) prescribes none.
  products: ['cucm-im-presence'],
  source: '000-49 (back up the system before upgrading)',
  docs: ruleDocs('manifest/backup-before-upgrade'),
  // A backup before every upgrade: the first one written before the first upgrade, else the plan's first backup.
  order(ctx) {
    const ups = ctx.steps.filter(isUpgrade);
    const f = ups[0];
    const backups = ctx.steps.filter((s) => s.action === 'backup');
    if (!f || !backups.length) return [];
    return [before(backups.find((b) => b.index < f.index) ?? backups[0], ups)];
  },
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'backup' }, { before: f })) return;
    // 000 L126: the second window of a staged upgrade starts by switching the publisher upgraded in the first, after
    // the backup of that first window.
    if (hasStep(ctx, { action: 'switch-version' }, { before: f })) return;
    report({ range: f.range, message: msg('manifest/backup-before-upgrade.message', { id: f.id }) });
  },
};

const nodeNotUpgraded: ManifestRule = {
  id: 'manifest/node-not-upgraded',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: ['cucm-im-presence', 'callmanager', 'cupm'],
  source: '000-08, 000-14, 001-44, 003-30 (every node upgraded; each node switched back)',
  docs: ruleDocs('manifest/node-not-upgraded'),
  check(ctx, report) {
    // A fresh install of another version before the cluster starts moving (a server added on the old release) does
    // not reach `to`. One made after that is a version mismatch, reported once by the product (ccm/new-subscriber-version).
    const first = firstUpgrade(ctx);
    const otherVersion = (s: StepInfo) => {
      const iv = s.action === 'install' ? parseVersion(s.data.version) : undefined;
      return !!iv && !!ctx.to && compareVersions(iv, ctx.to) !== 0 && (!first || s.index < first.index);
    };
    const upgraded = new Set(ctx.steps.filter((s) => bringsToTarget(s) && !otherVersion(s)).flatMap((s) => s.nodes.map((r) => r.name)));
    // Every node already runs `to` (a restore into the same installation, 001 L1087): nothing to upgrade.
    if (ctx.from && ctx.to && compareVersions(ctx.from, ctx.to) === 0) return;
    // 000 L126: the first window of a staged upgrade installs the new version without switching to it; no node
    // reaches `to` in this plan, so none is expected to (imp/switch-missing says where the switch is missing).
    if (ctx.steps.some(isUpgrade) && !ctx.steps.some(activatesTarget)) return;
    // A node another one `replaces` leaves the cluster; it is not expected to reach `to`.
    const replaced = new Set(ctx.nodes.map((n) => n.data.replaces).filter((x): x is string => typeof x === 'string'));
    for (const n of ctx.byName.values()) {
      if (upgraded.has(n.name) || replaced.has(n.name)) continue;
      report({
        range: n.nameRange,
        message: ctx.to
          ? msg(
              ctx.from && compareVersions(ctx.to, ctx.from) < 0
                ? 'manifest/node-not-upgraded.revert'
                : ctx.product === 'cupm'
                  ? 'manifest/node-not-upgraded.system'
                  : 'manifest/node-not-upgraded.message',
              { node: n.name, to: ctx.to.text },
            )
          : msg('manifest/node-not-upgraded.noTarget', { node: n.name }),
      });
    }
  },
};

export const manifestRules: ManifestRule[] = [
  duplicateNode,
  duplicateStep,
  unknownNode,
  windowOrder,
  sameVersion,
  fileNotFound,
  fileOutside,
  inlineSecret,
  backupBeforeUpgrade,
  nodeNotUpgraded,
];
