/**
 * Planner for Cisco Unified CM IM and Presence (reference 000): an upgrade of a Cisco Unified Presence 8.x cluster
 * to IM and Presence 9.0(1), or the switch back from 9.0(1) to the 8.x release still in the inactive partition.
 *
 * The upgrade follows the guide's pre-upgrade tasks (000-41 high availability off, 000-49 / 000-24 the DRS
 * backup, 000-17 a USB backup of MCS-7825-H3 / MCS-7828-H3, 000-50 the Sync Agent when Unified CM is upgraded as
 * part of it), the COP file on every node from 8.0(1)–8.6(1) (000-19), the publisher before the subscribers
 * (000-09), the version switch as the user chooses it (000-12, 000-21: with the upgrade, after every upgrade, or the
 * staged upgrade), the check of replication and services (000-43) and high availability back on (000-42).
 */
import { msg } from '../l10n/index';
import { compareVersions, parseVersion, sameMajorMinor, v } from '../versions';
import { imp } from '../products/imp';
import { note } from './note';
import type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

/** The refresh-upgrade COP file as the guide names it (000-20); the site puts in the latest version. */
const COP = 'ciscocm.cup.refresh_upgrade_v<latest_version>.cop';

/** How the nodes switch to the new version (000-12, 000-21, 000-38, 000-39). */
export const SWITCH_MODES = ['with-upgrade', 'after-upgrades', 'staged'] as const;
type SwitchMode = (typeof SWITCH_MODES)[number];

/**
 * A refresh upgrade makes the system unavailable, so the manifest records a maintenance window (000-04). When the
 * request gives none, the plan carries this one (a night, two nights for the staged upgrade) to be replaced with the
 * site's own; the guide gives no length for an upgrade (000-27).
 */
const DEFAULT_WINDOW = { start: '2026-12-05T22:00:00+09:00', end: '2026-12-06T06:00:00+09:00' };
const DEFAULT_STAGED_WINDOW = { start: '2026-12-05T22:00:00+09:00', end: '2026-12-07T06:00:00+09:00' };

const facts: FactSpec[] = [
  { key: 'highAvailability', values: ['disabled', 'enabled'], type: 'string', ask: msg('plan.imp.ask.highAvailability'), default: 'disabled' },
  { key: 'unifiedCmVersion', type: 'string', ask: msg('plan.imp.ask.unifiedCmVersion'), default: '9.0(1)' },
  { key: 'unifiedCmFrom', type: 'string', ask: msg('plan.imp.ask.unifiedCmFrom') },
  { key: 'switchMode', values: SWITCH_MODES, type: 'string', ask: msg('plan.imp.ask.switchMode'), default: 'with-upgrade' },
];

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const guideMinutes = (action: string, role: string) => imp.DURATIONS.find((d) => d.action === action && (!d.roles || d.roles.includes(role)))?.minutes;
const duration = (action: string, nodes: PlanNode[]): string | undefined => {
  const m = Math.max(0, ...nodes.map((n) => guideMinutes(action, n.role) ?? 0));
  return m > 0 ? `${m}m` : undefined;
};
const where = (nodes: PlanNode[]): { node: string } | { nodes: string[] } =>
  nodes.length === 1 ? { node: nodes[0].name } : { nodes: nodes.map((n) => n.name) };

function plan(req: PlanRequest): Plan {
  const unsupported = (): Plan => ({ ok: false, rule: 'plan/unsupported', message: msg('plan.imp.unsupported', { from: req.from, to: req.to }) });
  const from = parseVersion(req.from);
  const to = parseVersion(req.to);
  if (!from || !to) return unsupported();
  const f = req.facts ?? {};
  const nodes = req.nodes.map((n) => ({ ...n }));
  const pubs = nodes.filter((n) => n.role === 'publisher');
  const subs = nodes.filter((n) => n.role === 'subscriber');
  const all = nodes;
  const ha = f.highAvailability === 'enabled' ? 'enabled' : 'disabled';
  const cucm = text(f.unifiedCmVersion) ?? '9.0(1)';
  const cucmFrom = text(f.unifiedCmFrom);
  const steps: PlanStep[] = [];
  const add = (s: PlanStep) => steps.push(s);

  // ---- Switching back from 9.0(1) to the 8.x release in the inactive partition (000-14, 000-15, 000-36).
  if (imp.is90(to) === false && imp.isRevert(from, to)) {
    if (!(imp.is90(from) && compareVersions(from, v('9.0(1)'), 3) === 0 && imp.supportedTo90(to) && to.parts[0] === 8)) return unsupported();
    // 000-16: an MCS-7825-H3 / MCS-7828-H3 reformatted by the refresh upgrade has nothing to switch back to.
    if (imp.revertAfterRefresh(from, to)) {
      const h3 = nodes.find((n) => imp.isH3(n.hardware));
      if (h3)
        return { ok: false, rule: 'imp/no-revert-h3', message: msg('imp/no-revert-h3.message', { node: h3.name, hardware: String(h3.hardware), to: to.text }) };
    }
    if (pubs.length)
      add({
        id: 'switch-back-publisher',
        action: 'switch-version',
        ...where(pubs),
        duration: duration('switch-version', pubs),
        note: note(msg('plan.imp.revertPublisher'), '000', '14', '06', '36'),
      });
    if (subs.length)
      add({ id: 'switch-back-subscribers', action: 'switch-version', ...where(subs), note: note(msg('plan.imp.revertSubscribers'), '000', '14', '06') });
    if (imp.copAfterRevert(from, to))
      add({ id: 'reinstall-cop', action: 'install-cop', ...where(all), file: COP, note: note(msg('plan.imp.reinstallCop'), '000', '15', '20') });
    add({
      id: 'verify-cluster',
      action: 'verify',
      ...where(all),
      duration: duration('verify', all),
      note: note(msg('plan.imp.verifyRevert'), '000', '14', '43'),
    });
    return {
      ok: true,
      header: { unifiedCmVersion: cucm, highAvailability: ha },
      nodes,
      steps,
    };
  }

  // ---- The upgrade to 9.0(1).
  if (!imp.is90(to) || compareVersions(to, v('9.0(1)'), 3) !== 0) return unsupported();
  // 000-30: the supported paths.
  if (!imp.supportedTo90(from)) return { ok: false, rule: 'imp/upgrade-path', message: msg('imp/upgrade-path.message', { from: from.text, to: to.text }) };
  const type = imp.requiredUpgradeType(from, to);
  if (!type) return unsupported();
  // 000-31, 000-34, 000-38, 000-39: every node switches to 9.0(1) in this plan, so Unified CM runs 9.0 by then.
  const u = parseVersion(cucm);
  if (!u) return unsupported();
  if (!sameMajorMinor(u, to))
    return {
      ok: false,
      rule: 'imp/cucm-version-match',
      message: msg(compareVersions(u, to, 2) > 0 ? 'imp/cucm-version-match.back' : 'imp/cucm-version-match.message', {
        version: u.text,
        to: to.text,
        major: to.parts[0],
        minor: to.parts[1],
      }),
    };
  const uFrom = cucmFrom ? parseVersion(cucmFrom) : undefined;
  const cucmUpgraded = !!uFrom && compareVersions(uFrom, u) !== 0;
  const mode: SwitchMode = SWITCH_MODES.includes(f.switchMode as SwitchMode) ? (f.switchMode as SwitchMode) : 'with-upgrade';
  const refresh = type === 'refresh';
  const first = pubs[0] ?? nodes[0];
  const h3 = nodes.filter((n) => imp.isH3(n.hardware));

  // Pre-upgrade tasks, in the guide's order (000 L345–L358).
  if (ha === 'enabled') add({ id: 'disable-ha', action: 'disable-ha', ...where(all), note: note(msg('plan.imp.disableHa'), '000', '41') });
  add({
    id: 'backup-drs',
    action: 'backup',
    node: first.name,
    target: 'drs',
    note: note(msg(refresh ? 'plan.imp.backupRefresh' : 'plan.imp.backup'), '000', '49', ...(refresh ? ['24'] : [])),
  });
  if (refresh && h3.length)
    add({ id: 'backup-usb', action: 'backup', ...where(h3), target: 'usb', note: note(msg('plan.imp.backupUsb'), '000', '17', '18', '16') });
  if (cucmUpgraded) {
    add({
      id: 'stop-sync-agent',
      action: 'stop-service',
      node: first.name,
      service: 'sync-agent',
      note: note(msg('plan.imp.stopSyncAgent', { from: uFrom.text, to: u.text }), '000', '50', '32'),
    });
    add({ id: 'check-unified-cm', action: 'verify', node: first.name, note: note(msg('plan.imp.checkUnifiedCm', { to: u.text }), '000', '32', '50') });
    add({ id: 'start-sync-agent', action: 'start-service', node: first.name, service: 'sync-agent', note: note(msg('plan.imp.startSyncAgent'), '000', '50') });
  }
  if (imp.needsCop(from, to))
    add({ id: 'install-cop', action: 'install-cop', ...where(all), file: COP, note: note(msg('plan.imp.installCop', { from: from.text }), '000', '19', '20') });

  // The upgrades, the publisher first (000-09), and the switch (000-12).
  // The guide's names of the options at the end of an upgrade (000 L116–L124).
  const option = (sw: boolean) =>
    refresh
      ? sw
        ? 'Switch to new version after upgrade'
        : 'Do not switch to new version after upgrade'
      : sw
        ? 'Reboot to upgraded partition'
        : 'Do not reboot after upgrade';
  const upKey = {
    Publisher: refresh ? 'plan.imp.upgradePublisherRefresh' : 'plan.imp.upgradePublisherStandard',
    Subscribers: refresh ? 'plan.imp.upgradeSubscribersRefresh' : 'plan.imp.upgradeSubscribersStandard',
  } as const;
  const upgrade = (id: string, group: PlanNode[], who: 'Publisher' | 'Subscribers', sw: boolean) =>
    group.length &&
    add({
      id,
      action: 'upgrade',
      ...where(group),
      ...(sw ? {} : { switch: false }),
      note: note(msg(upKey[who], { option: option(sw) }), '000', who === 'Publisher' ? '09' : '08', '11', sw ? (refresh ? '39' : '38') : '12'),
    });
  const switchTo = (
    id: string,
    group: PlanNode[],
    key: 'plan.imp.switchPublisher' | 'plan.imp.switchSubscribers' | 'plan.imp.switchPublisherStaged',
    ...refs: string[]
  ) =>
    group.length && add({ id, action: 'switch-version', ...where(group), duration: duration('switch-version', group), note: note(msg(key), '000', ...refs) });
  if (mode === 'with-upgrade') {
    upgrade('upgrade-publisher', pubs, 'Publisher', true);
    upgrade('upgrade-subscribers', subs, 'Subscribers', true);
  } else if (mode === 'after-upgrades') {
    upgrade('upgrade-publisher', pubs, 'Publisher', false);
    upgrade('upgrade-subscribers', subs, 'Subscribers', false);
    switchTo('switch-publisher', pubs, 'plan.imp.switchPublisher', '12', '34', '06');
    switchTo('switch-subscribers', subs, 'plan.imp.switchSubscribers', '12', '34', '06');
  } else {
    upgrade('upgrade-publisher', pubs, 'Publisher', false);
    switchTo('switch-publisher', pubs, 'plan.imp.switchPublisherStaged', '21', '23', '34', '06');
    upgrade('upgrade-subscribers', subs, 'Subscribers', true);
  }
  add({ id: 'verify-cluster', action: 'verify', ...where(all), duration: duration('verify', all), note: note(msg('plan.imp.verify'), '000', '43', '42') });
  if (ha === 'enabled') add({ id: 'enable-ha', action: 'enable-ha', ...where(all), note: note(msg('plan.imp.enableHa'), '000', '42') });

  const window = refresh && !req.maintenanceWindow ? { maintenanceWindow: mode === 'staged' ? DEFAULT_STAGED_WINDOW : DEFAULT_WINDOW } : {};
  return {
    ok: true,
    header: {
      upgradeType: type,
      ...(cucmUpgraded ? { unifiedCmFrom: cucmFrom } : {}),
      unifiedCmVersion: cucm,
      highAvailability: ha,
      ...window,
    },
    nodes,
    steps,
    ...(window.maintenanceWindow ? { comments: { maintenanceWindow: msg('plan.imp.windowPlaceholder') } } : {}),
  };
}

/** The from-versions of each family of the path table (000-30) and what changes the plan. */
const FROM = ['8.0(1)', '8.5(4)', '8.6(1)', '8.6(2)', '8.6(3)', '8.6(4)'];
const paths: PlanPath[] = [];
for (const from of FROM)
  for (const highAvailability of ['disabled', 'enabled'])
    for (const unifiedCmFrom of [undefined, '8.6(2)'])
      for (const switchMode of SWITCH_MODES)
        paths.push({ from, to: '9.0(1)', facts: { highAvailability, ...(unifiedCmFrom ? { unifiedCmFrom } : {}), switchMode } });
// Switching back to the release in the inactive partition: with the COP file again (8.6(3) or earlier) or without.
for (const to of ['8.0(1)', '8.5(4)', '8.6(3)', '8.6(4)']) paths.push({ from: '9.0(1)', to });

const HARDWARE = [undefined, 'MCS-7835-I3', 'MCS-7845-I3', 'UCS C210 M2', 'MCS-7825-H3', 'MCS-7828-H3'];

export const impPlanner: ProductPlanner = {
  product: 'cucm-im-presence',
  roles: ['publisher', 'subscriber'],
  facts,
  plan,
  paths,
  refused: [
    { from: '7.1(5)', to: '9.0(1)', rule: 'imp/upgrade-path' },
    { from: '7.0(1)', to: '9.0(1)', rule: 'imp/upgrade-path' },
    { from: '6.0(1)', to: '9.0(1)', rule: 'imp/upgrade-path' },
  ],
  sampleNodes(rand: () => number, path: PlanPath): PlanNode[] {
    // Switching back an H3 server is refused (000-16); other hardware may switch back.
    const revert = !!parseVersion(path.from) && !!parseVersion(path.to) && imp.isRevert(parseVersion(path.from), parseVersion(path.to));
    const kinds = revert ? HARDWARE.slice(0, 4) : HARDWARE;
    const hw = () => kinds[Math.floor(rand() * kinds.length)];
    const node = (name: string, role: string): PlanNode => {
      const h = hw();
      return h ? { name, role, hardware: h } : { name, role };
    };
    const count = Math.floor(rand() * 5);
    return [node('imp-pub', 'publisher'), ...Array.from({ length: count }, (_, i) => node(`imp-sub${i + 1}`, 'subscriber'))];
  },
};
