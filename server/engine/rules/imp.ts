/** Unified CM IM and Presence manifest rules (product: cucm-im-presence). Facts: reference 000. */
import { msg, ruleDocs } from '../l10n/index';
import {
  asArr,
  asObj,
  bringsToTarget,
  firstUpgrade,
  hasStep,
  insertStepAfter,
  insertStepBefore,
  isFreshInstall,
  isUpgrade,
  related,
  stepNames,
  type ManifestContext,
  type NodeRef,
  type StepInfo,
} from '../manifest';
import { compareVersions, parseVersion, sameMajorMinor } from '../versions';
import { yamlScalar } from '../parse/yaml';
import { imp } from '../products/index';
import type { ManifestRule } from './manifest';
import { before, chain, moveFix, ranked, reportOutOfPlace, someBefore, type OrderChain } from '../order';

const P = ['cucm-im-presence'];
const { is90, requiredUpgradeType } = imp;
/** What the server will actually do: the path decides; `upgradeType` counts only where the path does not. */
const effectiveType = (ctx: ManifestContext) =>
  requiredUpgradeType(ctx.from, ctx.to) ?? (ctx.m.upgradeType === 'refresh' || ctx.m.upgradeType === 'standard' ? ctx.m.upgradeType : undefined);
/** An upgrade plan: `from` below `to`. */
const upgrading = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.from, ctx.to, 3) < 0;
const isPublisher = (ctx: ManifestContext) => (r: NodeRef) => ctx.byName.get(r.name)?.role === 'publisher';
const isSubscriber = (ctx: ManifestContext) => (r: NodeRef) => ctx.byName.get(r.name)?.role === 'subscriber';

/**
 * Which version each node runs after each step that changes it (000-12, 000-14): every node starts on `from`. An
 * upgrade leaves it on `to` unless it has `switch: false` (then the active version does not change); a
 * `switch-version` swaps the active and the inactive partition; a fresh installation leaves it on `to`.
 */
interface Move {
  step: StepInfo;
  ref: NodeRef;
  before: 'from' | 'to';
  after: 'from' | 'to';
}
interface Partitions {
  moves: Move[];
  /** The version each node named by a move ends on. */
  final: Map<string, 'from' | 'to'>;
}
const partitionCache = new WeakMap<ManifestContext, Partitions>();
function partitions(ctx: ManifestContext): Partitions {
  let p = partitionCache.get(ctx);
  if (p) return p;
  const final = new Map<string, 'from' | 'to'>();
  const moves: Move[] = [];
  for (const s of ctx.steps) {
    if (!bringsToTarget(s)) continue;
    for (const ref of s.nodes) {
      const before = final.get(ref.name) ?? 'from';
      const after = s.action === 'switch-version' ? (before === 'to' ? 'from' : 'to') : s.action === 'upgrade' && s.data.switch === false ? before : 'to';
      final.set(ref.name, after);
      moves.push({ step: s, ref, before, after });
    }
  }
  p = { moves, final };
  partitionCache.set(ctx, p);
  return p;
}
/** Moves grouped by their step, in step order, with the names of the nodes they move. */
function byStep(moves: Move[]): [StepInfo, string[]][] {
  const out = new Map<StepInfo, string[]>();
  for (const m of moves) {
    const names = out.get(m.step);
    if (names) names.push(m.ref.name);
    else out.set(m.step, [m.ref.name]);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------
// Order: the chains the rules below ask for, read from what the steps are (server/engine/order.ts).

const names = (ctx: ManifestContext, s: StepInfo, role: 'publisher' | 'subscriber') => [
  ...new Set(s.nodes.filter(role === 'publisher' ? isPublisher(ctx) : isSubscriber(ctx)).map((r) => r.name)),
];
/** A plan whose publisher-first order is checked: it lists the publisher, and does not install it afresh (000-10's). */
const publisherChecked = (ctx: ManifestContext) =>
  ctx.nodes.some((n) => n.role === 'publisher') && !ctx.steps.some((s) => isFreshInstall(s) && s.nodes.some(isPublisher(ctx)));
/**
 * 000-09, 000-21: the steps that put the publisher ahead: its upgrades; in a plan without one (the second window of
 * a staged upgrade), the step that switches it to the new version.
 */
function publisherAhead(ctx: ManifestContext): StepInfo[] {
  const pub = isPublisher(ctx);
  const ups = ctx.steps.filter((s) => isUpgrade(s) && s.nodes.some(pub));
  return ups.length ? ups : ctx.steps.filter((s) => bringsToTarget(s) && s.nodes.some(pub));
}
const subscriberUpgrades = (ctx: ManifestContext) => ctx.steps.filter((s) => isUpgrade(s) && s.nodes.some(isSubscriber(ctx)));
/**
 * 000-09: the publisher's upgrade (rank 0) before every upgrade of a subscriber (rank 1); a step that upgrades the
 * publisher together with subscribers counts as the publisher's (it is reported on its own).
 */
const upgradeChain = (ctx: ManifestContext): OrderChain =>
  chain([
    // The publisher's first such step: an upgrade written again later (a copy, an alias) is not the one that counts.
    ...publisherAhead(ctx)
      .slice(0, 1)
      .map((step) => ({ step, rank: 0 })),
    ...subscriberUpgrades(ctx)
      .filter((s) => !s.nodes.some(isPublisher(ctx)))
      .map((step) => ({ step, rank: 1 })),
  ]);
/**
 * 000 L47, L126: in an upgrade, the publisher becomes active on the new version (rank 0) before any subscriber (rank
 * 1): the steps that move a node from the old version to the new one (an upgrade that switches, a switch-version
 * that is not a switch back; a subscriber's fresh installation is not counted).
 */
function switchChain(ctx: ManifestContext): OrderChain {
  const pub: StepInfo[] = [];
  const sub: StepInfo[] = [];
  for (const m of partitions(ctx).moves) {
    if (m.before !== 'from' || m.after !== 'to') continue;
    const role = ctx.byName.get(m.ref.name)?.role;
    if (role === 'publisher') pub.push(m.step);
    else if (role === 'subscriber' && (m.step.action === 'switch-version' || isUpgrade(m.step))) sub.push(m.step);
  }
  return ranked([[...new Set(pub)], [...new Set(sub)]]);
}
const upgradingUp = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.to, ctx.from) > 0;
const upgrades = (ctx: ManifestContext) => ctx.steps.filter(isUpgrade);
const moversOf = (ctx: ManifestContext) => ctx.steps.filter((s) => s.action === 'upgrade' || s.action === 'switch-version');
/** 000-42: high availability comes back after the last upgrade or switch. */
const haBackChain = (ctx: ManifestContext): OrderChain => ranked([moversOf(ctx), ctx.steps.filter((s) => s.action === 'enable-ha')]);
/** 000-19: the COP file steps before every upgrade. */
const copChain = (ctx: ManifestContext): OrderChain =>
  before(
    ctx.steps.filter((s) => s.action === 'install-cop'),
    upgrades(ctx),
  );
const isDrs = (s: StepInfo) => s.action === 'backup' && (s.data.target === 'drs' || s.data.target === 'usb');
const isSyncAgent = (s: StepInfo, action: 'stop-service' | 'start-service') => s.action === action && s.data.service === 'sync-agent';

const upgradePath: ManifestRule = {
  id: 'imp/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-30 (supported upgrade paths to 9.0(1))',
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
  source: '000-11 (the server decides between a standard and a refresh upgrade)',
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
  source: '000-19 (COP file on every node before upgrading from 8.0(1)–8.6(1))',
  docs: ruleDocs('imp/cop-file-required'),
  order: (ctx) => (imp.needsCop(ctx.from, ctx.to) ? [copChain(ctx)] : []),
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
      const move = moveFix(ctx, { step: late, rank: 0, before: f });
      report({
        range: late.range,
        message: msg('imp/cop-file-required.late', { id: late.id, first: f.id, missing: missing }),
        related: [related(f.range, msg('imp/cop-file-required.related'))],
        ...(move ? { fixes: [move] } : {}),
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
      message: msg('imp/cop-file-required.message', { from: ctx.from!.text, missing: missing }),
      fixes: edit ? [{ title: msg('imp/cop-file-required.fix'), preferred: true, edits: [edit] }] : [],
    });
  },
};

const copFileName: ManifestRule = {
  id: 'imp/cop-file-name',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '000-20 (the refresh-upgrade COP file name)',
  docs: ruleDocs('imp/cop-file-name'),
  order: (ctx) => (imp.needsCop(ctx.from, ctx.to) ? [copChain(ctx)] : []),
  check(ctx, report) {
    if (!imp.needsCop(ctx.from, ctx.to)) return;
    const f = firstUpgrade(ctx);
    if (!f) return;
    // Nodes that get some COP file before the first upgrade, but never the refresh-upgrade one. A node with no COP
    // file at all is imp/cop-file-required's.
    const cops = ctx.steps.filter((s) => s.action === 'install-cop' && s.index < f.index);
    const right = new Set(cops.filter((s) => imp.isRefreshCop(s.data.file)).flatMap(stepNames));
    const wrong = cops.filter((s) => !imp.isRefreshCop(s.data.file));
    const seen = new Set<string>();
    for (const s of wrong) {
      const nodes = stepNames(s).filter((n) => !right.has(n) && !seen.has(n));
      if (!nodes.length) continue;
      nodes.forEach((n) => seen.add(n));
      report({
        range: ctx.range(`/steps/${s.index}/file`),
        message: msg('imp/cop-file-name.message', { id: s.id, file: String(s.data.file), nodes: nodes, pattern: COP }),
      });
    }
  },
};

const copAfterRevert: ManifestRule = {
  id: 'imp/cop-after-revert',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '000-15 (the COP file again after switching back to 8.6(3) or earlier)',
  docs: ruleDocs('imp/cop-after-revert'),
  // Every switch back before every COP file step.
  order: (ctx) =>
    imp.copAfterRevert(ctx.from, ctx.to)
      ? [
          before(
            ctx.steps.filter((s) => s.action === 'switch-version'),
            ctx.steps.filter((s) => s.action === 'install-cop'),
          ),
        ]
      : [],
  check(ctx, report) {
    if (!imp.copAfterRevert(ctx.from, ctx.to)) return;
    const switches = ctx.steps.filter((s) => s.action === 'switch-version');
    const last = switches[switches.length - 1];
    if (!last) return;
    const switched = [...new Set(switches.flatMap(stepNames))];
    const covered = new Set(ctx.steps.filter((s) => s.action === 'install-cop' && s.index > last.index).flatMap(stepNames));
    const missing = switched.filter((n) => !covered.has(n));
    if (!missing.length) return;
    // A COP file step written before the switch back (the step that moved): it belongs after the last switch.
    const early = ctx.steps.find((s) => s.action === 'install-cop' && s.index < last.index && s.nodes.some((r) => missing.includes(r.name)));
    if (early) {
      const move = moveFix(ctx, { step: early, rank: 1, after: last });
      report({
        range: early.range,
        message: msg('imp/cop-after-revert.early', { id: early.id, last: last.id, to: ctx.to!.text }),
        related: [related(last.range, msg('imp/cop-after-revert.related'))],
        ...(move ? { fixes: [move] } : {}),
      });
      return;
    }
    const edit = insertStepAfter(ctx, last, ['id: reinstall-cop', 'action: install-cop', `nodes: [${switched.map(yamlScalar).join(', ')}]`, `file: ${COP}`]);
    report({
      range: last.range,
      message: msg('imp/cop-after-revert.message', { to: ctx.to!.text, missing: missing }),
      fixes: edit ? [{ title: msg('imp/cop-after-revert.fix'), preferred: true, edits: [edit] }] : [],
    });
  },
};

const cucmVersionMatch: ManifestRule = {
  id: 'imp/cucm-version-match',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-31, 000-32, 000-33, 000-34, 000-35, 000-36, 000-37, 000-38, 000-39, 000-40 (the Unified CM version when a node switches)',
  docs: ruleDocs('imp/cucm-version-match'),
  check(ctx, report) {
    const u = parseVersion(ctx.m.unifiedCmVersion);
    if (!u || !ctx.to) return;
    const { moves } = partitions(ctx);
    // A node becomes active on `to` (an upgrade that switches, a switch-version, a fresh installation). A plan
    // without such steps is read as switching, as before the `switch` key existed.
    const switches = !moves.length || moves.some((m) => m.before === 'from' && m.after === 'to');
    if (switches) {
      // 000-36: going back to 8.x is always possible, whatever Unified CM runs.
      if (!imp.cucmMustMatch(ctx.to) || sameMajorMinor(u, ctx.to)) return;
      report({
        range: ctx.range('/unifiedCmVersion'),
        // 000 L264: with Unified CM on a later 9.y, it is switched back to 9.x first, not upgraded.
        message: msg(compareVersions(u, ctx.to, 2) > 0 ? 'imp/cucm-version-match.back' : 'imp/cucm-version-match.message', {
          version: u.text,
          to: ctx.to.text,
          major: ctx.to.parts[0],
          minor: ctx.to.parts[1],
        }),
      });
      return;
    }
    // 000-32: to upgrade to 9.0(1) at all, Unified CM runs 9.0 in its active or its inactive partition. Checked only
    // when the plan names both partitions: an unknown inactive partition may hold it.
    const inactive = parseVersion(ctx.m.unifiedCmInactiveVersion);
    if (inactive && upgrading(ctx) && imp.cucmMustMatch(ctx.to) && !sameMajorMinor(u, ctx.to) && !sameMajorMinor(inactive, ctx.to)) {
      report({
        range: ctx.range('/unifiedCmInactiveVersion'),
        message: msg('imp/cucm-version-match.noPartition', {
          active: u.text,
          inactive: inactive.text,
          to: ctx.to.text,
          major: ctx.to.parts[0],
          minor: ctx.to.parts[1],
        }),
      });
      return;
    }
    // 000-40: a refresh upgrade 9.x → 9.y that does not switch needs Unified CM active on 9.x. ("Do not reboot" in a
    // standard upgrade and "Do not switch" from 8.x are always possible, 000-38 and 000-39.)
    const from = ctx.from;
    if (!from || !upgrading(ctx) || effectiveType(ctx) !== 'refresh' || !imp.cucmMustMatch(from) || sameMajorMinor(u, from)) return;
    report({
      range: ctx.range('/unifiedCmVersion'),
      message: msg('imp/cucm-version-match.noSwitch', { version: u.text, from: from.text, major: from.parts[0], minor: from.parts[1] }),
    });
  },
};

/** 000-50: Unified CM is upgraded as part of this plan (`unifiedCmFrom` differs from `unifiedCmVersion`). */
const cucmUpgraded = (ctx: ManifestContext) => {
  const a = parseVersion(ctx.m.unifiedCmFrom);
  const b = parseVersion(ctx.m.unifiedCmVersion);
  return !!a && !!b && compareVersions(a, b) !== 0;
};

const syncAgentRestart: ManifestRule = {
  id: 'imp/sync-agent-restart',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '000-50 (Sync Agent stopped and started when Unified CM is upgraded too)',
  docs: ruleDocs('imp/sync-agent-restart'),
  // The Sync Agent is stopped before it is started again.
  order: (ctx) =>
    cucmUpgraded(ctx)
      ? [
          before(
            ctx.steps.filter((s) => isSyncAgent(s, 'stop-service')),
            ctx.steps.filter((s) => isSyncAgent(s, 'start-service')),
          ),
        ]
      : [],
  check(ctx, report) {
    // 000-50: when Unified CM is upgraded as part of the IM and Presence upgrade, the Sync Agent is stopped and started again.
    const before = parseVersion(ctx.m.unifiedCmFrom);
    const after = parseVersion(ctx.m.unifiedCmVersion);
    if (!before || !after || compareVersions(before, after) === 0) return;
    const stop = ctx.steps.find((s) => isSyncAgent(s, 'stop-service'));
    const start = stop && ctx.steps.find((s) => s.index > stop.index && isSyncAgent(s, 'start-service'));
    if (start) return;
    // A start written before the stop: the stop moves before it.
    const early = stop && ctx.steps.find((s) => s.index < stop.index && isSyncAgent(s, 'start-service'));
    const move = stop && early ? moveFix(ctx, { step: stop, rank: 0, before: early }) : undefined;
    report({
      range: stop ? stop.range : ctx.range('/unifiedCmFrom'),
      message: early
        ? msg('imp/sync-agent-restart.startEarly', { id: early.id })
        : msg(stop ? 'imp/sync-agent-restart.noStart' : 'imp/sync-agent-restart.message', { from: before.text, to: after.text }),
      ...(early ? { related: [related(early.range, msg('imp/sync-agent-restart.related'))] } : {}),
      ...(move ? { fixes: [move] } : {}),
    });
  },
};

const publisherFirst: ManifestRule = {
  id: 'imp/publisher-first',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '000-09, 000-21 (the publisher before the subscribers; the staged upgrade)',
  docs: ruleDocs('imp/publisher-first'),
  order: (ctx) => (publisherChecked(ctx) ? [upgradeChain(ctx), ...(upgradingUp(ctx) ? [switchChain(ctx)] : [])] : []),
  check(ctx, report) {
    // A plan that does not list the publisher cannot show whether it was upgraded in an earlier window; a fresh
    // installation of the publisher next to upgraded subscribers is imp/no-fresh-install-publisher's.
    if (!publisherChecked(ctx)) return;
    const subs = (s: StepInfo) => names(ctx, s, 'subscriber').join(', ');
    // The publisher is ahead once it is upgraded, or switched to the new version (the staged upgrade's second
    // window switches the publisher upgraded the night before, then upgrades the subscribers).
    const ahead = publisherAhead(ctx);
    if (!ahead.length) {
      for (const s of subscriberUpgrades(ctx)) report({ range: s.range, message: msg('imp/publisher-first.never', { subs: subs(s) }) });
      return;
    }
    // The publisher's first step upgrades subscribers too.
    if (names(ctx, ahead[0], 'subscriber').length && isUpgrade(ahead[0]))
      report({ range: ahead[0].range, message: msg('imp/publisher-first.together', { subs: subs(ahead[0]) }) });
    // The step out of place is the one that moved: a subscriber's upgrade too early, or the publisher's too late.
    const here = (s: StepInfo) => msg(s.action === 'switch-version' ? 'imp/publisher-first.switched' : 'imp/publisher-first.here');
    const found = reportOutOfPlace(ctx, report, upgradeChain(ctx), (o) => {
      const other = (o.before ?? o.after) as StepInfo;
      return o.rank === 1
        ? { message: msg('imp/publisher-first.early', { subs: subs(o.step) }), related: here(other) }
        : {
            message: msg(o.step.action === 'switch-version' ? 'imp/publisher-first.lateSwitch' : 'imp/publisher-first.late', {
              id: o.step.id,
              stepId: other.id,
              subs: subs(other),
            }),
            related: msg('imp/publisher-first.subHere'),
          };
    });
    // 000 L47, L126: the publisher also becomes active on the new version first. A subscriber switched to it before
    // the publisher is out of order (switching back, to < from, has no such order).
    if (!upgradingUp(ctx)) return;
    // A step already reported as out of place above (an upgrade that also switches) is reported once.
    const at = new Set(found.map((o) => `${o.step.range.start.line}:${o.step.range.start.character}`));
    const rest: typeof report = (f) => {
      if (!at.has(`${f.range.start.line}:${f.range.start.character}`)) report(f);
    };
    reportOutOfPlace(ctx, rest, switchChain(ctx), (o) => {
      const other = (o.before ?? o.after) as StepInfo;
      return o.rank === 1
        ? { message: msg('imp/publisher-first.switchEarly', { subs: subs(o.step), id: other.id }), related: msg('imp/publisher-first.switched') }
        : {
            message: msg('imp/publisher-first.switchLate', { id: o.step.id, stepId: other.id, subs: subs(other) }),
            related: msg('imp/publisher-first.subSwitched'),
          };
    });
  },
};

const noFreshInstallPublisher: ManifestRule = {
  id: 'imp/no-fresh-install-publisher',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-10 (no fresh installation of the publisher with upgraded subscribers)',
  docs: ruleDocs('imp/no-fresh-install-publisher'),
  check(ctx, report) {
    const sub = ctx.steps.find((s) => isUpgrade(s) && s.nodes.some(isSubscriber(ctx)));
    if (!sub) return;
    const pub = isPublisher(ctx);
    for (const s of ctx.steps.filter((x) => isFreshInstall(x) && x.nodes.some(pub))) {
      report({
        range: s.range,
        message: msg('imp/no-fresh-install-publisher.message', {
          id: s.id,
          publisher: s.nodes
            .filter(pub)
            .map((r) => r.name)
            .join(', '),
          upgrade: sub.id,
        }),
        related: [related(sub.range, msg('imp/no-fresh-install-publisher.related'))],
      });
    }
  },
};

const switchMissing: ManifestRule = {
  id: 'imp/switch-missing',
  kind: 'upgrade-manifest',
  severity: 'information',
  fix: 'preferred',
  products: P,
  source: '000-12, 000-21 (a node upgraded without switching is switched later)',
  docs: ruleDocs('imp/switch-missing'),
  // Each node's upgrades without a switch before its switch-version steps.
  order: (ctx) =>
    [...ctx.byName.keys()].map((n) => {
      const names = (s: StepInfo) => s.nodes.some((r) => r.name === n);
      return before(
        ctx.steps.filter((s) => isUpgrade(s) && s.data.switch === false && names(s)),
        ctx.steps.filter((s) => s.action === 'switch-version' && names(s)),
      );
    }),
  check(ctx, report) {
    if (!ctx.to) return;
    const { final } = partitions(ctx);
    const lastSwitch = new Map<string, number>();
    for (const s of ctx.steps) if (s.action === 'switch-version') for (const r of s.nodes) lastSwitch.set(r.name, s.index);
    for (const s of ctx.steps) {
      if (!isUpgrade(s) || s.data.switch !== false) continue;
      const later = (n: string) => (lastSwitch.get(n) ?? -1) > s.index;
      // A switch written before the upgrade that it follows (the step that moved): it belongs after the upgrade.
      const early = ctx.steps.find(
        (x) => x.action === 'switch-version' && x.index < s.index && x.nodes.some((r) => stepNames(s).includes(r.name) && !later(r.name)),
      );
      if (early) {
        const move = moveFix(ctx, { step: early, rank: 1, after: s });
        report({
          range: early.range,
          message: msg('imp/switch-missing.early', { id: early.id, upgrade: s.id }),
          related: [related(s.range, msg('imp/switch-missing.related'))],
          ...(move ? { fixes: [move] } : {}),
        });
        continue;
      }
      const nodes = [...new Set(stepNames(s))].filter((n) => final.get(n) === 'from' && (lastSwitch.get(n) ?? -1) < s.index);
      if (!nodes.length) continue;
      report({
        range: ctx.range(`/steps/${s.index}/switch`),
        message: msg('imp/switch-missing.message', { id: s.id, nodes: nodes, to: ctx.to.text }),
      });
    }
  },
};

const switchedBack: ManifestRule = {
  id: 'imp/switched-back',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '000-23 (do not switch a node back during the upgrade)',
  docs: ruleDocs('imp/switched-back'),
  check(ctx, report) {
    if (!upgrading(ctx)) return;
    const back = partitions(ctx).moves.filter((m) => m.step.action === 'switch-version' && m.before === 'to' && m.after === 'from');
    for (const [s, nodes] of byStep(back)) {
      const args = { id: s.id, nodes: nodes, from: ctx.from!.text, to: ctx.to!.text };
      report({ range: s.range, message: msg(imp.copAfterRevert(ctx.to, ctx.from) ? 'imp/switched-back.cop' : 'imp/switched-back.message', args) });
    }
  },
};

const noLdapSync: ManifestRule = {
  id: 'imp/no-ldap-sync-before-switch',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '000-03 (no LDAP sync between the start of a standard upgrade and the switch)',
  docs: ruleDocs('imp/no-ldap-sync-before-switch'),
  // A sync either before the whole upgrade (as written before the first upgrade) or after every upgrade and switch.
  order(ctx) {
    if (effectiveType(ctx) !== 'standard') return [];
    const first = firstUpgrade(ctx);
    const movers = moversOf(ctx);
    if (!first) return [];
    return ctx.steps.filter((s) => s.action === 'sync').map((s) => (s.index < first.index ? before(s, movers) : before(movers, s)));
  },
  check(ctx, report) {
    if (effectiveType(ctx) !== 'standard' || !ctx.to) return;
    const first = firstUpgrade(ctx);
    if (!first) return;
    const { moves, final } = partitions(ctx);
    // The switch is over when the last node becomes active on `to`; never, while some node still runs the old version.
    const onTo = moves.filter((m) => m.before === 'from' && m.after === 'to');
    const open = [...final.values()].some((x) => x === 'from');
    const end = open || !onTo.length ? undefined : onTo[onTo.length - 1].step;
    for (const s of ctx.steps) {
      if (s.action !== 'sync' || s.index <= first.index || (end && s.index >= end.index)) continue;
      const move = end ? moveFix(ctx, { step: s, rank: 1, after: end }) : undefined;
      report({
        range: s.range,
        message: msg('imp/no-ldap-sync-before-switch.message', { id: s.id, first: first.id, to: ctx.to.text }),
        related: [
          related(first.range, msg('imp/no-ldap-sync-before-switch.started')),
          ...(end ? [related(end.range, msg('imp/no-ldap-sync-before-switch.switched'))] : []),
        ],
        ...(move ? { fixes: [move] } : {}),
      });
    }
  },
};

const peerVersion: ManifestRule = {
  id: 'imp/peer-version',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-07 (intercluster peers on 8.6 or 9.0(1) when upgrading to 9.0(1))',
  docs: ruleDocs('imp/peer-version'),
  check(ctx, report) {
    if (!imp.peerRuleApplies(ctx.from, ctx.to)) return;
    asArr(ctx.m.interclusterPeers).forEach((p, i) => {
      const pv = parseVersion(asObj(p).version);
      if (!pv || imp.peerSupported(pv, ctx.to!)) return;
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
  fix: 'preferred',
  products: P,
  source: '000-41 (disable high availability before upgrading)',
  docs: ruleDocs('imp/ha-enabled'),
  order: (ctx) =>
    ctx.m.highAvailability === 'enabled'
      ? [
          before(
            ctx.steps.filter((s) => s.action === 'disable-ha'),
            upgrades(ctx),
          ),
        ]
      : [],
  check(ctx, report) {
    if (ctx.m.highAvailability !== 'enabled') return;
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'disable-ha' }, { before: f })) return;
    // A disable-ha step written after the upgrade started (the step that moved): it belongs before the first upgrade.
    const late = ctx.steps.find((s) => s.action === 'disable-ha' && s.index > f.index);
    if (late) {
      const move = moveFix(ctx, { step: late, rank: 0, before: f });
      report({
        range: late.range,
        message: msg('imp/ha-enabled.late', { id: late.id, first: f.id }),
        related: [related(f.range, msg('imp/ha-enabled.related'))],
        ...(move ? { fixes: [move] } : {}),
      });
      return;
    }
    report({
      range: ctx.range('/highAvailability'),
      message: msg('imp/ha-enabled.message', { id: f.id }),
      related: [related(f.range, msg('imp/ha-enabled.related'))],
    });
  },
};

const enableHaAfterSwitch: ManifestRule = {
  id: 'imp/enable-ha-after-switch',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '000-42 (enable high availability again only after the switch)',
  docs: ruleDocs('imp/enable-ha-after-switch'),
  order: (ctx) => [haBackChain(ctx)],
  check(ctx, report) {
    let last: StepInfo | undefined;
    for (const s of ctx.steps) if (s.action === 'upgrade' || s.action === 'switch-version') last = s;
    if (!last) return;
    // 000-42: high availability comes back once replication has run and the services run again: after the checks
    // that follow the last upgrade or switch, where the plan has them.
    const checks = ctx.steps.filter((s) => s.index > last.index && s.action === 'verify');
    const target = checks.length ? checks[checks.length - 1] : last;
    for (const s of ctx.steps) {
      if (s.action !== 'enable-ha' || s.index > last.index) continue;
      const move = moveFix(ctx, { step: s, rank: 1, after: target });
      report({
        range: s.range,
        message: msg('imp/enable-ha-after-switch.message', { id: s.id, last: last.id }),
        related: [related(last.range, msg('imp/enable-ha-after-switch.related'))],
        ...(move ? { fixes: [move] } : {}),
      });
    }
  },
};

const maintenanceWindow: ManifestRule = {
  id: 'imp/maintenance-window',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '000-04 (the system is unavailable during a refresh upgrade)',
  docs: ruleDocs('imp/maintenance-window'),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh' || ctx.m.maintenanceWindow !== undefined) return;
    report({ range: ctx.at('/upgradeType') ? ctx.range('/upgradeType') : ctx.range('/to'), message: msg('imp/maintenance-window.message') });
  },
};

const h3Nodes = (ctx: ManifestContext) => ctx.nodes.filter((n) => imp.isH3(n.data.hardware));

const noRevertHardware: ManifestRule = {
  id: 'imp/no-revert-hardware',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '000-17 (a USB backup of MCS-7825-H3 / MCS-7828-H3 before a refresh upgrade)',
  docs: ruleDocs('imp/no-revert-hardware'),
  order: (ctx) =>
    effectiveType(ctx) === 'refresh' && h3Nodes(ctx).length
      ? [
          someBefore(
            ctx.steps.filter((s) => s.action === 'backup' && s.data.target === 'usb'),
            upgrades(ctx),
          ),
        ]
      : [],
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh') return;
    const f = firstUpgrade(ctx);
    const hasUsb = hasStep(ctx, { action: 'backup', target: 'usb' }, { before: f });
    if (hasUsb) return;
    for (const n of h3Nodes(ctx)) {
      report({
        range: ctx.range(`/nodes/${n.index}/hardware`),
        message: msg('imp/no-revert-hardware.message', { node: n.name, hardware: String(n.data.hardware) }),
      });
    }
  },
};

const drsBackup: ManifestRule = {
  id: 'imp/drs-backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '000-24 (a DRS backup before a refresh upgrade)',
  docs: ruleDocs('imp/drs-backup'),
  order: (ctx) => (effectiveType(ctx) === 'refresh' ? [someBefore(ctx.steps.filter(isDrs), upgrades(ctx))] : []),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh') return;
    const f = firstUpgrade(ctx);
    if (!f) return;
    const backups = ctx.steps.filter((s) => s.action === 'backup' && s.index < f.index);
    // No backup at all is manifest/backup-before-upgrade's; a missing USB backup of an H3 server imp/no-revert-hardware's.
    if (!backups.length || backups.some(isDrs)) return;
    if (h3Nodes(ctx).length) return;
    // A DRS backup written after the upgrade started (the step that moved): it belongs before the first upgrade.
    const late = ctx.steps.find((s) => isDrs(s) && s.index > f.index);
    if (late) {
      const move = moveFix(ctx, { step: late, rank: 0, before: f });
      report({
        range: late.range,
        message: msg('imp/drs-backup.late', { id: late.id, first: f.id }),
        related: [related(f.range, msg('imp/drs-backup.related'))],
        ...(move ? { fixes: [move] } : {}),
      });
      return;
    }
    const b = backups[backups.length - 1];
    report({
      range: ctx.range(`/steps/${b.index}/target`),
      message: msg('imp/drs-backup.message', { id: b.id, target: String(b.data.target ?? '') }),
    });
  },
};

const noRevertH3: ManifestRule = {
  id: 'imp/no-revert-h3',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '000-16 (MCS-7825-H3 / MCS-7828-H3 cannot go back after a refresh upgrade)',
  docs: ruleDocs('imp/no-revert-h3'),
  check(ctx, report) {
    if (!imp.revertAfterRefresh(ctx.from, ctx.to)) return;
    for (const s of ctx.steps) {
      if (s.action !== 'switch-version') continue;
      for (const r of s.nodes) {
        const n = ctx.byName.get(r.name);
        if (!n || !imp.isH3(n.data.hardware)) continue;
        report({
          range: r.range,
          message: msg('imp/no-revert-h3.message', { node: n.name, hardware: String(n.data.hardware), to: ctx.to!.text }),
        });
      }
    }
  },
};

export const impRules: ManifestRule[] = [
  upgradePath,
  upgradeType,
  copFileRequired,
  copFileName,
  copAfterRevert,
  cucmVersionMatch,
  syncAgentRestart,
  publisherFirst,
  noFreshInstallPublisher,
  switchMissing,
  switchedBack,
  noLdapSync,
  peerVersion,
  haEnabled,
  enableHaAfterSwitch,
  maintenanceWindow,
  noRevertHardware,
  drsBackup,
  noRevertH3,
];
