/**
 * Planner for iplanet-messaging (reference 004, appendix C): the in-place upgrade of an earlier 5.x release to
 * iPlanet Messaging Server 5.2 — the processes stopped (the Directory Server kept running), the cluster prepared
 * (Sun Cluster 2.2, Veritas), the backups, an old Directory Server upgraded first, the Messaging Server setup run,
 * the post-upgrade steps (configuration saved, store back, ims_dssetup.pl, Web Server, Delegated Administrator,
 * SUNWscims, the cluster set up again), the restart and the log check — and the back-out from 5.2.
 * The guide gives no durations, so no step has one.
 */
import { msg, type MessageKey } from '../l10n/index';
import { iplanet } from '../products/iplanet';
import { compareVersions, parseVersion } from '../versions';
import { note } from './note';
import type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

const ROLES = ['messaging', 'directory', 'web', 'admin'] as const;
const HA = ['none', 'sun-cluster-2.2', 'sun-cluster-3', 'veritas'] as const;
const DEFAULT_ROOT = '/usr/iplanet/server5';

type Key = Extract<MessageKey, `plan.ims.${string}`>;
const say = (key: Key, ...refs: string[]) => note(msg(key as 'plan.ims.stopDispatcher'), '004', ...refs);

const services = (n: PlanNode): string[] => (Array.isArray(n.services) ? n.services.filter((x): x is string => typeof x === 'string') : []);
const one = (names: string[]): { node: string } | { nodes: string[] } => (names.length === 1 ? { node: names[0] } : { nodes: names });

/** The Web Server version as the rules read it: [major, minor, service pack]. */
const webParts = (x: unknown) => iplanet.webServer(x);

function plan(req: PlanRequest): Plan {
  const from = parseVersion(req.from);
  const to = parseVersion(req.to);
  if (!from || !to) return { ok: false, rule: 'plan/unsupported', message: msg('plan.error.versions') };
  // 004 L110, L150 (004-17): an upgrade to 5.2 starts from an earlier 5.x release; the rule refuses the others.
  if (iplanet.is52(to) && compareVersions(from, to, 2) < 0 && !iplanet.supportedTo52(from))
    return { ok: false, rule: 'ims/upgrade-path', message: msg('ims/upgrade-path.message', { from: from.text }) };
  const facts = req.facts ?? {};
  const root = typeof facts.serverRoot === 'string' && facts.serverRoot.trim() ? facts.serverRoot.trim() : DEFAULT_ROOT;
  const nodes = req.nodes.map((n) => ({ ...n }));
  if (!nodes.some((n) => n.role === 'messaging')) return { ok: false, rule: 'plan/unsupported', message: msg('plan.ims.noMessaging') };
  if (iplanet.is52(from) && compareVersions(to, from, 2) < 0 && to.parts[0] === 5) return backout(req, nodes, root);
  if (!iplanet.is52(to) || compareVersions(from, to, 2) >= 0)
    return { ok: false, rule: 'plan/unsupported', message: msg('plan.ims.unsupported', { from: req.from, to: req.to }) };
  return upgrade(req, nodes, root);
}

function upgrade(req: PlanRequest, nodes: PlanNode[], root: string): Plan {
  const facts = req.facts ?? {};
  const ha = HA.includes(facts.highAvailability as (typeof HA)[number]) ? (facts.highAvailability as (typeof HA)[number]) : 'none';
  const dvText = facts.directoryServerVersion === undefined ? iplanet.DIRECTORY_SHIPPED : String(facts.directoryServerVersion);
  const dv = parseVersion(dvText);
  const dsOld = !!dv && iplanet.directoryTooOld(dv);
  const wvText = facts.webServerVersion === undefined || facts.webServerVersion === '' ? undefined : String(facts.webServerVersion);
  const wv = webParts(wvText);
  // A version the planner cannot read (`iWS 4.1 SP9`) would leave the Web Server unplanned while the rules ask for it.
  if (wvText !== undefined && !wv) return { ok: false, rule: 'plan/unsupported', message: msg('plan.ims.webVersion', { value: wvText }) };

  const messaging = nodes.filter((n) => n.role === 'messaging').map((n) => n.name);
  // Under high availability the cluster nodes share one installation: it is upgraded on the first node (the
  // physical host that masters the logical host under Sun Cluster 2.2, 004 L201). Otherwise each messaging node
  // is an installation of its own.
  const hosts = ha === 'none' ? messaging : messaging.slice(0, 1);
  const master = hosts[0];
  const colocated = nodes.filter((n) => hosts.includes(n.name) && services(n).includes('directory')).map((n) => n.name);
  const directories = [...nodes.filter((n) => n.role === 'directory').map((n) => n.name), ...colocated];
  const named = nodes.filter((n) => n.role === 'web' || services(n).includes('web')).map((n) => n.name);
  const webHosts = named.length ? named : wvText !== undefined ? hosts : [];
  const daHosts = nodes.filter((n) => services(n).includes('delegated-admin')).map((n) => n.name);
  const steps: PlanStep[] = [];
  const add = (s: PlanStep) => steps.push(s);

  // Stopping the message processes (004 L20–L34): the dispatcher first, then the Administration Server,
  // Messaging Server and the Web Server; the Directory Server keeps running.
  for (const h of hosts)
    add({ id: `stop-dispatcher-${h}`, action: 'stop-service', node: h, service: 'dispatcher', note: say('plan.ims.stopDispatcher', '01') });
  for (const h of hosts) {
    add({ id: `stop-admin-${h}`, action: 'stop-service', node: h, service: 'admin', note: say('plan.ims.stopAdmin', '02', '03') });
    add({ id: `stop-msg-${h}`, action: 'stop-service', node: h, service: 'msg', note: say('plan.ims.stopMsg', '02', '03') });
  }
  for (const h of webHosts) add({ id: `stop-web-${h}`, action: 'stop-service', node: h, service: 'web', note: say('plan.ims.stopWeb', '02') });

  // The cluster (004 L38, L199–L232).
  if (ha === 'sun-cluster-2.2') {
    add({ id: 'hareg-n', action: 'disable-ha', node: master, note: say('plan.ims.sc22Off', '04', '30', '31') });
    add({ id: 'hareg-u', action: 'command', node: master, run: 'hareg -u iMS50', note: say('plan.ims.sc22Unregister', '31') });
  } else if (ha === 'veritas') {
    add({ id: 'ims5-offline', action: 'disable-ha', node: master, note: say('plan.ims.vcsOffline', '04', '31') });
    add({
      id: 'ims5-unlink',
      action: 'command',
      node: master,
      run: 'hares -unlink mail logical_IP; hares -unlink mail mountshared',
      note: say('plan.ims.vcsUnlink', '31'),
    });
    add({ id: 'ims5-online', action: 'command', node: master, run: `hagrp -online iMS5 -sys ${master}`, note: say('plan.ims.vcsOnline', '31') });
  }
  if (ha === 'sun-cluster-2.2' || ha === 'veritas')
    for (const d of colocated) add({ id: `directory-running-${d}`, action: 'verify', node: d, note: say('plan.ims.directoryRunning', '32') });

  // Backups (004 L43–L83).
  for (const h of hosts) add({ id: `backup-server-root-${h}`, action: 'backup', node: h, target: 'server-root', note: say('plan.ims.backupRoot', '05', '38') });
  for (const h of hosts) add({ id: `backup-queue-${h}`, action: 'backup', node: h, target: 'message-queue', note: say('plan.ims.backupQueue', '06') });
  for (const d of directories) add({ id: `export-ldap-${d}`, action: 'backup', node: d, target: 'db2ldif', note: say('plan.ims.db2ldif', '07') });
  if (!directories.length) add({ id: 'export-ldap', action: 'backup', node: master, target: 'ldapsearch', note: say('plan.ims.ldapsearch', '08') });
  for (const h of hosts) add({ id: `save-store-${h}`, action: 'backup', node: h, target: 'message-store', note: say('plan.ims.saveStore', '09') });

  // The Directory Server upgrade (004 L86–L104): each instance in its own setup run, components 1, 2 and 3.
  const dsRuns = dsOld ? directories : [];
  for (const d of dsRuns)
    add({
      id: `upgrade-directory-${d}`,
      action: 'upgrade',
      node: d,
      components: ['core', 'directory', 'admin'],
      note: say('plan.ims.upgradeDirectory', '10', '12', '13', '14'),
    });
  for (const d of dsRuns) add({ id: `save-install-inf-${d}`, action: 'backup', node: d, target: 'config-files', note: say('plan.ims.saveInstallInf', '15') });
  if (dsRuns.length)
    add({ id: 'prepare-directory', action: 'command', node: dsRuns[0], run: 'perl ims_dssetup.pl', note: say('plan.ims.dssetupDirectory', '16') });

  // The Messaging Server upgrade (004 L108–L154): same machine, same server-root, ./setup -k, [2] Upgrade.
  for (const h of hosts) {
    const comps = dsRuns.length ? { components: ['core', 'admin', 'messaging'] } : {};
    const key: Key = dsRuns.length ? 'plan.ims.upgradeMessagingAfterDirectory' : dsOld ? 'plan.ims.upgradeMessagingWithDirectory' : 'plan.ims.upgradeMessaging';
    add({ id: `upgrade-messaging-${h}`, action: 'upgrade', node: h, ...comps, note: say(key, '17', '20', '21', '22') });
  }

  // After the upgrade (004 L157–L190, L215, L240, L247).
  for (const h of hosts) add({ id: `save-config-${h}`, action: 'backup', node: h, target: 'config-files', note: say('plan.ims.saveConfig', '24') });
  for (const h of hosts) add({ id: `return-store-${h}`, action: 'restore', node: h, target: 'message-store', note: say('plan.ims.returnStore', '25') });
  if (!dsRuns.length)
    add({ id: 'dssetup', action: 'command', node: directories[0] ?? master, run: 'perl ims_dssetup.pl', note: say('plan.ims.dssetupMessaging', '16') });
  if (wv && !iplanet.webServerSupported(wv))
    for (const w of webHosts)
      add({
        id: `install-web-server-${w}`,
        action: 'install',
        node: w,
        package: 'iplanet-web-server',
        version: '6.0sp2',
        note: say(iplanet.webServerUpgradable(wv) ? 'plan.ims.webUpgrade' : 'plan.ims.webMigrate', '26', '27'),
      });
  for (const d of daHosts)
    add({ id: `uninstall-delegated-admin-${d}`, action: 'uninstall', node: d, package: 'delegated-admin', note: say('plan.ims.daUninstall', '28') });
  for (const d of daHosts)
    add({
      id: `install-delegated-admin-${d}`,
      action: 'install',
      node: d,
      package: 'delegated-admin',
      version: iplanet.DELEGATED_ADMIN,
      note: say('plan.ims.daInstall', '28'),
    });
  // 004-18: the installer moved the old configuration aside; customisations are applied again by hand.
  for (const h of hosts) add({ id: `reapply-config-${h}`, action: 'verify', node: h, note: say('plan.ims.reapplyConfig', '18') });
  // The Web Server stopped at the start (004-02) runs again once it and Delegated Administrator are in place.
  for (const w of webHosts) add({ id: `start-web-${w}`, action: 'start-service', node: w, service: 'web', note: say('plan.ims.startWeb', '02') });
  if (ha === 'sun-cluster-3')
    add({ id: 'install-sunwscims', action: 'install', ...one(messaging), package: iplanet.SC3_AGENT, note: say('plan.ims.sc3Agent', '36', '37') });
  if (ha === 'sun-cluster-2.2') add({ id: 'sc22-agent', action: 'enable-ha', ...one(messaging), note: say('plan.ims.sc22Agent', '34', '35') });
  if (ha === 'veritas') add({ id: 'vcs-dependency-tree', action: 'enable-ha', ...one(messaging), note: say('plan.ims.vcsTree', '34') });
  for (const h of hosts)
    add({
      id: `start-msg-${h}`,
      action: 'start-service',
      node: h,
      service: 'msg',
      note: say(ha === 'none' ? 'plan.ims.startMsg' : 'plan.ims.startMsgHa', '23'),
    });
  for (const h of hosts) add({ id: `check-mail-log-${h}`, action: 'verify', node: h, note: say('plan.ims.verify', '29') });

  const header: Record<string, unknown> = {
    serverRoot: root,
    targetServerRoot: root,
    directoryServerVersion: dvText,
    ...(wvText !== undefined ? { webServerVersion: wvText } : {}),
    highAvailability: ha,
  };
  return { ok: true, header, nodes, steps };
}

/** The back-out (004 L251–L281): stops in the guide's order, the store unmounted, server-root restored, the store back, starts. */
function backout(req: PlanRequest, nodes: PlanNode[], root: string): Plan {
  const messaging = nodes.filter((n) => n.role === 'messaging').map((n) => n.name);
  const directories = [...nodes.filter((n) => n.role === 'directory'), ...nodes.filter((n) => n.role === 'messaging' && services(n).includes('directory'))].map(
    (n) => n.name,
  );
  const web = nodes.filter((n) => n.role === 'web' || services(n).includes('web')).map((n) => n.name);
  const da = nodes.filter((n) => services(n).includes('delegated-admin')).map((n) => n.name);
  const on: Record<string, string[]> = {
    'delegated-admin': da,
    web,
    msg: messaging,
    // The Directory Server is stopped and started wherever it runs; with no node named for it, on the messaging nodes.
    directory: directories.length ? directories : messaging,
    admin: messaging,
  };
  const steps: PlanStep[] = [];
  for (const svc of iplanet.BACKOUT_STOP)
    if (on[svc].length) steps.push({ id: `stop-${svc}`, action: 'stop-service', ...one(on[svc]), service: svc, note: say('plan.ims.backoutStop', '39') });
  steps.push({ id: 'unmount-store', action: 'unmount', ...one(messaging), target: 'message-store', note: say('plan.ims.backoutUnmount', '40') });
  steps.push({ id: 'restore-server-root', action: 'restore', ...one(messaging), target: 'server-root', note: say('plan.ims.backoutRestore', '38') });
  steps.push({ id: 'mount-store', action: 'mount', ...one(messaging), target: 'message-store', note: say('plan.ims.backoutMount', '41') });
  for (const svc of iplanet.BACKOUT_START)
    if (on[svc].length) steps.push({ id: `start-${svc}`, action: 'start-service', ...one(on[svc]), service: svc, note: say('plan.ims.backoutStart', '42') });
  const ha = typeof req.facts?.highAvailability === 'string' ? req.facts.highAvailability : 'none';
  return { ok: true, header: { serverRoot: root, targetServerRoot: root, highAvailability: ha }, nodes, steps };
}

const facts: FactSpec[] = [
  { key: 'highAvailability', values: HA, type: 'string', ask: msg('plan.ims.ask.highAvailability'), default: 'none' },
  { key: 'directoryServerVersion', type: 'string', ask: msg('plan.ims.ask.directoryServerVersion'), default: iplanet.DIRECTORY_SHIPPED },
  { key: 'webServerVersion', type: 'string', ask: msg('plan.ims.ask.webServerVersion') },
  { key: 'serverRoot', type: 'string', ask: msg('plan.ims.ask.serverRoot'), default: DEFAULT_ROOT },
];

// Every path of the guide: from 5.0 and 5.1 (004 L110; 5.0 in the HA resource names), each high-availability
// setup, a Directory Server that is current (4.16) or older (4.13); the Web Server cases (4.x migrated, 6.0
// upgraded, 6.0 SP2 kept); and the back-out from 5.2.
const paths: PlanPath[] = [
  ...['5.0', '5.1'].flatMap((from) =>
    HA.flatMap((highAvailability) =>
      ['4.16', '4.13'].map((directoryServerVersion) => ({ from, to: '5.2', facts: { highAvailability, directoryServerVersion } })),
    ),
  ),
  ...['4.1', '6.0', '6.0sp2'].map((webServerVersion) => ({
    from: '5.1',
    to: '5.2',
    facts: { highAvailability: 'none', directoryServerVersion: '4.13', webServerVersion },
  })),
  { from: '5.1', to: '5.2', facts: { highAvailability: 'veritas', directoryServerVersion: '4.16', webServerVersion: '4.1' } },
  { from: '5.2', to: '5.1', facts: { highAvailability: 'none' } },
  { from: '5.2', to: '5.0', facts: { highAvailability: 'none' } },
];

const refused: (PlanPath & { rule: string })[] = [
  { from: '4.1', to: '5.2', rule: 'ims/upgrade-path' },
  { from: '4.0', to: '5.2', rule: 'ims/upgrade-path' },
];

/** 1..3 messaging nodes, 0..2 directory nodes, sometimes a web node, a co-located directory, web and Delegated Administrator. */
function sampleNodes(rand: () => number, path: PlanPath): PlanNode[] {
  const pick = (n: number) => Math.floor(rand() * n);
  const ha = String(path.facts?.highAvailability ?? 'none');
  const backout = path.from === '5.2';
  const out: PlanNode[] = [];
  const msgCount = 1 + pick(ha === 'none' ? 2 : 3) + (ha === 'none' ? 0 : 0);
  const dirCount = pick(3);
  const colocated = rand() < 0.4 || (backout && dirCount === 0);
  const web = path.facts?.webServerVersion !== undefined || rand() < 0.3;
  const webNode = web && rand() < 0.5;
  const da = rand() < 0.3;
  for (let i = 1; i <= msgCount; i++) {
    const svc: string[] = [];
    if (i === 1 && colocated) svc.push('directory');
    if (i === 1 && web && !webNode) svc.push('web');
    if (i === 1 && da) svc.push('delegated-admin');
    out.push({ name: `mail${i}`, role: 'messaging', os: 'solaris', ...(svc.length ? { services: svc } : {}) });
  }
  for (let i = 1; i <= dirCount; i++) out.push({ name: `ldap${i}`, role: 'directory', os: 'solaris' });
  if (webNode) out.push({ name: 'web1', role: 'web', os: 'solaris' });
  return out;
}

export const iplanetPlanner: ProductPlanner = {
  product: 'iplanet-messaging',
  roles: ROLES,
  facts,
  plan,
  paths,
  refused,
  sampleNodes,
};
