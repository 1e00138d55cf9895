/**
 * Planner for Cisco ACNS (reference 002, the chapter on upgrading from ACNS 5.1): from ACNS 5.1.x to another 5.x
 * release, up or down, and the CDM GUI downgrade of the content engines and routers to ACNS 4.2.
 *
 * - Every plan checks the running versions first (002-02, 002-28), then upgrades the content engines and routers
 *   (from the CDM GUI with a registered meta file, one by one or the engines as a device group, 002-03, 002-05,
 *   002-27; or from each device's CLI, 002-01) and checks them, and the CDM last (002-25), from its CLI only (002-01).
 * - A lone CDM is installed, its `.dump` files copied off (002-39, kept for a later downgrade: 002-42, 002-46) and the
 *   network checked (002-26); its CMS handling is in another chapter of the guide, so the plan has none.
 * - With a standby CDM the upgrade follows 002-36 to 002-41 (steps 1–8), the downgrade within 5.x 002-42 to 002-48
 *   (steps 1–11, also without a standby), the standby always after the primary (002-34, 002-35).
 * - A downgrade to 4.2 downgrades the engines and routers from the CDM GUI with Cisco's downgrade meta file (002-23,
 *   002-32); the CLI downgrade to 4.2.9, the CDM's included, is in another chapter (002-33), so the planner refuses
 *   CDMs and the CLI there.
 * The guide gives no durations (002 L226, L406, L418: the CDM reboots, for no stated time), so no step has one; it
 * names no meta file the plan could point at (002-04), so `metaFile` is left out (acns/meta-file-missing informs).
 */
import { msg, type Message } from '../l10n/index';
import { acns } from '../products/acns';
import { parseVersion, sameRelease } from '../versions';
import { note } from './note';
import type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

const ROLES = ['content-engine', 'content-router', 'cdm-primary', 'cdm-standby'] as const;
export const EDGE_METHODS = ['gui', 'cli'] as const;
type EdgeMethod = (typeof EDGE_METHODS)[number];

const refuse = (message: Message, rule = 'plan/unsupported'): Plan => ({ ok: false, rule, message });
const n2 = (ref: string) => `002-${ref}`;
const cite = (text: Message, ...refs: string[]) => note(text, '002', ...refs.map(n2));
/** `node` for one name, `nodes` for several. */
const on = (names: string[]): { node: string } | { nodes: string[] } => (names.length === 1 ? { node: names[0] } : { nodes: names });

function plan(req: PlanRequest): Plan {
  const from = parseVersion(req.from);
  const to = parseVersion(req.to);
  if (!from) return refuse(msg('plan.acns.badVersion', { v: req.from }));
  if (!to) return refuse(msg('plan.acns.badVersion', { v: req.to }));
  // 002-28: the version picked must not run on the device already (manifest/same-version says the same).
  if (sameRelease(from, to)) return refuse(msg('manifest/same-version.message', { to: to.text }), 'manifest/same-version');
  // The chapter: from 5.1.x (L48) to another 5.x release, up or down, or the GUI downgrade to 4.2 (L347-L381).
  if (from.parts[0] !== 5 || from.parts[1] !== 1) return refuse(msg('plan.acns.fromNot51', { from: from.text }));
  const to4 = to.parts[0] === 4 && to.parts[1] === 2;
  if (to.parts[0] !== 5 && !to4) return refuse(msg('plan.acns.toUnsupported', { to: to.text }));

  const facts = req.facts ?? {};
  const method = (facts.edgeMethod ?? 'gui') as EdgeMethod;
  if (!EDGE_METHODS.includes(method)) return refuse(msg('plan.acns.edgeMethod', { value: String(facts.edgeMethod) }));
  const group = typeof facts.deviceGroup === 'string' && facts.deviceGroup.trim() ? facts.deviceGroup.trim() : undefined;

  const named = (role: string) => req.nodes.filter((n) => n.role === role).map((n) => n.name);
  const ces = named('content-engine');
  const crs = named('content-router');
  const primaries = named('cdm-primary');
  const standbys = named('cdm-standby');
  const cdms = [...primaries, ...standbys];
  if (primaries.length > 1) return refuse(msg('plan.acns.onePrimary', { cdms: primaries }));
  if (standbys.length && !primaries.length) return refuse(msg('plan.acns.standbyNeedsPrimary', { sb: standbys }));
  if (to4 && cdms.length) return refuse(msg('plan.acns.cdmTo4', { cdms }));
  if (to4 && method === 'cli') return refuse(msg('plan.acns.cliTo4'));
  if (group && method === 'cli') return refuse(msg('plan.acns.groupCli'));
  if (group && !ces.length) return refuse(msg('plan.acns.groupNoEngine', { group }));

  const down = acns.isDowngrade(from, to);
  const steps: PlanStep[] = [];
  const ids = new Set<string>();
  // Ids from the node names, unique even where a name repeats a fixed id.
  const add = (s: PlanStep) => {
    let id = s.id;
    for (let i = 2; ids.has(id); i++) id = `${s.id}-${i}`;
    ids.add(id);
    steps.push({ ...s, id });
  };
  const args = { to: to.text };

  // Before anything: what runs now, and that the target is not running yet (002-02, 002-28, 002-29).
  add({ id: 'check-versions', action: 'verify', ...on(req.nodes.map((n) => n.name)), note: cite(msg('plan.acns.checkVersions', args), '02', '28') });

  // The content engines and routers first (002-25), from the CDM GUI or their CLI (002-01).
  // "Before the CDM" is the upgrade order (002-25); the downgrade chapter gives no order against the CDM (002-29).
  const ordered = (text: Message, ...refs: string[]) => (down ? cite(text, ...refs) : cite(msg('plan.acns.beforeCdm', { text }), ...refs, '25'));
  const edgeNote = (): Message =>
    to4
      ? ordered(msg('plan.acns.edge4x', args), '03', '23', '32')
      : method === 'gui'
        ? ordered(msg('plan.acns.edgeGui', args), '01', '03', '05')
        : ordered(msg('plan.acns.edgeCli', args), '01');
  const edge = (name: string) => add({ id: `${down ? 'downgrade' : 'upgrade'}-${name}`, action: 'upgrade', node: name, method, note: edgeNote() });
  if (group) {
    // 002-27: a device group holds content engines only.
    add({
      id: `${down ? 'downgrade' : 'upgrade'}-group-${group.replace(/[^A-Za-z0-9._-]+/g, '-')}`,
      action: 'upgrade',
      ...on(ces),
      method,
      note: to4
        ? ordered(msg('plan.acns.group4x', { ...args, group }), '27', '23', '32')
        : ordered(msg('plan.acns.group', { ...args, group }), '27', '03', '05'),
    });
  } else ces.forEach(edge);
  crs.forEach(edge);
  const edges = [...ces, ...crs];
  if (edges.length) {
    add(
      to4
        ? { id: 'check-registration', action: 'verify', ...on(edges), note: cite(msg('plan.acns.check4x', args), '23', '24') }
        : { id: 'check-devices', action: 'verify', ...on(edges), note: cite(msg('plan.acns.checkEdges', args), '02', '30') },
    );
  }

  const p = primaries[0];
  if (p && !standbys.length && !down) {
    // A lone CDM: the CLI install last (002-01, 002-25), the dump it writes kept (002-39), the network checked (002-26).
    add({ id: `upgrade-${p}`, action: 'upgrade', node: p, method: 'cli', note: cite(msg('plan.acns.upgradeCdm', args), '01', '25', '26') });
    add({ id: `copy-dump-${p}`, action: 'backup', node: p, target: 'cdm-dump', note: cite(msg('plan.acns.copyDump'), '39', '42', '46') });
    add({ id: 'check-online', action: 'verify', ...on(req.nodes.map((n) => n.name)), note: cite(msg('plan.acns.checkOnline'), '26') });
  } else if (p && !down) {
    // The upgrade with a standby CDM, steps 1-8 (002-36 to 002-41).
    for (const sb of standbys)
      add({ id: `stop-cms-${sb}`, action: 'stop-service', node: sb, service: 'cms', note: cite(msg('plan.acns.stopStandby'), '36', '37', '38') });
    add({ id: `stop-cms-${p}`, action: 'stop-service', node: p, service: 'cms', note: cite(msg('plan.acns.stopPrimary'), '36', '37') });
    add({ id: `upgrade-${p}`, action: 'upgrade', node: p, method: 'cli', note: cite(msg('plan.acns.installPrimary', args), '01', '25', '35') });
    add({ id: `copy-dump-${p}`, action: 'backup', node: p, target: 'cdm-dump', note: cite(msg('plan.acns.copyDump'), '39', '42') });
    add({ id: `cms-enable-${p}`, action: 'start-service', node: p, service: 'cms', note: cite(msg('plan.acns.enablePrimary'), '40', '41') });
    add({ id: 'check-online', action: 'verify', ...on([...edges, p]), note: cite(msg('plan.acns.checkPrimary'), '41', '26') });
    for (const sb of standbys) {
      add({ id: `upgrade-${sb}`, action: 'upgrade', node: sb, method: 'cli', note: cite(msg('plan.acns.installStandby', args), '34', '35') });
      add({ id: `cms-enable-${sb}`, action: 'start-service', node: sb, service: 'cms', note: cite(msg('plan.acns.enableStandby'), '40') });
    }
  } else if (p) {
    // The CDM downgrade within 5.x, steps 1-11 (002-42 to 002-48), with or without a standby.
    for (const sb of standbys)
      add({ id: `stop-cms-${sb}`, action: 'stop-service', node: sb, service: 'cms', note: cite(msg('plan.acns.stopStandbyDown'), '43', '38') });
    add({ id: `stop-cms-${p}`, action: 'stop-service', node: p, service: 'cms', note: cite(msg('plan.acns.stopPrimaryDown'), '43') });
    add({ id: `backup-db-${p}`, action: 'backup', node: p, target: 'cdm-database', note: cite(msg('plan.acns.backupPrimaryDb'), '44') });
    add({ id: `delete-db-${p}`, action: 'delete', node: p, target: 'cdm-database', note: cite(msg('plan.acns.deletePrimaryDb'), '45') });
    add({ id: `restore-db-${p}`, action: 'restore', node: p, target: 'cdm-database', note: cite(msg('plan.acns.restorePrimaryDb', args), '42', '46') });
    const installNote = standbys.length
      ? cite(msg('plan.acns.downgradePrimary', args), '01', '25', '35')
      : cite(msg('plan.acns.downgradeLone', args), '01', '25');
    add({ id: `downgrade-${p}`, action: 'upgrade', node: p, method: 'cli', note: installNote });
    add({ id: `cms-enable-${p}`, action: 'start-service', node: p, service: 'cms', note: cite(msg('plan.acns.enablePrimaryDown'), '40', '41') });
    for (const sb of standbys) {
      add({ id: `backup-db-${sb}`, action: 'backup', node: sb, target: 'cdm-database', note: cite(msg('plan.acns.backupStandbyDb'), '47') });
      add({ id: `downgrade-${sb}`, action: 'upgrade', node: sb, method: 'cli', note: cite(msg('plan.acns.downgradeStandby', args), '34', '35') });
      add({ id: `delete-db-${sb}`, action: 'delete', node: sb, target: 'cdm-database', note: cite(msg('plan.acns.deleteStandbyDb'), '48') });
      add({ id: `create-db-${sb}`, action: 'create', node: sb, target: 'cdm-database', note: cite(msg('plan.acns.createStandbyDb'), '48') });
      add({ id: `cms-enable-${sb}`, action: 'start-service', node: sb, service: 'cms', note: cite(msg('plan.acns.enableStandbyDown'), '40', '48') });
    }
  }

  return { ok: true, header: {}, nodes: req.nodes.map((n) => ({ ...n })), steps };
}

// ---------------------------------------------------------------------------------------------------------
// The paths of the guide and the node sets of the property test.

/** `cdm` in a path's facts only says which CDMs the test's node sets have: none, a lone primary, or a standby too. */
type CdmSet = 'none' | 'lone' | 'standby';
const up = (from: string, to: string, facts: Record<string, unknown>): PlanPath => ({ from, to, facts });

const PATHS: PlanPath[] = [
  // Upgrades within 5.1 and to a later 5.x release, every CDM set, both ways for the engines and routers.
  ...(['standby', 'lone', 'none'] as CdmSet[]).flatMap((cdm) => EDGE_METHODS.map((edgeMethod) => up('5.1.0', '5.1.3', { cdm, edgeMethod }))),
  up('5.1.0', '5.1.3', { cdm: 'standby', edgeMethod: 'gui', deviceGroup: 'edge-engines' }),
  up('5.1.0', '5.1.3', { cdm: 'lone', edgeMethod: 'gui', deviceGroup: 'edge-engines' }),
  up('5.1.3', '5.2.0', { cdm: 'standby', edgeMethod: 'gui' }),
  up('5.1.0.b.20', '5.1.0.b.26', { cdm: 'lone', edgeMethod: 'cli' }),
  // Downgrades within 5.x: the CDM downgrade with and without a standby CDM.
  ...(['standby', 'lone', 'none'] as CdmSet[]).flatMap((cdm) => EDGE_METHODS.map((edgeMethod) => up('5.1.3', '5.1.0', { cdm, edgeMethod }))),
  up('5.1.3', '5.1.0', { cdm: 'standby', edgeMethod: 'gui', deviceGroup: 'edge-engines' }),
  up('5.1.4', '5.0.3', { cdm: 'lone', edgeMethod: 'cli' }),
  // The CDM GUI downgrade of the engines and routers to ACNS 4.2.
  up('5.1.3', '4.2.9', { cdm: 'none', edgeMethod: 'gui' }),
  up('5.1.3', '4.2.1', { cdm: 'none', edgeMethod: 'gui', deviceGroup: 'edge-engines' }),
];

function sampleNodes(rand: () => number, path: PlanPath): PlanNode[] {
  const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const to4 = parseVersion(path.to)?.parts[0] === 4;
  const cdm = (path.facts?.cdm as CdmSet | undefined) ?? (to4 ? 'none' : rand() < 0.5 ? 'standby' : 'lone');
  const out: PlanNode[] = [];
  for (let i = 1, n = pick(1, 4); i <= n; i++) out.push({ name: `acns-ce${i}`, role: 'content-engine' });
  for (let i = 1, n = pick(1, 2); i <= n; i++) out.push({ name: `acns-cr${i}`, role: 'content-router' });
  if (cdm !== 'none') out.push({ name: 'acns-cdm1', role: 'cdm-primary' });
  if (cdm === 'standby') out.push({ name: 'acns-cdm2', role: 'cdm-standby' });
  // The order the user gives them in does not matter.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const FACTS: FactSpec[] = [
  { key: 'edgeMethod', values: EDGE_METHODS, type: 'string', ask: msg('plan.acns.ask.edgeMethod'), default: 'gui' },
  { key: 'deviceGroup', type: 'string', ask: msg('plan.acns.ask.deviceGroup') },
];

export const acnsPlanner: ProductPlanner = {
  product: 'acns',
  roles: ROLES,
  facts: FACTS,
  plan,
  paths: PATHS,
  refused: [
    { from: '5.1.3', to: '5.1.3', rule: 'manifest/same-version' },
    { from: '5.1.0.b.26', to: '5.1.0.b.26', rule: 'manifest/same-version' },
  ],
  sampleNodes,
};
