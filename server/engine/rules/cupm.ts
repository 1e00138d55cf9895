/** CUPM manifest rules (product: cupm). Facts: reference 001 (rows 001-NN of docs/guide-coverage.md). */
import { dynamicMsg, msg, ruleDocs, type Message } from '../l10n/index';
import {
  asArr,
  firstUpgrade,
  firstUpgradeOf,
  hasStep,
  insertStepAfter,
  insertStepBefore,
  isFreshInstall,
  isUpgrade,
  lastUpgrade,
  related,
  runsCommand,
  stepNames,
  type ManifestContext,
  type NodeInfo,
  type StepInfo,
} from '../manifest';
import { parseProperties, type Entry } from '../parse/kv';
import { yamlScalar } from '../parse/yaml';
import { compareVersions } from '../versions';
import { before, chain, ranked, reportOutOfPlace, type OrderChain } from '../order';
import { cupm } from '../products/index';
import { grouped, isIP } from '../util';
import type { ManifestRule } from './manifest';
import type { Report } from '../rule';
import type { Severity, TextEdit } from '../types';

const P = ['cupm'];

// ---------------------------------------------------------------------------------------------------------
// Small helpers: generations of nodes (a node another one `replaces` is the old system of a migration), the
// installer runs (an upgrade or a fresh installation), pg_dumpall backups and restores.

/** Names of the nodes another node takes over from (`replaces`): the old systems of a migration. */
const replacedNames = (ctx: ManifestContext) => new Set(ctx.nodes.map((n) => n.data.replaces).filter((x): x is string => typeof x === 'string'));
const runsInstaller = (s: StepInfo) => isUpgrade(s) || isFreshInstall(s);
const names = (s: StepInfo, name: string) => s.nodes.some((r) => r.name === name);
const isDump = (s: StepInfo, action: 'backup' | 'restore') => s.action === action && s.data.target === 'pg_dumpall';
/** The configuration files the guide copies for a new installation: `cupm-config`, or a `filesystem` copy. */
const isConfigCopy = (s: StepInfo, action: 'backup' | 'restore') => s.action === action && (s.data.target === 'cupm-config' || s.data.target === 'filesystem');
const APP_ROLES = ['application', 'all-in-one'];
const isTo85 = (ctx: ManifestContext) => !!ctx.to && compareVersions(ctx.to, cupm.FIRST_ON_2008, 2) >= 0;
const isFromOld = (ctx: ManifestContext) => !!ctx.from && compareVersions(ctx.from, cupm.FIRST_ON_2008, 2) < 0;
/** The last step before `s` that matches (steps are listed in plan order: `ctx.steps[i].index === i`). */
const lastBefore = (ctx: ManifestContext, s: StepInfo, pred: (x: StepInfo) => boolean) => {
  for (let i = s.index - 1; i >= 0; i--) if (pred(ctx.steps[i])) return ctx.steps[i];
  return undefined;
};
/** True when the node is freshly installed (an `install` without package) before step `s`. */
const installedBefore = (ctx: ManifestContext, name: string, s: StepInfo) => ctx.steps.some((x) => x.index < s.index && isFreshInstall(x) && names(x, name));
/**
 * A restore into a new installation (001-53, 001-56): the node is freshly installed earlier in the plan, takes
 * over from another node, or the dump it restores was taken on another node.
 */
function newInstallation(ctx: ManifestContext, r: StepInfo, name: string): boolean {
  if (installedBefore(ctx, name, r) || typeof ctx.byName.get(name)?.data.replaces === 'string') return true;
  const dump = lastBefore(ctx, r, (x) => isDump(x, 'backup'));
  return !!dump && dump.nodes.length > 0 && !names(dump, name);
}

/** The pg_dumpall backups of the plan, in plan order. */
const dumps = (ctx: ManifestContext) => ctx.steps.filter((x) => isDump(x, 'backup'));
const lastOf = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
/**
 * 001-53, 001-56 without positions (for the order chains): the node is freshly installed somewhere in the plan,
 * takes over from another node, or the plan's last dump was taken on another node.
 */
function newInstallationAnywhere(ctx: ManifestContext, name: string): boolean {
  if (ctx.steps.some((x) => isFreshInstall(x) && names(x, name)) || typeof ctx.byName.get(name)?.data.replaces === 'string') return true;
  const dump = lastOf(dumps(ctx));
  return !!dump && dump.nodes.length > 0 && !names(dump, name);
}

/** A service entry of a node, reduced to letters and digits (`HP-OpenView` → `hpopenview`). */
const token = (s: unknown) => (typeof s === 'string' ? s.toLowerCase().replace(/[^a-z0-9]/g, '') : '');
const CSA = new Set(['csa', 'ciscosecurityagent']);
const ANTIVIRUS = new Set([
  'antivirus',
  'virusscan',
  'viruscan',
  'mcafee',
  'mcafeevirusscan',
  'symantec',
  'symantecantivirus',
  'symantecendpointprotection',
  'trendmicro',
  'officescan',
]);
/** 001-09: what must not share the server, by kind (the message names the kind). */
const CORESIDENT: { kind: 'mgmt' | 'acs' | 'cucm'; names: Set<string> }[] = [
  { kind: 'mgmt', names: new Set(['hpopenview', 'openview', 'hpov', 'netview', 'tivolinetview', 'ibmtivolinetview', 'ibmnetview']) },
  { kind: 'acs', names: new Set(['acs', 'ciscoacs', 'secureacs', 'ciscosecureacs', 'ciscosecureaccesscontrolserver']) },
  {
    kind: 'cucm',
    names: new Set([
      'callmanager',
      'ciscocallmanager',
      'cucm',
      'unifiedcm',
      'ciscounifiedcm',
      'communicationsmanager',
      'unifiedcommunicationsmanager',
      'ciscounifiedcommunicationsmanager',
    ]),
  },
];

/** For the planner: which kind of software a `services` entry is that must not share the CUPM server (001-09). */
export const coresidentKind = (svc: unknown) => CORESIDENT.find((c) => c.names.has(token(svc)))?.kind;
/** For the planner: whether a node's `services` list Cisco Security Agent or virus-scanning software (001-20, 001-23). */
export const listsProgram = (services: unknown, program: 'csa' | 'antivirus') =>
  asArr(services).some((s) => (program === 'csa' ? CSA : ANTIVIRUS).has(token(s)));
/** For the planner: the message of cupm/coresident-app for one entry. */
export const coresidentMessage = (svc: string, node: string, kind: 'mgmt' | 'acs' | 'cucm'): Message =>
  msg('cupm/coresident-app.message', {
    service: svc,
    node,
    what: kind === 'mgmt' ? msg('cupm/coresident-app.mgmt') : kind === 'acs' ? msg('cupm/coresident-app.acs') : msg('cupm/coresident-app.cucm'),
  });

/** A step id not used yet in the plan (for inserted steps). */
const STEP_IDS = new WeakMap<ManifestContext, Set<string>>();
function freshId(ctx: ManifestContext, base: string, taken: Set<string>): string {
  let used = STEP_IDS.get(ctx);
  if (!used) STEP_IDS.set(ctx, (used = new Set(ctx.steps.map((s) => s.id))));
  let id = base;
  for (let i = 2; used.has(id) || taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}

/** One edit that inserts several steps at the same place (each from insertStepBefore/After, same range). */
function joinInserts(edits: (TextEdit | undefined)[]): TextEdit | undefined {
  if (!edits.length || edits.some((e) => !e)) return undefined;
  return { range: edits[0]!.range, newText: edits.map((e) => e!.newText).join('') };
}

// ---------------------------------------------------------------------------------------------------------

const upgradePath: ManifestRule = {
  id: 'cupm/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001-40 (8.5 is reached from 2.1 or 2.2)',
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
  source: '001-26 (medium and large need 4 GB on every system that runs the installer)',
  docs: ruleDocs('cupm/size-memory'),
  check(ctx, report) {
    if (ctx.m.size !== 'medium' && ctx.m.size !== 'large') return;
    for (const n of ctx.nodes) {
      // The size is chosen in installer step 7, before the component (database or application) in step 9: the
      // limit holds on the database server as much as on the application or all-in-one server.
      const mem = n.data.memoryMB;
      if (typeof mem !== 'number' || mem >= cupm.MIN_MEMORY_MB) continue;
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
  source: '001-28 (tiny is not supported in production)',
  docs: ruleDocs('cupm/size-tiny'),
  check(ctx, report) {
    if (ctx.m.size !== 'tiny') return;
    report({ range: ctx.range('/size'), message: msg('cupm/size-tiny.message') });
  },
};

const sizeCapacity: ManifestRule = {
  id: 'cupm/size-capacity',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-27 (small 1,000, medium 10,000, large 60,000 phones)',
  docs: ruleDocs('cupm/size-capacity'),
  check(ctx, report) {
    const phones = ctx.m.phones;
    const size = typeof ctx.m.size === 'string' ? ctx.m.size : undefined;
    const limit = size && Object.hasOwn(cupm.SIZE_PHONES, size) ? cupm.SIZE_PHONES[size] : undefined;
    if (typeof phones !== 'number' || limit === undefined || phones <= limit) return;
    const max = Math.max(...Object.values(cupm.SIZE_PHONES));
    report({
      range: ctx.range('/phones'),
      message:
        phones > max
          ? msg('cupm/size-capacity.none', { phones: grouped(phones), max: grouped(max) })
          : msg('cupm/size-capacity.message', { phones: grouped(phones), size: size!, limit: grouped(limit), bigger: biggerSize(phones) }),
      related: ctx.at('/size') ? [related(ctx.range('/size'), msg('cupm/size-capacity.related'))] : [],
    });
  },
};

/** The smallest size model that supports this many phones (there is one: the caller checked the largest). */
const biggerSize = (phones: number) =>
  Object.entries(cupm.SIZE_PHONES)
    .sort((a, b) => a[1] - b[1])
    .find(([, limit]) => phones <= limit)![0];

const installDirSpace: ManifestRule = {
  id: 'cupm/install-dir-space',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001-25 (no space in the installation directory)',
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
  source: '001-33 (Windows user of PostgreSQL: at most 20 characters)',
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
  source: '001-21 (database and application systems run the same OS)',
  docs: ruleDocs('cupm/same-os'),
  check(ctx, report) {
    // The application server is compared with the database server of its own generation: in a migration the old
    // pair (the nodes another one `replaces`) runs together until the move, the new pair after it.
    const replaced = replacedNames(ctx);
    for (const old of [false, true]) {
      const group = ctx.nodes.filter((n) => replaced.has(n.name) === old);
      const db = group.find((n) => n.role === 'database' && typeof n.data.os === 'string');
      if (!db) continue;
      for (const n of group) {
        if (n.role !== 'application' || typeof n.data.os !== 'string' || n.data.os === db.data.os) continue;
        report({
          range: ctx.range(`/nodes/${n.index}/os`),
          message: msg('cupm/same-os.message', { node: n.name, os: String(n.data.os), database: db.name, databaseOs: String(db.data.os) }),
          related: [related(ctx.range(`/nodes/${db.index}/os`), msg('cupm/same-os.related'))],
        });
      }
    }
  },
};

const windows2008: ManifestRule = {
  id: 'cupm/windows-2008',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001-07 (only 8.5 runs on, and moves to, Windows Server 2008)',
  docs: ruleDocs('cupm/windows-2008'),
  check(ctx, report) {
    // Only 8.5 runs on Windows Server 2008. The target must be 8.5 or later, and a node on 2008 must not run
    // 2.x during the plan: an in-place upgrade from 2.x is done on Windows 2003 and the system moves after. A
    // node that the plan freshly installs (at `to`) or that takes over from another (`replaces`), and that it does
    // not upgrade, is the new system of that move (cupm/migration-order checks how it gets its data).
    const toOld = !!ctx.to && !isTo85(ctx);
    const fromOld = isFromOld(ctx);
    if (!toOld && !fromOld) return;
    const upgraded = new Set(ctx.steps.filter(isUpgrade).flatMap(stepNames));
    const installed = new Set(ctx.steps.filter(isFreshInstall).flatMap(stepNames));
    for (const n of ctx.nodes) {
      if (n.data.os !== 'windows-2008') continue;
      if (!toOld) {
        const fresh = typeof n.data.replaces === 'string' || installed.has(n.name);
        if (fresh && !upgraded.has(n.name)) continue;
      }
      report({
        range: ctx.range(`/nodes/${n.index}/os`),
        message: toOld
          ? msg('cupm/windows-2008.message', { node: n.name, to: ctx.to!.text })
          : msg('cupm/windows-2008.inPlace', { node: n.name, from: ctx.from!.text, to: ctx.to?.text ?? '8.5' }),
      });
    }
  },
};

const migrationOrder: ManifestRule = {
  id: 'cupm/migration-order',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-08, 001-56 (be on 8.5, back up, install 8.5 on the new system, restore there)',
  docs: ruleDocs('cupm/migration-order'),
  // A restore comes after the fresh installation of its node (001-56) and after the plan's last dump (the one it
  // restores); moving to Windows Server 2008 from 2.x, that dump comes after the upgrade of the old system (001-08).
  order(ctx) {
    const out: OrderChain[] = [];
    const dump = lastOf(dumps(ctx));
    for (const r of ctx.steps.filter((s) => isDump(s, 'restore'))) {
      for (const ref of r.nodes) {
        const installs = ctx.steps.filter((x) => isFreshInstall(x) && names(x, ref.name));
        if (installs.length) out.push(before(installs, r));
      }
      if (!dump) continue;
      out.push(before(dump, r));
      const to2008 = r.nodes.some((ref) => ctx.byName.get(ref.name)?.data.os === 'windows-2008');
      if (!to2008 || !isTo85(ctx) || !isFromOld(ctx)) continue;
      const ups = ctx.steps.filter((u) => isUpgrade(u) && (dump.nodes.length === 0 || dump.nodes.some((d) => names(u, d.name))));
      out.push(before(ups, dump));
    }
    return out;
  },
  check(ctx, report) {
    for (const r of ctx.steps.filter((s) => isDump(s, 'restore'))) {
      const dump = lastBefore(ctx, r, (x) => isDump(x, 'backup'));
      for (const ref of r.nodes) {
        const node = ctx.byName.get(ref.name);
        if (!node) continue;
        // 001-56: a restore into a new installation starts once that installation is up and running.
        const takesOver = typeof node.data.replaces === 'string';
        const otherSystem = !!dump && dump.nodes.length > 0 && !names(dump, node.name);
        if ((takesOver || otherSystem) && !installedBefore(ctx, node.name, r)) {
          report({ range: r.range, message: msg('cupm/migration-order.noInstall', { id: r.id, node: node.name }) });
        }
        // 001-08: only 8.5 moves to Windows Server 2008, so the dump restored there is one of 8.5: taken after the
        // old system was upgraded. (A target below 8.5 on 2008 is cupm/windows-2008's finding.)
        if (node.data.os !== 'windows-2008' || !isTo85(ctx) || !isFromOld(ctx)) continue;
        const upgradedFirst =
          !!dump && ctx.steps.some((u) => isUpgrade(u) && u.index < dump.index && (dump.nodes.length === 0 || dump.nodes.some((d) => names(u, d.name))));
        if (upgradedFirst) continue;
        report({
          range: r.range,
          severity: 'error',
          message: msg(dump ? 'cupm/migration-order.notOn85' : 'cupm/migration-order.noDump85', {
            id: r.id,
            node: node.name,
            from: ctx.from!.text,
            to: ctx.to!.text,
          }),
          related: dump ? [related(dump.range, msg('cupm/migration-order.related'))] : [],
        });
      }
    }
  },
};

const coresidentApp: ManifestRule = {
  id: 'cupm/coresident-app',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '001-09 (a dedicated server: no third-party management software, ACS or Unified CM)',
  docs: ruleDocs('cupm/coresident-app'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      asArr(n.data.services).forEach((svc, j) => {
        const kind = coresidentKind(svc);
        if (!kind) return;
        report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: coresidentMessage(String(svc), n.name, kind) });
      });
    }
  },
};

/** 001-20, 001-23: a program on the node's `services` list is stopped before the node's first installer run. */
function stoppedBeforeInstall(
  ctx: ManifestContext,
  report: Report,
  known: Set<string>,
  service: 'csa' | 'antivirus',
  text: (node: string, entry: string, id: string) => Message,
) {
  for (const n of ctx.nodes) {
    const entry = asArr(n.data.services).find((s) => known.has(token(s)));
    if (entry === undefined) continue;
    const first = ctx.steps.find((s) => runsInstaller(s) && names(s, n.name));
    if (!first) continue;
    const last = lastBefore(
      ctx,
      first,
      (x) => (x.action === 'stop-service' || x.action === 'start-service') && x.data.service === service && (x.nodes.length === 0 || names(x, n.name)),
    );
    if (last?.action === 'stop-service') continue;
    report({ range: first.range, message: text(n.name, String(entry), first.id) });
  }
}

/** The order of stoppedBeforeInstall: the program stopped before every installer run of the node, started after. */
function stoppedAroundInstall(ctx: ManifestContext, known: Set<string>, service: 'csa' | 'antivirus'): OrderChain[] {
  const out: OrderChain[] = [];
  for (const n of ctx.nodes) {
    if (!asArr(n.data.services).some((s) => known.has(token(s)))) continue;
    const mine = (x: StepInfo) => x.data.service === service && (x.nodes.length === 0 || names(x, n.name));
    const stops = ctx.steps.filter((x) => x.action === 'stop-service' && mine(x));
    const runs = ctx.steps.filter((x) => runsInstaller(x) && names(x, n.name));
    if (!stops.length || !runs.length) continue;
    out.push(ranked([stops, runs, ctx.steps.filter((x) => x.action === 'start-service' && mine(x))]));
  }
  return out;
}

const csaDisabled: ManifestRule = {
  id: 'cupm/csa-disabled',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-20 (disable Cisco Security Agent before installing)',
  docs: ruleDocs('cupm/csa-disabled'),
  order: (ctx) => stoppedAroundInstall(ctx, CSA, 'csa'),
  check(ctx, report) {
    stoppedBeforeInstall(ctx, report, CSA, 'csa', (node, entry, id) => msg('cupm/csa-disabled.message', { node, entry, id }));
  },
};

const antivirusDisabled: ManifestRule = {
  id: 'cupm/antivirus-disabled',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '001-23 (disable virus scanning during the installation)',
  docs: ruleDocs('cupm/antivirus-disabled'),
  order: (ctx) => stoppedAroundInstall(ctx, ANTIVIRUS, 'antivirus'),
  check(ctx, report) {
    stoppedBeforeInstall(ctx, report, ANTIVIRUS, 'antivirus', (node, entry, id) => msg('cupm/antivirus-disabled.message', { node, entry, id }));
  },
};

const deploymentRoles: ManifestRule = {
  id: 'cupm/deployment-roles',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-30 (everything on one system, or the application and the database on separate systems)',
  docs: ruleDocs('cupm/deployment-roles'),
  check(ctx, report) {
    const dep = ctx.m.deployment;
    if (dep !== 'single' && dep !== 'distributed') return;
    const replaced = replacedNames(ctx);
    const active = ctx.nodes.filter((n) => !replaced.has(n.name) && typeof n.role === 'string');
    if (!active.length) return;
    const count = (role: string) => active.filter((n) => n.role === role).length;
    const ok =
      dep === 'single' ? count('all-in-one') === 1 && active.length === 1 : count('application') >= 1 && count('database') >= 1 && count('all-in-one') === 0;
    if (ok) return;
    const roles = active.map((n) => `${n.name} (${n.role})`);
    report({
      range: ctx.range('/deployment'),
      message: msg(dep === 'single' ? 'cupm/deployment-roles.single' : 'cupm/deployment-roles.distributed', { roles }),
    });
  },
};

const backup: ManifestRule = {
  id: 'cupm/backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-42 (a manual pg_dumpall backup before the upgrade)',
  docs: ruleDocs('cupm/backup'),
  // The plan's first pg_dumpall backup before every upgrade (a later one is the dump of a move: cupm/migration-order).
  order(ctx) {
    const ups = ctx.steps.filter(isUpgrade);
    const first = dumps(ctx)[0];
    return ups.length && first ? [before(first, ups)] : [];
  },
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'backup', target: 'pg_dumpall' }, { before: f })) return;
    report({ range: f.range, message: msg('cupm/backup.message') });
  },
};

const isDumpOrRestore = (x: StepInfo) => isDump(x, 'backup') || isDump(x, 'restore');
/**
 * The services run on the system that runs Provisioning Manager (the application or all-in-one server): the dump
 * step's own node when it is one, else the application servers of the same generation.
 */
function dumpTargets(ctx: ManifestContext, s: StepInfo): string[] {
  const replaced = replacedNames(ctx);
  const appNodes = ctx.nodes.filter((n) => APP_ROLES.includes(n.role ?? ''));
  const own = s.nodes.map((r) => ctx.byName.get(r.name)).filter((n): n is NodeInfo => !!n && APP_ROLES.includes(n.role ?? ''));
  const old = s.nodes.length > 0 && s.nodes.every((r) => replaced.has(r.name));
  return (own.length ? own : appNodes.filter((n) => replaced.has(n.name) === old)).map((n) => n.name);
}
/** A stop or start of `svc` on one of the targets (or on every node). */
const serviceEvent = (targets: string[], svc: string) => (x: StepInfo) =>
  (x.action === 'stop-service' || x.action === 'start-service') &&
  x.data.service === svc &&
  (targets.length === 0 || x.nodes.length === 0 || x.nodes.some((r) => targets.includes(r.name)));

const dumpServices: ManifestRule = {
  id: 'cupm/dump-services',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'suggestion',
  products: P,
  source: '001-51, 001-57 (Apache, JBoss and NICE stopped for pg_dumpall and psql, started after)',
  docs: ruleDocs('cupm/dump-services'),
  // Per system and service: the stops, dumps and starts in windows (stop, its dumps, start; then the next window),
  // the k-th stop with the k-th start, each dump in the window it stands in (kept in plan order).
  order(ctx) {
    const out: OrderChain[] = [];
    const groups = new Map<string, { targets: string[]; dumps: StepInfo[] }>();
    for (const s of ctx.steps.filter(isDumpOrRestore)) {
      const targets = dumpTargets(ctx, s);
      const key = targets.join('\n');
      const g = groups.get(key) ?? { targets, dumps: [] };
      g.dumps.push(s);
      groups.set(key, g);
    }
    for (const { targets, dumps: ds } of groups.values()) {
      for (const svc of cupm.DUMP_SERVICES) {
        const event = serviceEvent(targets, svc);
        const stops = ctx.steps.filter((x) => x.action === 'stop-service' && event(x));
        const starts = ctx.steps.filter((x) => x.action === 'start-service' && event(x));
        if (!stops.length) continue;
        const items: { step: StepInfo; rank: number }[] = [];
        stops.forEach((step, k) => items.push({ step, rank: 3 * k }));
        starts.forEach((step, k) => items.push({ step, rank: 3 * Math.min(k, stops.length - 1) + 2 }));
        let w = 0;
        for (const d of ds) {
          w = Math.max(w, stops.filter((x) => x.index < d.index).length - 1);
          items.push({ step: d, rank: 3 * Math.min(w, stops.length - 1) + 1 });
        }
        out.push(chain(items));
      }
    }
    return out;
  },
  check(ctx, report) {
    for (const s of ctx.steps.filter(isDumpOrRestore)) {
      const targets = dumpTargets(ctx, s);
      const events = new Map(cupm.DUMP_SERVICES.map((svc) => [svc as string, serviceEvent(targets, svc)]));
      const event = (x: StepInfo, svc: string) => events.get(svc)!(x);
      const missingStop = cupm.DUMP_SERVICES.filter((svc) => lastBefore(ctx, s, (x) => event(x, svc))?.action !== 'stop-service');
      const missingStart = cupm.DUMP_SERVICES.filter((svc) => ctx.steps.find((x) => x.index > s.index && event(x, svc))?.action !== 'start-service');
      const node = targets.length === 1 ? targets[0] : undefined;
      const taken = new Set<string>();
      const stepLines = (action: 'stop' | 'start', svc: string) => [
        `id: ${yamlScalar(freshId(ctx, `${action}-${svc}`, taken))}`,
        `action: ${action}-service`,
        `node: ${yamlScalar(node!)}`,
        `service: ${svc}`,
      ];
      if (missingStop.length) {
        const edit = node ? joinInserts(missingStop.map((svc) => insertStepBefore(ctx, s, stepLines('stop', svc)))) : undefined;
        report({
          range: s.range,
          message: msg(s.action === 'backup' ? 'cupm/dump-services.stop' : 'cupm/dump-services.stopRestore', { id: s.id, services: missingStop }),
          fixes: edit ? [{ title: msg('cupm/dump-services.fixStop', { services: missingStop, node: node! }), preferred: false, edits: [edit] }] : [],
        });
      }
      if (missingStart.length) {
        const edit = node ? joinInserts(missingStart.map((svc) => insertStepAfter(ctx, s, stepLines('start', svc)))) : undefined;
        report({
          range: s.range,
          severity: 'information',
          message: msg('cupm/dump-services.start', { id: s.id, services: missingStart }),
          fixes: edit ? [{ title: msg('cupm/dump-services.fixStart', { services: missingStart, node: node! }), preferred: false, edits: [edit] }] : [],
        });
      }
    }
  },
};

const configFiles: ManifestRule = {
  id: 'cupm/config-files',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-53 (copy the configuration files for a new installation, and back after the restore)',
  docs: ruleDocs('cupm/config-files'),
  // Into a new installation: the configuration copies made with the dump come before the restore, the copies back after it.
  order(ctx) {
    const out: OrderChain[] = [];
    const copies = ctx.steps.filter((x) => isConfigCopy(x, 'backup'));
    const dumped = dumps(ctx).length > 0;
    for (const r of ctx.steps.filter((s) => isDump(s, 'restore'))) {
      const target = r.nodes.find((ref) => newInstallationAnywhere(ctx, ref.name));
      if (!target) continue;
      if (dumped && copies.length) out.push(before(copies, r));
      out.push(
        before(
          r,
          ctx.steps.filter((x) => isConfigCopy(x, 'restore') && (x.nodes.length === 0 || names(x, target.name))),
        ),
      );
    }
    return out;
  },
  check(ctx, report) {
    for (const r of ctx.steps.filter((s) => isDump(s, 'restore'))) {
      const target = r.nodes.find((ref) => newInstallation(ctx, r, ref.name));
      if (!target) continue;
      // The files are copied when the dump is taken (when this plan takes it) and copied back after psql.
      const dump = lastBefore(ctx, r, (x) => isDump(x, 'backup'));
      const saved = !dump || ctx.steps.some((x) => x.index < r.index && isConfigCopy(x, 'backup'));
      const back = ctx.steps.some((x) => x.index > r.index && isConfigCopy(x, 'restore') && (x.nodes.length === 0 || names(x, target.name)));
      if (saved && back) continue;
      const key = !saved && !back ? 'cupm/config-files.both' : !saved ? 'cupm/config-files.backup' : 'cupm/config-files.restore';
      report({
        range: r.range,
        message: msg(key, { id: r.id, node: target.name }),
        related: dump && !saved ? [related(dump.range, msg('cupm/config-files.related'))] : [],
      });
    }
  },
};

/** 001-46 as a chain: the upgrades of the database servers (0) before those of the application servers (1). */
const databaseFirstChain = (ctx: ManifestContext): OrderChain =>
  chain(
    ctx.steps.filter(isUpgrade).flatMap((s) =>
      (['database', 'application'] as const)
        .map((role, rank) => ({ role, rank }))
        .filter(({ role }) => s.nodes.some((r) => ctx.byName.get(r.name)?.role === role))
        .map(({ rank }) => ({ step: s, rank })),
    ),
  );

const databaseFirst: ManifestRule = {
  id: 'cupm/database-first',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '001-46 (distributed: upgrade the database server, then the application server)',
  docs: ruleDocs('cupm/database-first'),
  order: (ctx) => (firstUpgradeOf(ctx, 'database') ? [databaseFirstChain(ctx)] : []),
  check(ctx, report) {
    // A plan that upgrades no database server at all is not an order problem (both systems are upgraded: 001-44).
    if (!firstUpgradeOf(ctx, 'database')) return;
    const namesOf = (s: StepInfo, role: string) =>
      s.nodes
        .filter((r) => ctx.byName.get(r.name)?.role === role)
        .map((r) => r.name)
        .join(', ');
    // One step that runs the installer on both systems at once: the database is not upgraded first.
    for (const s of ctx.steps.filter(isUpgrade)) {
      const apps = namesOf(s, 'application');
      if (apps && namesOf(s, 'database')) report({ range: s.range, message: msg('cupm/database-first.together', { apps }) });
    }
    // The step out of place is the one that breaks the order: an application upgrade too early, or a database
    // upgrade too late.
    reportOutOfPlace(ctx, report, databaseFirstChain(ctx), (o) => {
      const other = (o.before ?? o.after) as StepInfo;
      return o.before
        ? {
            message: msg('cupm/database-first.late', { databases: namesOf(o.step, 'database'), id: other.id, apps: namesOf(other, 'application') }),
            related: msg('cupm/database-first.relatedApp'),
          }
        : { message: msg('cupm/database-first.early', { apps: namesOf(o.step, 'application') }), related: msg('cupm/database-first.here') };
    });
  },
};

const postSync: ManifestRule = {
  id: 'cupm/post-sync',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '001-47 (synchronise the processors and domains after the upgrade)',
  docs: ruleDocs('cupm/post-sync'),
  // The plan's last sync after every upgrade.
  order(ctx) {
    const sync = lastOf(ctx.steps.filter((s) => s.action === 'sync'));
    return sync ? [before(ctx.steps.filter(isUpgrade), sync)] : [];
  },
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || hasStep(ctx, { action: 'sync' }, { after: l })) return;
    report({ range: l.range, message: msg('cupm/post-sync.message') });
  },
};

/** The command line names the utility (`ProvisionLineUsers.bat -u <user> -p <password>`, with or without `.bat`). */
const LINE_USERS = new RegExp(cupm.LINE_USERS_UTILITY.replace(/\.bat$/i, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
const runsLineUsers = (s: StepInfo) => runsCommand(s, LINE_USERS);

const lineUsers: ManifestRule = {
  id: 'cupm/line-users',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-48 (after an upgrade from 2.1, run ProvisionLineUsers.bat)',
  docs: ruleDocs('cupm/line-users'),
  // The plan's last run of the utility after every upgrade.
  order(ctx) {
    if (!ctx.from || compareVersions(ctx.from, cupm.LINE_USERS_FROM, 2) !== 0 || !isTo85(ctx)) return [];
    const run = lastOf(ctx.steps.filter(runsLineUsers));
    return run ? [before(ctx.steps.filter(isUpgrade), run)] : [];
  },
  check(ctx, report) {
    if (!ctx.from || compareVersions(ctx.from, cupm.LINE_USERS_FROM, 2) !== 0 || !isTo85(ctx)) return;
    const last = lastUpgrade(ctx);
    if (!last) return;
    const runs = runsLineUsers;
    if (ctx.steps.some((s) => runs(s) && s.index > last.index)) return;
    const early = ctx.steps.find((s) => runs(s) && s.index < last.index);
    report({
      range: (early ?? last).range,
      message: early
        ? msg('cupm/line-users.early', { id: early.id, last: last.id, utility: cupm.LINE_USERS_UTILITY })
        : msg('cupm/line-users.message', { from: ctx.from.text, utility: cupm.LINE_USERS_UTILITY }),
      related: early ? [related(last.range, msg('cupm/line-users.related'))] : [],
    });
  },
};

const verifyLogin: ManifestRule = {
  id: 'cupm/verify-login',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '001-36 (open the login page once the installer has finished)',
  docs: ruleDocs('cupm/verify-login'),
  // The plan's last check after every run of the 8.5 installer.
  order(ctx) {
    const check = isTo85(ctx) ? lastOf(ctx.steps.filter((s) => s.action === 'verify')) : undefined;
    return check ? [before(ctx.steps.filter(runsInstaller), check)] : [];
  },
  check(ctx, report) {
    // The check closes the 8.5 installer's procedure (installation step 11, upgrade step 11).
    const last = isTo85(ctx) ? [...ctx.steps].reverse().find(runsInstaller) : undefined;
    if (!last || hasStep(ctx, { action: 'verify' }, { after: last })) return;
    report({ range: last.range, message: msg('cupm/verify-login.message', { id: last.id }) });
  },
};

const installTime: ManifestRule = {
  id: 'cupm/install-time',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '001-19 (an installation takes about 60 minutes)',
  docs: ruleDocs('cupm/install-time'),
  check(ctx, report) {
    const w = ctx.m.maintenanceWindow as { start?: unknown; end?: unknown } | undefined;
    if (!w || typeof w !== 'object' || typeof w.start !== 'string' || typeof w.end !== 'string') return;
    const minutes = (Date.parse(w.end) - Date.parse(w.start)) / 60000;
    const count = ctx.steps.filter(isFreshInstall).length;
    const need = count * cupm.INSTALL_MINUTES;
    if (!count || !(minutes > 0) || minutes >= need) return; // an end before the start is manifest/window-order's
    report({ range: ctx.keyRange('/maintenanceWindow'), message: msg('cupm/install-time.message', { minutes: Math.round(minutes), count, need }) });
  },
};

/** The steps that clean up or reinstall a node after a failed upgrade: a `delete`, a fresh install (not on a new system). */
const cleansUp = (ctx: ManifestContext, s: StepInfo, name: string) =>
  names(s, name) && (s.action === 'delete' || (isFreshInstall(s) && typeof ctx.byName.get(name)?.data.replaces !== 'string'));
const isRevert = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.to, ctx.from) < 0;
/** Per node that is uninstalled: its uninstalls (0) before its deletes and reinstalls (1). */
const uninstallChains = (ctx: ManifestContext) =>
  ctx.nodes
    .map((n) => ({ n, uninstalls: ctx.steps.filter((s) => s.action === 'uninstall' && names(s, n.name)) }))
    .filter((x) => x.uninstalls.length > 0)
    .map(({ n, uninstalls }) => ({
      node: n.name,
      chain: before(
        uninstalls,
        ctx.steps.filter((s) => cleansUp(ctx, s, n.name)),
      ),
    }));

const uninstallFirst: ManifestRule = {
  id: 'cupm/uninstall-first',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '001-54 (after a failed upgrade: the uninstall program first, manual removal only when it fails)',
  docs: ruleDocs('cupm/uninstall-first'),
  order: (ctx) => (isRevert(ctx) ? uninstallChains(ctx).map((x) => x.chain) : []),
  check(ctx, report) {
    // Going back to 2.1 or 2.2 after a failed upgrade: clean up the old installation (uninstall; delete by hand
    // only what the uninstall program left) before installing again.
    if (!isRevert(ctx)) return;
    const text = (s: StepInfo, node: string) =>
      s.action === 'delete'
        ? msg('cupm/uninstall-first.delete', { id: s.id, node })
        : msg('cupm/uninstall-first.reinstall', { id: s.id, node, to: ctx.to!.text });
    // A node never uninstalled: its first clean-up step says so.
    const chains = uninstallChains(ctx);
    for (const n of ctx.nodes) {
      if (chains.some((c) => c.node === n.name)) continue;
      const first = ctx.steps.find((s) => cleansUp(ctx, s, n.name));
      if (first) report({ range: first.range, message: text(first, n.name) });
    }
    // A node uninstalled too late: the step out of place (the uninstall moved down, or a clean-up moved up).
    for (const c of chains) {
      reportOutOfPlace(ctx, report, c.chain, (o) => {
        const other = (o.before ?? o.after) as StepInfo;
        return o.before
          ? { message: msg('cupm/uninstall-first.late', { id: o.step.id, node: c.node, other: other.id }), related: msg('cupm/uninstall-first.relatedCleanup') }
          : { message: text(o.step, c.node), related: msg('cupm/uninstall-first.relatedUninstall') };
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// dfc.properties seen from the manifest.

const ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

const properties: ManifestRule = {
  id: 'cupm/properties',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-12, 001-13, 001-14, 001-15, 001-17, 001-31, 001-32 (the dfc.properties findings, on the manifest)',
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

const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;
/** Host names compared as DNS does (no case, no final dot); a short name matches the first label of a long one. */
function sameHost(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, ''),
    y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return true;
  if (isIP(x) || isIP(y)) return false;
  return (!x.includes('.') && y.split('.')[0] === x) || (!y.includes('.') && x.split('.')[0] === y);
}

const propertiesDbHost: ManifestRule = {
  id: 'cupm/properties-db-host',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '001-31 (dfc.postgres.host names the database server; the new one after a move)',
  docs: ruleDocs('cupm/properties-db-host'),
  check(ctx, report) {
    const p = ctx.m.propertiesFile;
    if (typeof p !== 'string' || !ctx.fs?.readText) return;
    const abs = ctx.resolve(p);
    if (!abs || ctx.fs.refused?.(abs)) return;
    const text = ctx.fs.readText(abs);
    if (text === undefined) return;
    const replaced = replacedNames(ctx);
    const databases = ctx.nodes.filter((n) => n.role === 'database' && !replaced.has(n.name));
    if (!databases.length) return;
    const doc = parseProperties(text);
    const last = (key: string) => [...doc.entries].reverse().find((e) => e.key === key);
    const entries = [last('dfc.postgres.host'), last('dfc.postgres.hostlist')].filter((e): e is Entry => !!e);
    const matches = (host: string, n: NodeInfo) => sameHost(host, n.name) || (typeof n.data.address === 'string' && sameHost(host, n.data.address));
    for (const e of entries) {
      for (const host of e.value.split(',').map((h) => h.trim())) {
        if (host === '' || LOCAL_HOST.test(host)) continue;
        const hit = ctx.nodes.filter((n) => matches(host, n));
        if (hit.some((n) => n.role === 'database' && !replaced.has(n.name))) continue;
        const bad = hit.find((n) => n.role === 'application' || (n.role === 'database' && replaced.has(n.name)));
        if (!bad) continue;
        report({
          range: ctx.range('/propertiesFile'),
          message: msg(bad.role === 'application' ? 'cupm/properties-db-host.application' : 'cupm/properties-db-host.replaced', {
            file: p,
            key: e.key,
            host,
            node: bad.name,
            databases: databases.map((n) => n.name),
          }),
          related: [
            { range: e.valueRange, path: abs, message: msg('cupm/properties-db-host.relatedValue', { key: e.key }) },
            related(bad.nameRange, msg('cupm/properties-db-host.relatedNode')),
          ],
        });
        return;
      }
    }
  },
};

export const cupmRules: ManifestRule[] = [
  upgradePath,
  sizeMemory,
  sizeTiny,
  sizeCapacity,
  installDirSpace,
  windowsUserLength,
  sameOs,
  windows2008,
  migrationOrder,
  coresidentApp,
  csaDisabled,
  antivirusDisabled,
  deploymentRoles,
  backup,
  dumpServices,
  configFiles,
  databaseFirst,
  postSync,
  lineUsers,
  verifyLogin,
  installTime,
  uninstallFirst,
  properties,
  propertiesDbHost,
];
