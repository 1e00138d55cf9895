/**
 * Planner for Cisco Unified Provisioning Manager (reference 001): the in-place upgrade from 2.1 or 2.2 to 8.5 on
 * one system or on separate database and application systems (001-40 … 001-48), the move of 8.5 from Windows
 * Server 2003 to 2008 by backup, installation and restore (001-07, 001-08, 001-53, 001-56 … 001-59), the two
 * together (upgrade on 2003, then move), and going back to 2.1 or 2.2 after a failed upgrade (001-54 … 001-58).
 */
import { msg, type Message } from '../l10n/index';
import { cupm } from '../products/index';
import { coresidentKind, coresidentMessage, listsProgram } from '../rules/cupm';
import { compareVersions, parseVersion, v, type Version } from '../versions';
import { note } from './note';
import type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

const ROLES = ['all-in-one', 'application', 'database'] as const;
const V85 = cupm.FIRST_ON_2008;
const DEFAULT_DIR = 'C:\\CUPM';
/** 001-51: the services stopped around pg_dumpall and psql, with the names the guide gives them. */
const DUMP_SERVICES: { service: (typeof cupm.DUMP_SERVICES)[number]; name: string }[] = [
  { service: 'apache', name: 'Apache' },
  { service: 'jboss', name: 'cupm JBossService' },
  { service: 'nice', name: 'cupm NiceService' },
];

const n001 = (text: Message, ...refs: string[]) => note(text, '001', ...refs);
const refuse = (rule: string, message: Message): Plan => ({ ok: false, rule, message });
const runsCupm = (n: PlanNode) => n.role === 'all-in-one' || n.role === 'application';

const FACTS: FactSpec[] = [
  { key: 'size', type: 'string', values: ['small', 'medium', 'large'], ask: msg('plan.cupm.ask.size') },
  { key: 'https', type: 'boolean', ask: msg('plan.cupm.ask.https'), default: false },
  { key: 'moveTo2008', type: 'boolean', ask: msg('plan.cupm.ask.moveTo2008'), default: false },
  { key: 'installDir', type: 'string', ask: msg('plan.cupm.ask.installDir'), default: DEFAULT_DIR },
];

type Kind = 'upgrade' | 'move' | 'revert';

/** What the guide has for from → to: an upgrade to 8.5, a move of 8.5, a way back after a failed upgrade. */
function kindOf(from: Version, to: Version): Kind | undefined {
  const is = (x: Version, y: Version) => compareVersions(x, y, 2) === 0;
  const old = (x: Version) => is(x, v('2.1')) || is(x, v('2.2'));
  if (is(to, V85) && old(from)) return 'upgrade';
  if (is(to, V85) && is(from, V85)) return 'move';
  if (is(from, V85) && old(to)) return 'revert';
  return undefined;
}

/** A name not taken yet. */
function freeName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** The first problem the linter would report about the header and the nodes, as the rule words it. */
function problem(req: PlanRequest, nodes: PlanNode[], from: Version, to: Version, kind: Kind): Plan | undefined {
  const f = req.facts ?? {};
  const replaced = new Set(nodes.map((n) => n.replaces).filter((x): x is string => typeof x === 'string'));
  // 001-30: one all-in-one system, or application and database systems.
  const active = nodes.filter((n) => !replaced.has(n.name));
  const count = (role: string) => active.filter((n) => n.role === role).length;
  const dep = deploymentOf(req, nodes);
  const depOk =
    dep === 'single' ? count('all-in-one') === 1 && active.length === 1 : count('application') >= 1 && count('database') >= 1 && count('all-in-one') === 0;
  if (!depOk)
    return refuse(
      'cupm/deployment-roles',
      msg(dep === 'single' ? 'cupm/deployment-roles.single' : 'cupm/deployment-roles.distributed', { roles: active.map((n) => `${n.name} (${n.role})`) }),
    );
  if (f.size === 'tiny') return refuse('cupm/size-tiny', msg('cupm/size-tiny.message'));
  if (f.size === 'medium' || f.size === 'large')
    for (const n of nodes)
      if (typeof n.memoryMB === 'number' && n.memoryMB < cupm.MIN_MEMORY_MB)
        return refuse('cupm/size-memory', msg('cupm/size-memory.message', { node: n.name, memory: n.memoryMB, size: String(f.size) }));
  const dir = f.installDir;
  if (typeof dir === 'string' && /\s/.test(dir)) return refuse('cupm/install-dir-space', msg('cupm/install-dir-space.message', { d: dir }));
  const user = f.windowsUser;
  if (typeof user === 'string' && user.length > 20)
    return refuse('cupm/windows-user-length', msg('cupm/windows-user-length.message', { user, length: user.length }));
  // 001-07: 2.x does not run on Windows Server 2008; it is upgraded in place on 2003 and moved after.
  for (const n of nodes) {
    if (n.os !== 'windows-2008') continue;
    if (kind === 'revert') return refuse('cupm/windows-2008', msg('cupm/windows-2008.message', { node: n.name, to: to.text }));
    if (kind === 'upgrade' && typeof n.replaces !== 'string')
      return refuse('cupm/windows-2008', msg('cupm/windows-2008.inPlace', { node: n.name, from: from.text, to: to.text }));
  }
  // 001-21: the application and the database of one generation run the same OS.
  for (const old of [false, true]) {
    const group = nodes.filter((n) => replaced.has(n.name) === old);
    const db = group.find((n) => n.role === 'database' && typeof n.os === 'string');
    const app = db && group.find((n) => n.role === 'application' && typeof n.os === 'string' && n.os !== db.os);
    if (db && app)
      return refuse('cupm/same-os', msg('cupm/same-os.message', { node: app.name, os: String(app.os), database: db.name, databaseOs: String(db.os) }));
  }
  // 001-09: a dedicated server.
  for (const n of nodes)
    for (const svc of Array.isArray(n.services) ? n.services : []) {
      const k = coresidentKind(svc);
      if (k) return refuse('cupm/coresident-app', coresidentMessage(String(svc), n.name, k));
    }
  return undefined;
}

const deploymentOf = (req: PlanRequest, nodes: PlanNode[]): 'single' | 'distributed' =>
  req.facts?.deployment === 'single' || req.facts?.deployment === 'distributed'
    ? req.facts.deployment
    : nodes.some((n) => n.role === 'all-in-one')
      ? 'single'
      : 'distributed';

function plan(req: PlanRequest): Plan {
  const from = parseVersion(req.from);
  const to = parseVersion(req.to);
  if (!from || !to) return refuse('plan/unsupported', msg('plan.error.versions'));
  // 001-40: 8.5 is reached from 2.1 or 2.2 only (the rule's own check and message).
  if (cupm.supportedTo85(from, to) === false) return refuse('cupm/upgrade-path', msg('cupm/upgrade-path.message', { to: to.text, from: from.text }));
  const kind = kindOf(from, to);
  if (!kind) return refuse('plan/unsupported', msg('plan.cupm.unsupported', { from: from.text, to: to.text }));
  const f = req.facts ?? {};
  const dir = typeof f.installDir === 'string' && f.installDir !== '' ? f.installDir : DEFAULT_DIR;

  // The nodes: the systems of today (Windows Server 2003 unless said otherwise) and, for a move, the new ones.
  const taken = new Set(req.nodes.map((n) => n.name));
  const nodes: PlanNode[] = req.nodes.map((n) => ({ ...n, os: n.os ?? (typeof n.replaces === 'string' ? 'windows-2008' : 'windows-2003') }));
  const explicitMove = nodes.some((n) => typeof n.replaces === 'string');
  if (kind === 'revert' && explicitMove) return refuse('plan/unsupported', msg('plan.cupm.unsupported', { from: from.text, to: to.text }));
  const move = kind !== 'revert' && (kind === 'move' || explicitMove || f.moveTo2008 === true || f.moveTo2008 === 'true');
  if (move && !explicitMove)
    for (const n of [...nodes])
      nodes.push({
        name: freeName(`${n.name}-w2008`, taken),
        role: n.role,
        os: 'windows-2008',
        ...(n.memoryMB !== undefined ? { memoryMB: n.memoryMB } : {}),
        // The same programs (Cisco Security Agent, antivirus) on the new system: disabled there too (001-20, 001-23).
        ...(n.services !== undefined ? { services: n.services } : {}),
        replaces: n.name,
      });
  const bad = problem(req, nodes, from, to, kind);
  if (bad) return bad;

  const newNodes = nodes.filter((n) => typeof n.replaces === 'string');
  const oldNodes = nodes.filter((n) => typeof n.replaces !== 'string');
  const steps: PlanStep[] = [];
  const ids = new Set<string>();
  const add = (base: string, s: { action: string; node: string; note: Message; [key: string]: unknown }) => steps.push({ id: freeName(base, ids), ...s });
  const byRole = (gen: PlanNode[], role: string) => gen.filter((n) => n.role === role);
  // Database systems first (001-46), then the systems that run Provisioning Manager.
  const ordered = (gen: PlanNode[]) => [...byRole(gen, 'database'), ...gen.filter(runsCupm)];

  /** 001-20, 001-23: Cisco Security Agent and virus scanning off on a node before its installer runs, on after. */
  const programs = (n: PlanNode, action: 'stop-service' | 'start-service') => {
    for (const program of ['csa', 'antivirus'] as const) {
      if (!listsProgram(n.services, program)) continue;
      const key =
        program === 'csa'
          ? action === 'stop-service'
            ? 'plan.cupm.stopCsa'
            : 'plan.cupm.startCsa'
          : action === 'stop-service'
            ? 'plan.cupm.stopAntivirus'
            : 'plan.cupm.startAntivirus';
      add(`${action === 'stop-service' ? 'disable' : 'enable'}-${program}-${n.name}`, {
        action,
        node: n.name,
        service: program,
        note: n001(msg(key), program === 'csa' ? '20' : '23'),
      });
    }
  };
  /** 001-51, 001-57: Apache, JBoss and NICE stopped on the systems that run Provisioning Manager (or started). */
  const services = (gen: PlanNode[], action: 'stop-service' | 'start-service', restore: boolean) => {
    for (const n of gen.filter(runsCupm))
      for (const s of DUMP_SERVICES)
        add(`${action === 'stop-service' ? 'stop' : 'start'}-${s.service}-${n.name}`, {
          action,
          node: n.name,
          service: s.service,
          note: n001(msg(action === 'stop-service' ? 'plan.cupm.stopService' : 'plan.cupm.startService', { service: s.name }), restore ? '57' : '51'),
        });
  };
  /** A pg_dumpall backup with the configuration files (001-42, 001-52, 001-53), the services stopped around it. */
  const dump = (gen: PlanNode[], forMove: boolean) => {
    const runner = gen.filter(runsCupm)[0];
    services(gen, 'stop-service', false);
    add(`dump-database-${runner.name}`, {
      action: 'backup',
      node: runner.name,
      target: 'pg_dumpall',
      note: forMove ? n001(msg('plan.cupm.dumpForMove'), '08', '52', '49') : n001(msg('plan.cupm.dumpBeforeUpgrade'), '42', '52', '49'),
    });
    add(`copy-config-${runner.name}`, {
      action: 'backup',
      node: runner.name,
      target: 'cupm-config',
      note: n001(msg(forMove ? 'plan.cupm.configForMove' : 'plan.cupm.configBeforeUpgrade'), '53', ...(forMove ? [] : ['54'])),
    });
    services(gen, 'start-service', false);
  };
  /** The restore into a new installation (001-56 … 001-59), the services stopped around it. */
  const restore = (gen: PlanNode[], mode: 'move' | 'revert', old?: PlanNode[]) => {
    const runner = gen.filter(runsCupm)[0];
    services(gen, 'stop-service', true);
    add(`restore-database-${runner.name}`, {
      action: 'restore',
      node: runner.name,
      target: 'pg_dumpall',
      note: mode === 'move' ? n001(msg('plan.cupm.restoreDump'), '08', '56', '58') : n001(msg('plan.cupm.restoreRollback', { to: to.text }), '54', '56', '58'),
    });
    add(`copy-config-back-${runner.name}`, { action: 'restore', node: runner.name, target: 'cupm-config', note: n001(msg('plan.cupm.restoreConfig'), '53') });
    // 001-31, 001-59: a database server at a new address (the new systems of a distributed move).
    const db = byRole(gen, 'database')[0];
    if (old && db) {
      const oldApp = old.filter(runsCupm)[0];
      const oldAddress = typeof oldApp?.address === 'string' ? oldApp.address : '<old NICE server IP address>';
      add(`new-db-address-${runner.name}`, {
        action: 'command',
        node: runner.name,
        run: `notepad ${dir}\\sep\\dfc.properties`,
        note: n001(msg('plan.cupm.newHost'), '31', '59'),
      });
      add(`nice-row-${db.name}`, {
        action: 'command',
        node: db.name,
        run: `psql.exe -U postgres -d cupm -c "delete from nicesyseng where host='${oldAddress}'"`,
        note: n001(msg('plan.cupm.niceRow'), '59'),
      });
      add(`restart-postgresql-${db.name}`, {
        action: 'command',
        node: db.name,
        run: 'net stop cupmPostgreSQL && net start cupmPostgreSQL',
        note: n001(msg('plan.cupm.pgRestart'), '59'),
      });
    }
    services(gen, 'start-service', true);
  };

  const header: Record<string, unknown> = {};
  if (typeof f.size === 'string') header.size = f.size;
  header.deployment = deploymentOf(req, nodes);
  header.installDir = dir;
  if (typeof f.windowsUser === 'string') header.windowsUser = f.windowsUser;

  if (kind === 'revert') {
    // 001-54: the uninstall program first (manual removal only if it fails), then the old release again, then the
    // manual backup restored into that new installation.
    for (const n of [...nodes.filter(runsCupm), ...byRole(nodes, 'database')])
      add(`uninstall-${n.name}`, { action: 'uninstall', node: n.name, package: 'cupm', note: n001(msg('plan.cupm.uninstall'), '54', '55', '60') });
    for (const n of ordered(nodes)) {
      programs(n, 'stop-service');
      add(`install-${to.text}-${n.name}`, { action: 'install', node: n.name, note: n001(msg('plan.cupm.reinstall', { to: to.text }), '54') });
      programs(n, 'start-service');
    }
    restore(nodes, 'revert');
    return { ok: true, header, nodes, steps };
  }

  if (kind === 'upgrade') {
    const gen = oldNodes;
    const runners = gen.filter(runsCupm);
    const primary = runners[0];
    // 001-41: the OpenSSL libraries, before upgrading.
    const https = f.https === true || f.https === 'true';
    for (const n of runners)
      add(https ? `upgrade-openssl-${n.name}` : `delete-openssl-dlls-${n.name}`, {
        action: https ? 'install' : 'command',
        node: n.name,
        ...(https ? { package: 'win32-openssl' } : { run: `del ${dir}\\httpd\\bin\\libeay32.dll ${dir}\\httpd\\bin\\ssleay32.dll` }),
        note: n001(msg(https ? 'plan.cupm.openssl' : 'plan.cupm.dll'), '41'),
      });
    dump(gen, false);
    // 001-46: the database server, then the application server; one system is simply upgraded.
    for (const n of ordered(gen)) {
      programs(n, 'stop-service');
      const key = header.deployment === 'single' ? 'plan.cupm.upgradeSingle' : n.role === 'database' ? 'plan.cupm.upgradeDb' : 'plan.cupm.upgradeApp';
      add(`upgrade-${n.name}`, {
        action: 'upgrade',
        node: n.name,
        note: n001(msg(key), '24', '43', ...(header.deployment === 'single' ? [] : ['44', '45', '46'])),
      });
      programs(n, 'start-service');
    }
    add(`check-login-${primary.name}`, { action: 'verify', node: primary.name, note: n001(msg('plan.cupm.verify'), '36') });
    add(`sync-processors-${primary.name}`, { action: 'sync', node: primary.name, note: n001(msg('plan.cupm.sync'), '47') });
    if (compareVersions(from, cupm.LINE_USERS_FROM, 2) === 0)
      add(`line-users-${primary.name}`, {
        action: 'command',
        node: primary.name,
        run: `${dir}\\sep\\build\\bin\\${cupm.LINE_USERS_UTILITY} -u padmin -p \${env:CUPM_ADMIN_PASSWORD}`,
        note: n001(msg('plan.cupm.lineUsers'), '48'),
      });
  }

  if (move) {
    // 001-08: on 8.5 (step 1), back up on 2003 (2), install 8.5 on 2008 (3), restore there (4).
    const old = oldNodes;
    if (kind === 'move') {
      const runner = old.filter(runsCupm)[0];
      add(`check-85-${runner.name}`, { action: 'verify', node: runner.name, note: n001(msg('plan.cupm.check85'), '07', '08') });
    }
    dump(old, true);
    const single = header.deployment === 'single';
    for (const n of ordered(newNodes)) {
      programs(n, 'stop-service');
      const key = single ? 'plan.cupm.installSingle' : n.role === 'database' ? 'plan.cupm.installDb' : 'plan.cupm.installApp';
      add(`install-8.5-${n.name}`, {
        action: 'install',
        node: n.name,
        duration: `${cupm.INSTALL_MINUTES}m`,
        note: n001(msg(key), '08', '19', ...(single ? [] : ['30', '44'])),
      });
      programs(n, 'start-service');
    }
    const runner = newNodes.filter(runsCupm)[0];
    add(`check-login-${runner.name}`, { action: 'verify', node: runner.name, note: n001(msg('plan.cupm.verify'), '36') });
    restore(newNodes, 'move', single ? undefined : old);
  }
  return { ok: true, header, nodes, steps };
}

// ---------------------------------------------------------------------------------------------------------
// The paths of the property test and the node sets drawn for them.

const PATHS: PlanPath[] = [
  ...['2.1', '2.2'].flatMap((from) =>
    (['single', 'distributed'] as const).flatMap((deployment) =>
      [false, true].flatMap((moveTo2008) =>
        [false, true].map((https) => ({
          from,
          to: '8.5',
          facts: { deployment, moveTo2008, https, size: https ? 'large' : deployment === 'single' ? 'small' : 'medium' },
        })),
      ),
    ),
  ),
  ...(['single', 'distributed'] as const).map((deployment) => ({ from: '8.5', to: '8.5', facts: { deployment, size: 'medium' } })),
  ...['2.1', '2.2'].flatMap((to) => (['single', 'distributed'] as const).map((deployment) => ({ from: '8.5', to, facts: { deployment, size: 'small' } }))),
];

const REFUSED: (PlanPath & { rule: string })[] = [
  { from: '2.0', to: '8.5', rule: 'cupm/upgrade-path' },
  { from: '1.3', to: '8.5', rule: 'cupm/upgrade-path' },
];

function sampleNodes(rand: () => number, path: PlanPath): PlanNode[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const memory = () => pick([4096, 6144, 8192, 16384]);
  const programs = () => [...(rand() < 0.3 ? ['Cisco Security Agent'] : []), ...(rand() < 0.3 ? ['McAfee VirusScan'] : [])];
  const node = (name: string, role: string): PlanNode => {
    const services = programs();
    return { name, role, memoryMB: memory(), os: 'windows-2003', ...(services.length ? { services } : {}) };
  };
  const out: PlanNode[] =
    path.facts?.deployment === 'distributed'
      ? [
          ...Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, i) => node(`cupm-app${i + 1}`, 'application')),
          ...Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, i) => node(`cupm-db${i + 1}`, 'database')),
        ]
      : [node('cupm01', 'all-in-one')];
  // A move: the new Windows Server 2008 systems given with `replaces`, or left to the planner.
  const moving = path.facts?.moveTo2008 === true || (path.from === '8.5' && path.to === '8.5');
  if (moving && rand() < 0.5)
    for (const n of [...out]) out.push({ name: `${n.name}-new`, role: n.role, os: 'windows-2008', memoryMB: memory(), replaces: n.name });
  return out;
}

export const cupmPlanner: ProductPlanner = {
  product: 'cupm',
  roles: ROLES,
  facts: FACTS,
  plan,
  paths: PATHS,
  refused: REFUSED,
  sampleNodes,
};
