/** ACNS manifest rules (product: acns). Facts: reference 002. */
import { msg, ruleDocs } from '../l10n/index';
import { parseMeta } from '../parse/kv';
import { asArr, asObj, checkUpgradedAfter, firstUpgradeOf, hasStep, isUpgrade, related, type ManifestContext, type StepInfo } from '../manifest';
import { compareVersions, parseVersion } from '../versions';
import { yamlScalar } from '../parse/yaml';
import type { ManifestRule } from './manifest';
import { META_KEYS } from './meta';

const CDM = new Set(['cdm-primary', 'cdm-standby']);
const EDGE = new Set(['content-engine', 'content-router']);
const P = ['acns'];

const roleOf = (ctx: ManifestContext, name: string) => ctx.byName.get(name)?.role;
const namesWith = (ctx: ManifestContext, s: StepInfo, roles: Set<string>) => s.nodes.filter((r) => roles.has(roleOf(ctx, r.name) ?? '')).map((r) => r.name);
const isDowngrade = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.to, ctx.from) < 0;

/** The meta file named by `metaFile`, parsed, when it can be read. */
function metaOf(ctx: ManifestContext) {
  const p = ctx.m.metaFile;
  if (typeof p !== 'string' || !ctx.fs?.readText) return undefined;
  const abs = ctx.resolve(p);
  const text = abs ? ctx.fs.readText(abs) : undefined;
  if (text === undefined) return undefined;
  const d = parseMeta(text);
  const get = (k: string) => d.entries.find((e) => e.key.toLowerCase() === k.toLowerCase() && META_KEYS.some((m) => m.toLowerCase() === k.toLowerCase()));
  return { abs: abs!, doc: d, get };
}

const metaVersionMismatch: ManifestRule = {
  id: 'acns/meta-version-mismatch',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002 table 7-1 (version = software version after the update)',
  docs: ruleDocs('acns/meta-version-mismatch'),
  check(ctx, report) {
    const meta = metaOf(ctx);
    const e = meta?.get('version');
    const mv = e ? parseVersion(e.value) : undefined;
    if (!mv || !ctx.to || compareVersions(mv, ctx.to, 3) === 0) return;
    const target = mv.parts.slice(0, 3).join('.');
    report({
      range: ctx.range('/to'),
      message: msg('acns/meta-version-mismatch.message', { to: ctx.to.text, mv: mv.text }),
      related: [{ range: e!.valueRange, path: meta!.abs, message: msg('acns/meta-version-mismatch.related') }],
      fixes: [{ title: msg('acns/meta-version-mismatch.fix', { target }), preferred: true, edits: [{ range: ctx.range('/to'), newText: yamlScalar(target) }] }],
    });
  },
};

const cdmLast: ManifestRule = {
  id: 'acns/cdm-last',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002 (upgrade the Content Distribution Manager last)',
  docs: ruleDocs('acns/cdm-last'),
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    for (const s of ups) {
      const cdms = namesWith(ctx, s, CDM);
      if (!cdms.length) continue;
      const later = ups.find((t) => t.index >= s.index && namesWith(ctx, t, EDGE).length);
      if (!later) continue;
      const edge = namesWith(ctx, later, EDGE)[0];
      report({
        range: s.range,
        message: msg('acns/cdm-last.message', { cdms: cdms.join(', '), edge, role: roleOf(ctx, edge) ?? '' }),
        related: [related(later.range, msg('acns/cdm-last.related', { edge }))],
      });
    }
  },
};

const standbyAfterPrimary: ManifestRule = {
  id: 'acns/standby-after-primary',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002 (upgrading the primary and standby CDM)',
  docs: ruleDocs('acns/standby-after-primary'),
  check(ctx, report) {
    checkUpgradedAfter(ctx, report, 'cdm-standby', 'cdm-primary', {
      early: (sb, together) => msg(together ? 'acns/standby-after-primary.together' : 'acns/standby-after-primary.early', { sb }),
      never: (sb) => msg('acns/standby-after-primary.never', { sb }),
      here: msg('acns/standby-after-primary.here'),
    });
  },
};

const standbyNotUpgraded: ManifestRule = {
  id: 'acns/standby-not-upgraded',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002 (primary and standby CDM must run the same version)',
  docs: ruleDocs('acns/standby-not-upgraded'),
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    const primary = firstUpgradeOf(ctx, 'cdm-primary');
    if (!primary) return;
    for (const n of ctx.nodes.filter((x) => x.role === 'cdm-standby')) {
      if (ups.some((s) => s.nodes.some((r) => r.name === n.name))) continue;
      report({
        range: n.nameRange,
        message: msg('acns/standby-not-upgraded.message', { node: n.name }),
        related: [related(primary.range, msg('acns/standby-not-upgraded.related'))],
      });
    }
  },
};

const cdmViaGui: ManifestRule = {
  id: 'acns/cdm-via-gui',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002 (ACNS 5.1 does not upgrade a CDM from the CDM GUI)',
  docs: ruleDocs('acns/cdm-via-gui'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.method !== 'gui') continue;
      const cdms = namesWith(ctx, s, CDM);
      if (!cdms.length) continue;
      const p = `/steps/${s.index}/method`;
      report({
        range: ctx.range(p),
        message: msg('acns/cdm-via-gui.message', { cdms: cdms.join(', ') }),
        fixes: [{ title: msg('acns/cdm-via-gui.fix'), preferred: true, edits: [{ range: ctx.range(p), newText: 'cli' }] }],
      });
    }
  },
};

const cmsNotStopped: ManifestRule = {
  id: 'acns/cms-not-stopped',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '002 (upgrading the standby CDM)',
  docs: ruleDocs('acns/cms-not-stopped'),
  check(ctx, report) {
    const cdmNodes = ctx.nodes.filter((n) => CDM.has(n.role ?? ''));
    if (!cdmNodes.some((n) => n.role === 'cdm-standby')) return;
    const first = firstUpgradeOf(ctx, ...CDM);
    if (!first) return;
    const stopped = new Set(
      ctx.steps.filter((s) => s.index < first.index && s.action === 'stop-service' && s.data.service === 'cms').flatMap((s) => s.nodes.map((r) => r.name)),
    );
    const missing = cdmNodes.filter((n) => !stopped.has(n.name)).map((n) => n.name);
    if (!missing.length) return;
    report({ range: first.range, message: msg('acns/cms-not-stopped.message', { missing: missing.join(', ') }) });
  },
};

const deviceGroupMembers: ManifestRule = {
  id: 'acns/device-group-members',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002 (device groups hold content engines)',
  docs: ruleDocs('acns/device-group-members'),
  check(ctx, report) {
    asArr(ctx.m.deviceGroups).forEach((g, i) => {
      asArr(asObj(g).members).forEach((mm, j) => {
        if (typeof mm !== 'string') return;
        const role = roleOf(ctx, mm);
        if (role === 'content-engine') return;
        report({
          range: ctx.range(`/deviceGroups/${i}/members/${j}`),
          message: role ? msg('acns/device-group-members.message', { mm, role }) : msg('acns/device-group-members.message2', { mm }),
        });
      });
    });
  },
};

const downgradeCdmIp: ManifestRule = {
  id: 'acns/downgrade-cdm-ip',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '002 (downgrade to 4.x, CDM-IP)',
  docs: ruleDocs('acns/downgrade-cdm-ip'),
  check(ctx, report) {
    if (!isDowngrade(ctx) || ctx.to!.parts[0] !== 4) return;
    const meta = metaOf(ctx);
    if (!meta || meta.get('CDM-IP')) return;
    report({ range: ctx.range('/metaFile'), message: msg('acns/downgrade-cdm-ip.message', { to: ctx.to!.text }) });
  },
};

const downgradeRestore: ManifestRule = {
  id: 'acns/downgrade-restore',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '002 (downgrading the CDM)',
  docs: ruleDocs('acns/downgrade-restore'),
  check(ctx, report) {
    if (!isDowngrade(ctx)) return;
    for (const s of ctx.steps.filter(isUpgrade)) {
      for (const name of namesWith(ctx, s, CDM)) {
        const restored = hasStep(ctx, { action: 'restore', target: 'cdm-database', node: name }, { before: s });
        if (restored) continue;
        report({ range: s.range, message: msg('acns/downgrade-restore.message', { name }) });
      }
    }
  },
};

export const acnsRules: ManifestRule[] = [
  metaVersionMismatch,
  cdmLast,
  standbyAfterPrimary,
  standbyNotUpgraded,
  cdmViaGui,
  cmsNotStopped,
  deviceGroupMembers,
  downgradeCdmIp,
  downgradeRestore,
];
