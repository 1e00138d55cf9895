/**
 * Planner for CallManager (reference 003, the Cisco CallManager 4.1 pre-installation and upgrade FAQ): an upgrade
 * of a cluster to 4.1(x) from 3.3 or later. Before any upgrade: the service releases (003-25), the operating
 * system where 4.1(3) wants a newer one (003-26), a drive of the publisher kept as the fallback (003-50, 003-51),
 * Terminal Services, VNC and the Cisco-verified applications disabled (003-43, 003-46, 003-19). Then one server at a
 * time in the documented role order (003-02, 003-05, 003-32, 003-39), each out of its Windows domain first (003-13).
 * After the last one: Terminal Services enabled (003-44), the domain rejoined with the Cisco NTP service disabled on
 * every server (003-47), co-resident CRS upgraded (003-40), the verified applications enabled (003-17, 003-58) and
 * the devices' registration checked (003-38).
 */
import { msg, type Message } from '../l10n/index';
import { callmanager } from '../products/callmanager';
import { compareVersions, parseVersion } from '../versions';
import { note } from './note';
import type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

const ORDER = callmanager.ORDER;
type Role = (typeof ORDER)[number];

/** A `services` word as the rules read it (rules/ccm.ts): lower case, blanks as `-`, without a leading `cisco-`. */
const word = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^cisco-/, '');
const servicesOf = (n: PlanNode): string[] => (Array.isArray(n.services) ? n.services.filter((x): x is string => typeof x === 'string').map(word) : []);
/** A server where CallManager is installed: every role but `application`, and an application server listing it. */
const runsCallManager = (n: PlanNode) => n.role !== 'application' || servicesOf(n).includes('callmanager');
const rankOf = (n: PlanNode) => ORDER.indexOf(n.role as Role);
/** The recommended operating system before 4.1(3) (003-26). */
const OS_TARGET = '2000.2.7sr2';
const NETSCAPE = /netscape/i;

const g = (text: Message, ...refs: string[]) => note(text, '003', ...refs);
const refuse = (rule: string, message: Message): Plan => ({ ok: false, rule, message });

/** What the servers are and have, checked against the guide before anything is planned. */
function refusal(req: PlanRequest, nodes: PlanNode[]): Plan | undefined {
  const from = parseVersion(req.from);
  const to = parseVersion(req.to);
  if (!from || !to) return refuse('plan/unsupported', msg('plan.ccm.unsupported', { from: req.from, to: req.to }));
  // 003-24: the same check and message as ccm/upgrade-path.
  if (callmanager.noDirectPath(from, to)) return refuse('ccm/upgrade-path', msg('ccm/upgrade-path.message', { from: from.text, to: to.text }));
  // The guide is about upgrades to 4.1(x).
  if (!callmanager.is41(to) || compareVersions(to, from) <= 0) return refuse('plan/unsupported', msg('plan.ccm.unsupported', { from: req.from, to: req.to }));
  for (const n of nodes) {
    const ccm = runsCallManager(n);
    // 003-01: at least 1 GB on every CallManager server.
    if (ccm && typeof n.memoryMB === 'number' && n.memoryMB < callmanager.MIN_MEMORY_MB)
      return refuse('ccm/memory', msg('ccm/memory.message', { node: n.name, memory: n.memoryMB }));
    // 003-12: no domain controller in the cluster; 003-14: static addresses.
    if (n.domainController === true) return refuse('ccm/domain-controller', msg('ccm/domain-controller.message', { node: n.name }));
    if (n.staticIp === false) return refuse('ccm/static-ip', msg('ccm/static-ip.message', { node: n.name }));
    for (const svc of Array.isArray(n.services) ? n.services : []) {
      if (typeof svc !== 'string') continue;
      // 003-21, 003-53: applications that never share a CallManager server.
      if (ccm && callmanager.CORESIDENT.includes(word(svc)))
        return refuse('ccm/coresident-app', msg('ccm/coresident-app.message', { service: svc, node: n.name }));
      // 003-22: no Netscape Navigator on the servers.
      if (NETSCAPE.test(svc)) return refuse('ccm/netscape', msg('ccm/netscape.message', { node: n.name }));
      // 003-34: a services-only server does not run the CallManager service.
      if (n.role === 'services' && word(svc) === 'callmanager')
        return refuse('ccm/services-role-callmanager', msg('ccm/services-role-callmanager.message', { node: n.name }));
    }
  }
  return undefined;
}

const UPGRADE_NOTE: Record<Role, { key: Parameters<typeof msg>[0]; refs: string[] }> = {
  publisher: { key: 'plan.ccm.upgradePublisher', refs: ['02', '05', '06', '16', '32'] },
  tftp: { key: 'plan.ccm.upgradeTftp', refs: ['05', '32', '33'] },
  services: { key: 'plan.ccm.upgradeServices', refs: ['05', '32', '34'] },
  secondary: { key: 'plan.ccm.upgradeSecondary', refs: ['05', '32', '35', '36'] },
  primary: { key: 'plan.ccm.upgradePrimary', refs: ['05', '32', '38'] },
  application: { key: 'plan.ccm.upgradeApplication', refs: ['28', '39'] },
};

function plan(req: PlanRequest): Plan {
  const facts = req.facts ?? {};
  const domain = typeof facts.windowsDomain === 'string' ? facts.windowsDomain.trim() : '';
  const viaVnc = facts.publisherVia === 'vnc';
  const drive = facts.driveFallback !== false;
  // The servers as given; a domain given as a fact is the domain of every CallManager server that names none.
  const nodes: PlanNode[] = req.nodes.map((n) => (domain && runsCallManager(n) && n.windowsDomain === undefined ? { ...n, windowsDomain: domain } : { ...n }));
  const refused = refusal(req, nodes);
  if (refused) return refused;
  const to = parseVersion(req.to)!;
  const from = parseVersion(req.from)!;

  // One server at a time in the documented order; servers of one role in the order given.
  const ordered = [...nodes].sort((a, b) => rankOf(a) - rankOf(b));
  const ccm = ordered.filter(runsCallManager);
  const names = (xs: PlanNode[]) => xs.map((n) => n.name);
  const target = (xs: PlanNode[]): { node: string } | { nodes: string[] } => (xs.length === 1 ? { node: xs[0].name } : { nodes: names(xs) });
  const has = (service: string) => ccm.filter((n) => servicesOf(n).includes(service));
  const pub = ordered.find((n) => n.role === 'publisher');
  const inDomain = ccm.filter((n) => typeof n.windowsDomain === 'string' && n.windowsDomain.trim() !== '');
  const steps: PlanStep[] = [];

  // --- Before any upgrade.
  if (ccm.length)
    steps.push({ id: 'service-releases', action: 'install', ...target(ccm), package: 'service-releases', note: g(msg('plan.ccm.serviceReleases'), '25') });
  // 003-26: the operating system 4.1(3) wants, on each server below it.
  if (compareVersions(to, parseVersion('4.1(3)')!, 3) >= 0) {
    for (const n of ccm) {
      const os = callmanager.parseOs(n.osVersion);
      if (!os || callmanager.compareOs(os, callmanager.OS_RECOMMENDED) >= 0) continue;
      const old = from.parts[0] === 3 && callmanager.compareOs(os, callmanager.OS_UPGRADE_CD_FROM_33) < 0;
      steps.push({
        id: `os-upgrade-${n.name}`,
        action: 'install',
        node: n.name,
        package: 'cisco-ip-telephony-os',
        version: OS_TARGET,
        note: g(msg(old ? 'plan.ccm.osUpgradeOld' : 'plan.ccm.osUpgrade', { node: n.name, os: String(n.osVersion), version: OS_TARGET }), '26'),
      });
    }
  }
  // 003-49 to 003-51: a drive of the publisher kept as the fallback, where the hardware allows it.
  if (drive && pub && !callmanager.noDriveRemoval(pub.hardware)) {
    const two = callmanager.twoDrives(pub.hardware);
    steps.push({
      id: `remove-drive-${pub.name}`,
      action: 'backup',
      node: pub.name,
      target: 'drive',
      note: g(msg(two ? 'plan.ccm.removeDrive7845' : 'plan.ccm.removeDrive', { node: pub.name }), '49', '50', '51'),
    });
  }
  if (ccm.length)
    steps.push({
      id: 'disable-terminal-services',
      action: 'stop-service',
      ...target(ccm),
      service: 'terminal-services',
      note: g(msg('plan.ccm.disableTs'), '15', '43'),
    });
  // 003-45, 003-46: VNC is disabled where it does not carry the upgrade.
  const vnc = has('vnc').filter((n) => !(viaVnc && n.role === 'publisher'));
  if (vnc.length) steps.push({ id: 'disable-vnc', action: 'stop-service', ...target(vnc), service: 'vnc', note: g(msg('plan.ccm.disableVnc'), '45', '46') });
  const verified = has('verified-apps');
  if (verified.length)
    steps.push({
      id: 'disable-verified-apps',
      action: 'stop-service',
      ...target(verified),
      service: 'verified-apps',
      note: g(msg('plan.ccm.disableVerifiedApps'), '19'),
    });

  // --- The upgrades, one server at a time.
  for (const n of ordered) {
    if (inDomain.includes(n))
      steps.push({ id: `leave-domain-${n.name}`, action: 'leave-domain', node: n.name, note: g(msg('plan.ccm.leaveDomain', { node: n.name }), '13') });
    const role = (ORDER.includes(n.role as Role) ? n.role : 'application') as Role;
    const vncHere = viaVnc && n.role === 'publisher';
    const text = vncHere
      ? g(msg('plan.ccm.upgradePublisherVnc', { node: n.name }), '02', '05', '06', '45')
      : g(msg(UPGRADE_NOTE[role].key as 'plan.ccm.upgradeTftp', { node: n.name }), ...UPGRADE_NOTE[role].refs);
    steps.push({ id: `upgrade-${n.name}`, action: 'upgrade', node: n.name, via: vncHere ? 'vnc' : 'console', note: text });
  }

  // --- After the last upgrade.
  if (ccm.length)
    steps.push({
      id: 'enable-terminal-services',
      action: 'start-service',
      ...target(ccm),
      service: 'terminal-services',
      note: g(msg('plan.ccm.enableTs'), '44'),
    });
  if (inDomain.length) {
    steps.push({ id: 'rejoin-domain', action: 'join-domain', ...target(inDomain), note: g(msg('plan.ccm.rejoinDomain'), '13', '47') });
    steps.push({ id: 'disable-cisco-ntp', action: 'stop-service', ...target(ccm), service: 'ntp', note: g(msg('plan.ccm.disableNtp'), '47', '48') });
  }
  for (const n of ordered.filter((x) => servicesOf(x).includes('crs')))
    steps.push({ id: `upgrade-crs-${n.name}`, action: 'install', node: n.name, package: 'crs', note: g(msg('plan.ccm.upgradeCrs', { node: n.name }), '40') });
  if (verified.length)
    steps.push({
      id: 'enable-verified-apps',
      action: 'start-service',
      ...target(verified),
      service: 'verified-apps',
      note: g(msg('plan.ccm.enableVerifiedApps'), '17', '58'),
    });
  if (ccm.length) {
    const primaries = ccm.some((n) => n.role === 'primary');
    steps.push({
      id: 'verify-registration',
      action: 'verify',
      ...target(ccm),
      // 003-38: the devices may take up to 30 minutes to register again after the primaries' upgrade.
      ...(primaries ? { duration: '30m' } : {}),
      note: g(msg(primaries ? 'plan.ccm.verifyPrimaries' : 'plan.ccm.verify'), ...(primaries ? ['38', '58'] : ['58'])),
    });
  }
  return { ok: true, header: {}, nodes, steps };
}

const facts: FactSpec[] = [
  { key: 'windowsDomain', type: 'string', ask: msg('plan.ccm.ask.windowsDomain'), default: '' },
  { key: 'publisherVia', type: 'string', values: ['console', 'vnc'], ask: msg('plan.ccm.ask.publisherVia'), default: 'console' },
  { key: 'driveFallback', type: 'boolean', ask: msg('plan.ccm.ask.driveFallback'), default: true },
];

/** Every path of the guide: from 3.3, 4.0 and an earlier 4.1 to 4.1(x), with and without the facts that change the plan. */
const paths: PlanPath[] = [
  { from: '3.3(5)', to: '4.1(3)' },
  { from: '4.0(2a)', to: '4.1(3)' },
  { from: '4.1(2)', to: '4.1(3)' },
  { from: '3.3(4)', to: '4.1(2)' },
  { from: '4.0(1)', to: '4.1(2)' },
  { from: '4.1(1)', to: '4.1(2)' },
  { from: '4.0(2a)', to: '4.1(3)', facts: { windowsDomain: 'CORP' } },
  { from: '3.3(3)', to: '4.1(3)', facts: { publisherVia: 'vnc' } },
  { from: '3.3(5)', to: '4.1(3)', facts: { driveFallback: false } },
  { from: '3.3(5)', to: '4.1(3)', facts: { windowsDomain: 'CORP', publisherVia: 'vnc', driveFallback: false } },
  { from: '4.0(2a)', to: '4.1(2)', facts: { windowsDomain: 'CORP' } },
];

/** 003-24: from 3.2 or earlier, every server goes to 3.3 first. */
const refused: (PlanPath & { rule: string })[] = [
  { from: '3.2(3)', to: '4.1(3)', rule: 'ccm/upgrade-path' },
  { from: '3.1(4)', to: '4.1(3)', rule: 'ccm/upgrade-path' },
  { from: '3.0(12)', to: '4.1(2)', rule: 'ccm/upgrade-path' },
];

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const HARDWARE = [undefined, 'MCS-7835-H2', 'MCS-7845-H2', 'MCS-7825-H1', 'MCS-7815-I1', 'MCS-7830'] as const;
const OS = [undefined, '2000.2.7sr2', '2000.2.6sr4', '2000.4.1sr2', '2000.2.1'] as const;
const APPS = [['emergency-responder'], ['conference-connection'], ['ipma'], ['personal-assistant'], ['unity']] as const;

/** One publisher, then 0..n servers of each other role, with the node keys the rules read. */
function sampleNodes(rand: () => number, path: PlanPath): PlanNode[] {
  const counts: Record<Role, number> = {
    publisher: 1,
    tftp: Math.floor(rand() * 2),
    services: Math.floor(rand() * 3),
    secondary: Math.floor(rand() * 3),
    primary: Math.floor(rand() * 5),
    application: Math.floor(rand() * 3),
  };
  const prefix: Record<Role, string> = {
    publisher: 'ccm-pub',
    tftp: 'ccm-tftp',
    services: 'ccm-moh',
    secondary: 'ccm-sec',
    primary: 'ccm-sub',
    application: 'ccm-app',
  };
  const out: PlanNode[] = [];
  for (const role of ORDER) {
    for (let i = 1; i <= counts[role]; i++) {
      const name = role === 'publisher' || (role === 'tftp' && counts.tftp === 1) ? prefix[role] : `${prefix[role]}${i}`;
      const n: PlanNode = { name, role, memoryMB: pick(rand, [1024, 2048, 4096]), staticIp: true };
      const hw = pick(rand, HARDWARE);
      if (hw) n.hardware = hw;
      if (role === 'application') {
        n.services = [...pick(rand, APPS)];
      } else {
        const os = pick(rand, OS);
        if (os) n.osVersion = os;
        const services = ['csa', ...['vnc', 'verified-apps', 'crs'].filter(() => rand() < 0.3)];
        n.services = services;
        if (!path.facts?.windowsDomain && rand() < 0.15) n.windowsDomain = 'BRANCH';
      }
      out.push(n);
    }
  }
  // Given in a random order: the plan puts them in the documented one.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const callmanagerPlanner: ProductPlanner = {
  product: 'callmanager',
  roles: ORDER,
  facts,
  plan,
  paths,
  refused,
  sampleNodes,
};
