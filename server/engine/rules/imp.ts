/** Unified CM IM and Presence manifest rules (product: cucm-im-presence). Facts: reference 000. */
import { msg, ruleDocs } from '../l10n/index';
import {
  asArr,
  asObj,
  checkUpgradedAfter,
  firstUpgrade,
  hasStep,
  insertStepAfter,
  insertStepBefore,
  related,
  stepNames,
  type ManifestContext,
} from '../manifest';
import { compareVersions, parseVersion, sameMajorMinor, v } from '../versions';
import { yamlScalar } from '../parse/yaml';
import { imp } from '../products/index';
import type { ManifestRule } from './manifest';

const P = ['cucm-im-presence'];
const { is90, requiredUpgradeType } = imp;
/** What the server will actually do: the path decides; `upgradeType` counts only where the path does not. */
const effectiveType = (ctx: ManifestContext) =>
  requiredUpgradeType(ctx.from, ctx.to) ?? (ctx.m.upgradeType === 'refresh' || ctx.m.upgradeType === 'standard' ? ctx.m.upgradeType : undefined);

const upgradePath: ManifestRule = {
  id: 'imp/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000 (supported upgrade paths to 9.0(1))',
  docs: ruleDocs('imp/upgrade-path'),
  check(ctx, report) {
    if (!is90(ctx.to) || !ctx.from || imp.supportedTo90(ctx.from)) return;
    report({ range: ctx.range('/from'), message: msg('imp/upgrade-path.message', { from: ctx.from.text, to: ctx.to!.text }) });
  },
};

const upgradeType: ManifestRule = {
  id: 'imp/upgrade-type',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '000 (standard and refresh upgrades)',
  docs: ruleDocs('imp/upgrade-type'),
  check(ctx, report) {
    const want = requiredUpgradeType(ctx.from, ctx.to);
    const have = ctx.m.upgradeType;
    if (!want || typeof have !== 'string' || have === want) return;
    report({
      range: ctx.range('/upgradeType'),
      message: msg('imp/upgrade-type.message', { from: ctx.from!.text, to: ctx.to!.text, want, have }),
      fixes: [{ title: msg('imp/upgrade-type.fix', { want }), preferred: true, edits: [{ range: ctx.range('/upgradeType'), newText: yamlScalar(want) }] }],
    });
  },
};

const COP = 'ciscocm.cup.refresh_upgrade_v<latest_version>.cop';

const copFileRequired: ManifestRule = {
  id: 'imp/cop-file-required',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '000-12',
  docs: ruleDocs('imp/cop-file-required'),
  check(ctx, report) {
    if (!imp.needsCop(ctx.from, ctx.to)) return;
    const f = firstUpgrade(ctx);
    if (!f) return;
    const cops = ctx.steps.filter((s) => s.action === 'install-cop');
    const covered = new Set(cops.filter((s) => s.index < f.index).flatMap(stepNames));
    const missing = ctx.nodes.map((n) => n.name).filter((n) => !covered.has(n));
    if (!missing.length) return;
    const late = cops.find((s) => s.index > f.index && s.nodes.some((r) => missing.includes(r.name)));
    if (late) {
      report({
        range: late.range,
        message: msg('imp/cop-file-required.late', { id: late.id, first: f.id, missing: missing.join(', ') }),
        related: [related(f.range, msg('imp/cop-file-required.related'))],
      });
      return;
    }
    const edit = insertStepBefore(ctx, f, [
      'id: install-cop',
      'action: install-cop',
      `nodes: [${ctx.nodes.map((n) => yamlScalar(n.name)).join(', ')}]`,
      `file: ${COP}`,
    ]);
    report({
      range: f.range,
      message: msg('imp/cop-file-required.message', { from: ctx.from!.text, missing: missing.join(', ') }),
      fixes: edit ? [{ title: msg('imp/cop-file-required.fix'), preferred: true, edits: [edit] }] : [],
    });
  },
};

const copAfterRevert: ManifestRule = {
  id: 'imp/cop-after-revert',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '000-10',
  docs: ruleDocs('imp/cop-after-revert'),
  check(ctx, report) {
    if (!imp.copAfterRevert(ctx.from, ctx.to)) return;
    const switches = ctx.steps.filter((s) => s.action === 'switch-version');
    const last = switches[switches.length - 1];
    if (!last) return;
    const switched = [...new Set(switches.flatMap(stepNames))];
    const covered = new Set(ctx.steps.filter((s) => s.action === 'install-cop' && s.index > last.index).flatMap(stepNames));
    const missing = switched.filter((n) => !covered.has(n));
    if (!missing.length) return;
    const edit = insertStepAfter(ctx, last, ['id: reinstall-cop', 'action: install-cop', `nodes: [${switched.map(yamlScalar).join(', ')}]`, `file: ${COP}`]);
    report({
      range: last.range,
      message: msg('imp/cop-after-revert.message', { to: ctx.to!.text, missing: missing.join(', ') }),
      fixes: edit ? [{ title: msg('imp/cop-after-revert.fix'), preferred: true, edits: [edit] }] : [],
    });
  },
};

const cucmVersionMatch: ManifestRule = {
  id: 'imp/cucm-version-match',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-13',
  docs: ruleDocs('imp/cucm-version-match'),
  check(ctx, report) {
    const u = parseVersion(ctx.m.unifiedCmVersion);
    if (!u || !imp.cucmMustMatch(ctx.to) || sameMajorMinor(u, ctx.to!)) return;
    report({
      range: ctx.range('/unifiedCmVersion'),
      message: msg('imp/cucm-version-match.message', { version: u.text, to: ctx.to!.text, major: ctx.to!.parts[0], minor: ctx.to!.parts[1] }),
    });
  },
};

const publisherFirst: ManifestRule = {
  id: 'imp/publisher-first',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000 (upgrade the publisher before the subscribers)',
  docs: ruleDocs('imp/publisher-first'),
  check(ctx, report) {
    checkUpgradedAfter(ctx, report, 'subscriber', 'publisher', {
      early: (subs, together) => msg(together ? 'imp/publisher-first.together' : 'imp/publisher-first.early', { subs }),
      never: (subs) => msg('imp/publisher-first.never', { subs }),
      here: msg('imp/publisher-first.here'),
    });
  },
};

const peerVersion: ManifestRule = {
  id: 'imp/peer-version',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000 (intercluster peers)',
  docs: ruleDocs('imp/peer-version'),
  check(ctx, report) {
    asArr(ctx.m.interclusterPeers).forEach((p, i) => {
      const pv = parseVersion(asObj(p).version);
      if (!pv) return;
      if ((pv.parts[0] === 8 && pv.parts[1] === 6) || compareVersions(pv, v('9.0(1)'), 3) === 0) return;
      const name = asObj(p).name;
      report({
        range: ctx.range(`/interclusterPeers/${i}/version`),
        message: msg('imp/peer-version.message', { peer: String(name ?? i + 1), version: pv.text }),
      });
    });
  },
};

const haEnabled: ManifestRule = {
  id: 'imp/ha-enabled',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000 (disable high availability before upgrading)',
  docs: ruleDocs('imp/ha-enabled'),
  check(ctx, report) {
    if (ctx.m.highAvailability !== 'enabled') return;
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'disable-ha' }, { before: f })) return;
    report({
      range: ctx.range('/highAvailability'),
      message: msg('imp/ha-enabled.message', { id: f.id }),
      related: [related(f.range, msg('imp/ha-enabled.related'))],
    });
  },
};

const maintenanceWindow: ManifestRule = {
  id: 'imp/maintenance-window',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '000 (the system is unavailable during a refresh upgrade)',
  docs: ruleDocs('imp/maintenance-window'),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh' || ctx.m.maintenanceWindow !== undefined) return;
    report({ range: ctx.at('/upgradeType') ? ctx.range('/upgradeType') : ctx.range('/to'), message: msg('imp/maintenance-window.message') });
  },
};

const noRevertHardware: ManifestRule = {
  id: 'imp/no-revert-hardware',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '000 (MCS-7825-H3 / MCS-7828-H3)',
  docs: ruleDocs('imp/no-revert-hardware'),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh') return;
    const f = firstUpgrade(ctx);
    const hasUsb = hasStep(ctx, { action: 'backup', target: 'usb' }, { before: f });
    if (hasUsb) return;
    for (const n of ctx.nodes) {
      const hw = n.data.hardware;
      if (typeof hw !== 'string' || !/^MCS-78(25|28)-H3$/i.test(hw.trim())) continue;
      report({ range: ctx.range(`/nodes/${n.index}/hardware`), message: msg('imp/no-revert-hardware.message', { node: n.name, hardware: hw }) });
    }
  },
};

export const impRules: ManifestRule[] = [
  upgradePath,
  upgradeType,
  copFileRequired,
  copAfterRevert,
  cucmVersionMatch,
  publisherFirst,
  peerVersion,
  haEnabled,
  maintenanceWindow,
  noRevertHardware,
];
