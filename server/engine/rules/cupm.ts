/** CUPM manifest rules (product: cupm). Facts: reference 001. */
import { dynamicMsg, msg, ruleDocs } from '../l10n/index';
import { firstUpgrade, hasStep, lastUpgrade, related } from '../manifest';
import { compareVersions, v } from '../versions';
import { cupm } from '../products/index';
import type { ManifestRule } from './manifest';
import type { Severity } from '../types';

const P = ['cupm'];

const upgradePath: ManifestRule = {
  id: 'cupm/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (upgrade from 2.1 or 2.2)',
  docs: ruleDocs('cupm/upgrade-path'),
  check(ctx, report) {
    if (!ctx.to || !ctx.from || cupm.supportedTo85(ctx.from, ctx.to) !== false) return;
    report({ range: ctx.range('/from'), message: msg('cupm/upgrade-path.message', { to: ctx.to.text, from: ctx.from.text }) });
  },
};

const sizeMemory: ManifestRule = {
  id: 'cupm/size-memory',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (size models, 4 GB memory)',
  docs: ruleDocs('cupm/size-memory'),
  check(ctx, report) {
    if (ctx.m.size !== 'medium' && ctx.m.size !== 'large') return;
    for (const n of ctx.nodes) {
      const mem = n.data.memoryMB;
      if ((n.role !== 'application' && n.role !== 'all-in-one') || typeof mem !== 'number' || mem >= 4096) continue;
      report({
        range: ctx.range(`/nodes/${n.index}/memoryMB`),
        message: msg('cupm/size-memory.message', { node: n.name, memory: mem, size: String(ctx.m.size) }),
      });
    }
  },
};

const sizeTiny: ManifestRule = {
  id: 'cupm/size-tiny',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001 (tiny is not supported in production)',
  docs: ruleDocs('cupm/size-tiny'),
  check(ctx, report) {
    if (ctx.m.size !== 'tiny') return;
    report({ range: ctx.range('/size'), message: msg('cupm/size-tiny.message') });
  },
};

const installDirSpace: ManifestRule = {
  id: 'cupm/install-dir-space',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (installation directory)',
  docs: ruleDocs('cupm/install-dir-space'),
  check(ctx, report) {
    const d = ctx.m.installDir;
    if (typeof d !== 'string' || !/\s/.test(d)) return;
    report({ range: ctx.range('/installDir'), message: msg('cupm/install-dir-space.message', { d }) });
  },
};

const windowsUserLength: ManifestRule = {
  id: 'cupm/windows-user-length',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (user-name limits)',
  docs: ruleDocs('cupm/windows-user-length'),
  check(ctx, report) {
    const u = ctx.m.windowsUser;
    if (typeof u !== 'string' || u.length <= 20) return;
    report({ range: ctx.range('/windowsUser'), message: msg('cupm/windows-user-length.message', { user: u, length: u.length }) });
  },
};

const sameOs: ManifestRule = {
  id: 'cupm/same-os',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (distributed installation)',
  docs: ruleDocs('cupm/same-os'),
  check(ctx, report) {
    if (ctx.m.deployment !== 'distributed') return;
    const db = ctx.nodes.find((n) => n.role === 'database' && typeof n.data.os === 'string');
    if (!db) return;
    for (const n of ctx.nodes) {
      if (n.role !== 'application' || typeof n.data.os !== 'string' || n.data.os === db.data.os) continue;
      report({
        range: ctx.range(`/nodes/${n.index}/os`),
        message: msg('cupm/same-os.message', { node: n.name, os: String(n.data.os), database: db.name, databaseOs: String(db.data.os) }),
        related: [related(ctx.range(`/nodes/${db.index}/os`), msg('cupm/same-os.related'))],
      });
    }
  },
};

const windows2008: ManifestRule = {
  id: 'cupm/windows-2008',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001 (supported operating systems)',
  docs: ruleDocs('cupm/windows-2008'),
  check(ctx, report) {
    // 001: only 8.5 runs on (and moves to) Windows Server 2008. The target must be 8.5 or later, and so must the
    // release the node runs now: an in-place upgrade from 2.x is done on Windows 2003 and the system moves after.
    const toOld = !!ctx.to && compareVersions(ctx.to, v('8.5'), 2) < 0;
    const fromOld = !!ctx.from && compareVersions(ctx.from, v('8.5'), 2) < 0;
    if (!toOld && !fromOld) return;
    for (const n of ctx.nodes) {
      if (n.data.os !== 'windows-2008') continue;
      report({
        range: ctx.range(`/nodes/${n.index}/os`),
        message: toOld
          ? msg('cupm/windows-2008.message', { node: n.name, to: ctx.to!.text })
          : msg('cupm/windows-2008.inPlace', { node: n.name, from: ctx.from!.text, to: ctx.to?.text ?? '8.5' }),
      });
    }
  },
};

const backup: ManifestRule = {
  id: 'cupm/backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001 (pg_dumpall backup before the upgrade)',
  docs: ruleDocs('cupm/backup'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'backup', target: 'pg_dumpall' }, { before: f })) return;
    report({ range: f.range, message: msg('cupm/backup.message') });
  },
};

const postSync: ManifestRule = {
  id: 'cupm/post-sync',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '001 (synchronise after the upgrade)',
  docs: ruleDocs('cupm/post-sync'),
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || hasStep(ctx, { action: 'sync' }, { after: l })) return;
    report({ range: l.range, message: msg('cupm/post-sync.message') });
  },
};

const ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

const properties: ManifestRule = {
  id: 'cupm/properties',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001 (dfc.properties)',
  docs: ruleDocs('cupm/properties'),
  check(ctx, report) {
    const p = ctx.m.propertiesFile;
    if (typeof p !== 'string' || !ctx.lintReferenced) return;
    const abs = ctx.resolve(p);
    const diags = abs ? ctx.lintReferenced(abs, 'cupm-properties') : undefined;
    if (!diags?.length) return;
    const worst = diags.map((d) => d.severity).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0];
    // Another file's problems are named by line and rule only, with the rule's own summary: its messages quote
    // its values, and the referenced file may be anything (a manifest in a pull request can point anywhere).
    const lines = diags.slice(0, 3).map((d) => msg('cupm/properties.at', { line: d.range.start.line + 1, rule: d.rule }));
    const more = diags.length > 3 ? msg('cupm/properties.more') : '';
    report({
      range: ctx.range('/propertiesFile'),
      severity: worst,
      message: msg(diags.length === 1 ? 'cupm/properties.one' : 'cupm/properties.many', { file: p, count: diags.length, lines, more }),
      related: diags
        .slice(0, 10)
        .map((d) => ({ range: d.range, path: abs, message: msg('cupm/properties.related', { rule: d.rule, summary: dynamicMsg(`${d.rule}.summary`) }) })),
    });
  },
};

export const cupmRules: ManifestRule[] = [
  upgradePath,
  sizeMemory,
  sizeTiny,
  installDirSpace,
  windowsUserLength,
  sameOs,
  windows2008,
  backup,
  postSync,
  properties,
];
