/** CallManager manifest rules (product: callmanager). Facts: reference 003 (products/callmanager.ts). */
import { msg, ruleDocs } from '../l10n/index';
import { asArr, insertStepAfter, insertStepBefore, isFreshInstall, isUpgrade, related, type ManifestContext, type NodeInfo, type StepInfo } from '../manifest';
import { compareVersions, parseVersion, v } from '../versions';
import { yamlScalar } from '../parse/yaml';
import { callmanager } from '../products/index';
import type { TextEdit } from '../types';
import { grouped } from '../util';
import type { ManifestRule } from './manifest';
import { before, chain, reportOutOfPlace, someBefore, stepBlocks, type OrderChain } from '../order';

const P = ['callmanager'];
export const CCM_ORDER: readonly string[] = callmanager.ORDER;
const { CORESIDENT } = callmanager;
/** Customer Response Solutions, the one application that may share a CallManager server (003-40). */
const CRS = /\bcrs\b|customer[\s-]*response/i;

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

/**
 * A `services` word as the rules read it: `Cisco Unity`, `cisco-unity` and `unity`, or `Cisco CallManager` and
 * `callmanager`, are one application (lower case, blanks and underscores as `-`, without a leading `cisco-`).
 */
const serviceWord = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^cisco-/, '');
const servicesOf = (n: NodeInfo): string[] =>
  asArr(n.data.services)
    .filter((s): s is string => typeof s === 'string')
    .map(serviceWord);
/** 003: a server where CallManager is installed: every role but `application`, and an application server listing `callmanager`. */
const runsCallManager = (n: NodeInfo) => n.role !== 'application' || servicesOf(n).includes('callmanager');
/** Each node once (a duplicate name is manifest/duplicate-node's problem). */
const uniqueNodes = (ctx: ManifestContext) => [...ctx.byName.values()];
/** `to` is above `from`: an upgrade. The guide describes no downgrade. */
const isUpgradePlan = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.to, ctx.from) > 0;
/** An upgrade to 4.1(x), what the guide is about. */
const upgradeTo41 = (ctx: ManifestContext) => isUpgradePlan(ctx) && callmanager.is41(ctx.to);

/**
 * What the rules ask of every manifest, computed once per manifest (a plan of thousands of servers stays linear):
 * the steps that name each node, each node's first upgrade, and the upgrades that bound the guide's spans.
 */
interface Index {
  /** The steps that name each node, in order. */
  stepsOf: Map<string, StepInfo[]>;
  /** Each node's first upgrade step. */
  upOf: Map<string, StepInfo>;
  ids: Set<string>;
  /** The last upgrade step. */
  lastUp?: StepInfo;
  /** The first and the last upgrade step that name a node of the manifest. */
  firstKnownUp?: StepInfo;
  lastKnownUp?: StepInfo;
  /** The last upgrade of a CallManager server, and of one other than the publisher. */
  lastCcmUp?: StepInfo;
  lastSubUp?: StepInfo;
  /** The publisher's first upgrade. */
  pubUp?: StepInfo;
  pubs: Set<string>;
}
const INDEX = new WeakMap<ManifestContext, Index>();
function ix(ctx: ManifestContext): Index {
  let x = INDEX.get(ctx);
  if (x) return x;
  const ccm = new Set(
    uniqueNodes(ctx)
      .filter(runsCallManager)
      .map((n) => n.name),
  );
  const pubs = new Set(
    uniqueNodes(ctx)
      .filter((n) => n.role === 'publisher')
      .map((n) => n.name),
  );
  x = { stepsOf: new Map(), upOf: new Map(), ids: new Set(ctx.steps.map((s) => s.id)), pubs };
  for (const s of ctx.steps) {
    for (const name of new Set(s.nodes.map((r) => r.name))) {
      const list = x.stepsOf.get(name);
      if (list) list.push(s);
      else x.stepsOf.set(name, [s]);
      if (isUpgrade(s) && !x.upOf.has(name)) x.upOf.set(name, s);
    }
    if (!isUpgrade(s)) continue;
    x.lastUp = s;
    if (s.nodes.some((r) => ctx.byName.has(r.name))) {
      x.firstKnownUp ??= s;
      x.lastKnownUp = s;
    }
    if (s.nodes.some((r) => ccm.has(r.name))) x.lastCcmUp = s;
    if (s.nodes.some((r) => ccm.has(r.name) && !pubs.has(r.name))) x.lastSubUp = s;
    if (!x.pubUp && s.nodes.some((r) => pubs.has(r.name))) x.pubUp = s;
  }
  INDEX.set(ctx, x);
  return x;
}
const stepsOf = (ctx: ManifestContext, node: string): StepInfo[] => ix(ctx).stepsOf.get(node) ?? [];
const upgradeStepOf = (ctx: ManifestContext, node: string) => ix(ctx).upOf.get(node);
const isServiceStep = (s: StepInfo, service: string) => (s.action === 'stop-service' || s.action === 'start-service') && s.data.service === service;
/** The steps that stop or start `service` on `node`, in order. */
const serviceSteps = (ctx: ManifestContext, node: string, service: string) => stepsOf(ctx, node).filter((s) => isServiceStep(s, service));
/** True when the last step before `before` that stops or starts `service` on `node` stops it. */
const stoppedBefore = (ctx: ManifestContext, node: string, service: string, before: StepInfo) =>
  serviceSteps(ctx, node, service)
    .filter((s) => s.index < before.index)
    .pop()?.action === 'stop-service';
/** A node has `service` when its `services` list names it or a step stops or starts it there. */
const hasService = (ctx: ManifestContext, n: NodeInfo, service: string) => servicesOf(n).includes(service) || serviceSteps(ctx, n.name, service).length > 0;
const driveBackups = (ctx: ManifestContext) => ctx.steps.filter((s) => s.action === 'backup' && s.data.target === 'drive');
/**
 * One of the publisher's drives before every upgrade (003-50), another taken later staying where it is: the chain of
 * ccm/drive-fallback, and what ccm/publisher-changed counts as the publisher's preparation.
 */
const publisherDriveChain = (ctx: ManifestContext): OrderChain =>
  someBefore(
    driveBackups(ctx).filter((d) => d.nodes.some((r) => ix(ctx).pubs.has(r.name))),
    knownUps(ctx),
  );
/** A step id not used yet: `base`, else `base-2`, `base-3`… */
function freshId(ctx: ManifestContext, base: string): string {
  const used = ix(ctx).ids;
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
const nodeList = (nodes: string[]) => (nodes.length === 1 ? `node: ${yamlScalar(nodes[0])}` : `nodes: [${nodes.map(yamlScalar).join(', ')}]`);
const serviceStep = (ctx: ManifestContext, id: string, action: 'stop-service' | 'start-service', nodes: string[], service: string) => [
  `id: ${freshId(ctx, id)}`,
  `action: ${action}`,
  nodeList(nodes),
  `service: ${service}`,
];
const all = (edits: (TextEdit | undefined)[]): TextEdit[] | undefined => (edits.every((e): e is TextEdit => !!e) ? edits : undefined);
/** insertStepAfter without its search for the next step (the steps are in index order). */
const insertAfter = (ctx: ManifestContext, step: StepInfo, lines: string[]) => {
  const next = ctx.steps[step.index + 1];
  return next ? insertStepBefore(ctx, next, lines) : insertStepAfter(ctx, step, lines);
};
/** Related places shown for one finding that names many servers (the message names them all). */
const MAX_RELATED = 20;
/** The later of two steps. */
const later = (a: StepInfo | undefined, b: StepInfo | undefined) => (!a ? b : !b ? a : a.index > b.index ? a : b);

// ---------------------------------------------------------------------------------------------------------
// Order as chains (server/engine/order.ts): what each rule asks, read from what the steps are.

const rank = (steps: StepInfo[], r: number) => steps.map((step) => ({ step, rank: r }));
/** Every step of the plan that upgrades a node of the manifest. */
const knownUps = (ctx: ManifestContext) => ctx.steps.filter((s) => isUpgrade(s) && s.nodes.some((r) => ctx.byName.has(r.name)));
/** The upgrades of CallManager servers (every role but a plain application server). */
const ccmUps = (ctx: ManifestContext) =>
  ctx.steps.filter(
    (s) =>
      isUpgrade(s) &&
      s.nodes.some((r) => {
        const n = ctx.byName.get(r.name);
        return !!n && runsCallManager(n);
      }),
  );
/**
 * For each upgraded CallManager server (`keep` filters them by their upgrade): the steps that stop `service` on it
 * before its upgrade, the steps that start it again after (003-19, 003-43, 003-44, 003-46).
 */
const aroundUpgrade = (ctx: ManifestContext, service: string, keep: (up: StepInfo) => boolean, ranks: { stops: boolean; starts: boolean }): OrderChain[] => {
  const out: OrderChain[] = [];
  for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
    const up = upgradeStepOf(ctx, n.name);
    if (!up || !keep(up)) continue;
    const svc = serviceSteps(ctx, n.name, service);
    if (!svc.length) continue;
    out.push(
      chain([
        ...(ranks.stops
          ? rank(
              svc.filter((s) => s.action === 'stop-service'),
              0,
            )
          : []),
        { step: up, rank: 1 },
        ...(ranks.starts
          ? rank(
              svc.filter((s) => s.action === 'start-service'),
              2,
            )
          : []),
      ]),
    );
  }
  return out;
};
/** An `install` of the Cisco operating system (003-26): its `version` is a 2000.x release. */
const osInstall = (s: StepInfo) => s.action === 'install' && !!callmanager.parseOs(s.data.version);
/** Service releases and hotfixes (OS, SQL, CallManager), installed before any upgrade work (003-25). */
const SERVICE_RELEASE =
  /service[\s_-]*releases?|hot[\s_-]*fix|(^|[^a-z])sr\d*([^a-z]|$)|(^|[^a-z])sql([^a-z]|$)|(^|[^a-z])os([^a-z]|$)|operating[\s_-]*system/i;
const crsInstall = (s: StepInfo) => s.action === 'install' && typeof s.data.package === 'string' && CRS.test(s.data.package);
/**
 * The preparation installs of 003-25 and 003-26, which go before the first upgrade: an operating system, a package
 * named as a service release or hotfix, or another package (not CRS) written before every upgrade of its servers.
 */
function prepInstall(ctx: ManifestContext, s: StepInfo): boolean {
  if (s.action !== 'install' || s.data.package === undefined) return false;
  if (osInstall(s) || (typeof s.data.package === 'string' && SERVICE_RELEASE.test(s.data.package))) return true;
  if (crsInstall(s)) return false;
  const first = ix(ctx).firstKnownUp;
  return !!first && s.index < first.index;
}
/**
 * 003-17, 003-58: a post-upgrade task (an application installed, the verified applications started again) on an
 * upgraded server. A package install that is not a preparation of 003-25 and not CRS (003-40) is one.
 */
const postTask = (ctx: ManifestContext, s: StepInfo) =>
  (s.action === 'start-service' && s.data.service === 'verified-apps') ||
  (s.action === 'install' && s.data.package !== undefined && !crsInstall(s) && !prepInstall(ctx, s) && s.nodes.some((r) => upgradeStepOf(ctx, r.name)));

// ---------------------------------------------------------------------------------------------------------
// Rules that existed before the coverage work (ids, default severities and fixes are a contract).

const memory: ManifestRule = {
  id: 'ccm/memory',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-01 (1 GB on every CallManager server)',
  docs: ruleDocs('ccm/memory'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      const mem = n.data.memoryMB;
      // The limit is for servers where CallManager is installed, not for an application server of its own (CER…).
      if (typeof mem !== 'number' || mem >= callmanager.MIN_MEMORY_MB || !runsCallManager(n)) continue;
      report({
        range: ctx.range(`/nodes/${n.index}/memoryMB`),
        // The installation aborts on the publisher; on a subscriber it carries on.
        severity: n.role === 'publisher' ? 'error' : 'warning',
        message: msg('ccm/memory.message', { node: n.name, memory: mem }),
      });
    }
  },
};

const upgradePath: ManifestRule = {
  id: 'ccm/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-24 (no direct path from 3.2 or earlier)',
  docs: ruleDocs('ccm/upgrade-path'),
  check(ctx, report) {
    if (!ctx.from || !ctx.to || !callmanager.noDirectPath(ctx.from, ctx.to)) return;
    report({ range: ctx.range('/from'), message: msg('ccm/upgrade-path.message', { from: ctx.from.text, to: ctx.to.text }) });
  },
};

/** ccm/order as a chain: every upgrade step, ranked by the role of each node it names (publisher 0 … application 5). */
const upgradeOrder = (ctx: ManifestContext): OrderChain =>
  chain(
    ctx.steps
      .filter(isUpgrade)
      .flatMap((s) =>
        [...new Set(s.nodes.map((r) => CCM_ORDER.indexOf(ctx.byName.get(r.name)?.role ?? '')).filter((x) => x >= 0))].map((rank) => ({ step: s, rank })),
      ),
  );

const order: ManifestRule = {
  id: 'ccm/order',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '003-02, 003-28, 003-31, 003-32, 003-33, 003-39 (cluster upgrade order)',
  docs: ruleDocs('ccm/order'),
  // The order is the guide's upgrade order; it describes no downgrade (its fallback is the removed drive).
  order: (ctx) => (isUpgradePlan(ctx) ? [upgradeOrder(ctx)] : []),
  check(ctx, report) {
    if (!isUpgradePlan(ctx)) return;
    // The step out of place is the one that breaks the order, not the steps it jumped over.
    reportOutOfPlace(ctx, report, upgradeOrder(ctx), (o) => {
      const other = (o.before ?? o.after) as StepInfo;
      const otherRank = Math.min(...other.nodes.map((r) => CCM_ORDER.indexOf(ctx.byName.get(r.name)?.role ?? '')).filter((x) => x >= 0));
      const args = { role: CCM_ORDER[o.rank], laterRole: CCM_ORDER[otherRank], stepId: other.id, order: CCM_ORDER.join(' → ') };
      return o.before
        ? { message: msg('ccm/order.message', args), related: msg('ccm/order.related', { role: CCM_ORDER[otherRank] }) }
        : { message: msg('ccm/order.early', args), related: msg('ccm/order.relatedEarly', { role: CCM_ORDER[otherRank] }) };
    });
  },
};

const oneAtATime: ManifestRule = {
  id: 'ccm/one-at-a-time',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  fix: 'preferred',
  source: '003-05, 003-39 (install or upgrade one server at a time)',
  docs: ruleDocs('ccm/one-at-a-time'),
  check(ctx, report) {
    for (const s of ctx.steps.filter((x) => isUpgrade(x) || isFreshInstall(x))) {
      if (s.nodes.length < 2) continue;
      const edit = splitStep(ctx, s);
      report({
        range: ctx.range(`/steps/${s.index}/nodes`),
        message: msg(isUpgrade(s) ? 'ccm/one-at-a-time.message' : 'ccm/one-at-a-time.install', { id: s.id, nodesCount: s.nodes.length }),
        fixes: edit ? [{ title: msg('ccm/one-at-a-time.fix'), preferred: true, edits: [edit] }] : [],
      });
    }
  },
};

/**
 * The edit that replaces a step naming several servers by one step per server, in the documented role order
 * (003-05, 003-32), each with the id `<id>-<node>` and `node: <node>` instead of the `nodes` list, every other key
 * (and the comments above the step, on the first) kept as written. Block steps and one-line `{ … }` steps alike.
 * Undefined when it cannot be done safely: steps in flow style, no `id`, a `node` key as well, a name that is not
 * a node of the manifest or is given twice, or an id that is taken.
 */
function splitStep(ctx: ManifestContext, s: StepInfo): TextEdit | undefined {
  const b = stepBlocks(ctx);
  const base = `/steps/${s.index}`;
  if (!b || typeof s.data.id !== 'string' || 'node' in s.data || !Array.isArray(s.data.nodes)) return undefined;
  const names = s.nodes.map((r) => r.name);
  if (names.length !== (s.data.nodes as unknown[]).length || new Set(names).size !== names.length || !names.every((n) => ctx.byName.has(n))) return undefined;
  const idAt = ctx.at(`${base}/id`);
  const nodesAt = ctx.at(`${base}/nodes`);
  if (!idAt || !nodesAt?.keyRange) return undefined;
  const idx = ctx.file.index;
  const text = idx.text;
  const start = b.starts[s.index];
  const end = s.index + 1 < b.starts.length ? b.starts[s.index + 1] : b.end;
  const idStart = idx.offsetAt(idAt.range.start);
  const idEnd = idx.offsetAt(idAt.range.end);
  const nStart = idx.offsetAt(nodesAt.keyRange.start);
  let nEnd = idx.offsetAt(nodesAt.range.end);
  // A block list ends at the start of the line after it: keep that line break.
  while (nEnd > nStart && /\s/.test(text[nEnd - 1])) nEnd--;
  if (!(start <= idStart && idEnd <= end && start <= nStart && nEnd <= end) || (idStart < nEnd && nStart < idEnd)) return undefined;
  // The lines of the step itself (without the comments above it, which stay once, on the first new step).
  const itemLine = idx.lineStarts[idx.positionAt(s.itemStart).line];
  const order = [...names].sort((x, y) => CCM_ORDER.indexOf(ctx.byName.get(x)?.role ?? '') - CCM_ORDER.indexOf(ctx.byName.get(y)?.role ?? ''));
  const ids = new Set(ix(ctx).ids);
  const parts: string[] = [];
  for (const [i, name] of order.entries()) {
    const id = `${s.id}-${name}`;
    if (ids.has(id)) return undefined;
    ids.add(id);
    const cuts = [
      { from: idStart, to: idEnd, text: yamlScalar(id) },
      { from: nStart, to: nEnd, text: `node: ${yamlScalar(name)}` },
    ].sort((x, y) => x.from - y.from);
    let out = '';
    let at = i === 0 ? start : itemLine;
    for (const c of cuts) {
      out += text.slice(at, c.from) + c.text;
      at = c.to;
    }
    out += text.slice(at, end);
    if (end === b.end && !b.endsWithBreak) out += idx.eol();
    parts.push(out);
  }
  let newText = parts.join('');
  if (end === b.end && !b.endsWithBreak) newText = newText.slice(0, -idx.eol().length);
  return { range: idx.range(start, end), newText };
}

/** A rule on one key of each node: the message is `<id>.message` with the node's name and the value. */
const nodeFlag = (
  id: 'ccm/domain-controller' | 'ccm/static-ip',
  key: string,
  bad: (v: unknown) => boolean,
  severity: 'error' | 'warning',
  source: string,
): ManifestRule => ({
  id,
  kind: 'upgrade-manifest',
  severity,
  products: P,
  source,
  docs: ruleDocs(id),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      if (!(key in n.data) || !bad(n.data[key])) continue;
      report({ range: ctx.range(`/nodes/${n.index}/${key}`), message: msg(`${id}.message`, { node: n.name }) });
    }
  },
});

const domainController = nodeFlag('ccm/domain-controller', 'domainController', (x) => x === true, 'error', '003-12 (no domain controller in the cluster)');
const staticIp = nodeFlag('ccm/static-ip', 'staticIp', (x) => x === false, 'warning', '003-14 (static IP address)');

const windowsDomain: ManifestRule = {
  id: 'ccm/windows-domain',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'suggestion',
  products: P,
  source: '003-13 (out of the Windows domain for every installation and upgrade)',
  docs: ruleDocs('ccm/windows-domain'),
  // Out of the domain before the server's upgrade or installation, back in it after (003-13, 003-47).
  order(ctx) {
    const out: OrderChain[] = [];
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      const mine = stepsOf(ctx, n.name);
      const ups = mine.filter((s) => isUpgrade(s) || isFreshInstall(s));
      // A server upgraded twice in one plan leaves and joins around each upgrade: no single order to state.
      if (ups.length !== 1) continue;
      out.push(
        chain([
          ...rank(
            mine.filter((s) => s.action === 'leave-domain'),
            0,
          ),
          { step: ups[0], rank: 1 },
          ...rank(
            mine.filter((s) => s.action === 'join-domain'),
            2,
          ),
        ]),
      );
    }
    return out;
  },
  check(ctx, report) {
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      // Membership as such is allowed (003-47); being in the domain when CallManager is installed or upgraded is not.
      const mine = stepsOf(ctx, n.name);
      const up = mine.find((s) => isUpgrade(s) || isFreshInstall(s));
      if (!up) continue;
      const last = mine.filter((s) => s.index < up.index && (s.action === 'leave-domain' || s.action === 'join-domain')).pop();
      if (last?.action === 'join-domain') {
        report({
          range: last.range,
          message: msg('ccm/windows-domain.joined', { id: last.id, node: n.name, upgrade: up.id }),
          related: [related(up.range, msg('ccm/windows-domain.related', { node: n.name }))],
        });
        continue;
      }
      const domain = n.data.windowsDomain;
      if (last || typeof domain !== 'string' || domain === '') continue;
      const edit = insertStepBefore(ctx, up, [`id: ${freshId(ctx, `leave-domain-${n.name}`)}`, 'action: leave-domain', nodeList([n.name])]);
      report({
        range: ctx.range(`/nodes/${n.index}/windowsDomain`),
        message: msg('ccm/windows-domain.message', { node: n.name, value: domain }),
        related: [related(up.range, msg('ccm/windows-domain.related', { node: n.name }))],
        fixes: edit ? [{ title: msg('ccm/windows-domain.fix', { node: n.name }), preferred: false, edits: [edit] }] : [],
      });
    }
  },
};

const secondaryLoad: ManifestRule = {
  id: 'ccm/secondary-load',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-35 (5,000 devices on each secondary server)',
  docs: ruleDocs('ccm/secondary-load'),
  check(ctx, report) {
    const n = ctx.m.devicesOnSecondary;
    // `devicesOnSecondary` counts the devices on all secondary servers; the limit is per server. Only a total that
    // cannot be spread within the limit over the manifest's secondary nodes is certain to overload one of them.
    const count = uniqueNodes(ctx).filter((x) => x.role === 'secondary').length;
    const limit = callmanager.MAX_DEVICES_PER_SECONDARY * Math.max(1, count);
    if (typeof n !== 'number' || n <= limit) return;
    report({
      range: ctx.range('/devicesOnSecondary'),
      message:
        count > 1 ? msg('ccm/secondary-load.several', { n: grouped(n), count, limit: grouped(limit) }) : msg('ccm/secondary-load.message', { n: grouped(n) }),
    });
  },
};

const coresidentApp: ManifestRule = {
  id: 'ccm/coresident-app',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-21, 003-40, 003-53 (applications never installed with CallManager)',
  docs: ruleDocs('ccm/coresident-app'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      // The limit is on the servers where CallManager is installed; an `application` server is where these
      // applications belong (upgraded last), unless it runs the CallManager service itself.
      if (!runsCallManager(n)) continue;
      asArr(n.data.services).forEach((svc, j) => {
        if (typeof svc !== 'string' || !CORESIDENT.includes(serviceWord(svc))) return;
        report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: msg('ccm/coresident-app.message', { service: svc, node: n.name }) });
      });
    }
  },
};

const remoteUpgrade: ManifestRule = {
  id: 'ccm/remote-upgrade',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-16, 003-45 (no upgrade through Terminal Services or iLO; VNC allowed)',
  docs: ruleDocs('ccm/remote-upgrade'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.via !== 'terminal-services' && s.data.via !== 'ilo') continue;
      report({ range: ctx.range(`/steps/${s.index}/via`), message: msg('ccm/remote-upgrade.message', { id: s.id, via: String(s.data.via) }) });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// Rules added from the coverage map of 003.

const newSubscriberVersion: ManifestRule = {
  id: 'ccm/new-subscriber-version',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-03 (a new or replacement subscriber is installed at the version the publisher runs)',
  docs: ruleDocs('ccm/new-subscriber-version'),
  // A new subscriber at `to` is installed after the publisher's upgrade, one at `from` before it.
  order(ctx) {
    if (!ctx.from || !ctx.to || !callmanager.is41(ctx.to) || compareVersions(ctx.from, ctx.to) === 0) return [];
    const { pubs } = ix(ctx);
    const pubSteps = ctx.steps.filter((s) => (isUpgrade(s) || isFreshInstall(s)) && s.nodes.some((r) => pubs.has(r.name)));
    if (!pubSteps.length) return [];
    const early: StepInfo[] = [];
    const late: StepInfo[] = [];
    for (const s of ctx.steps.filter(isFreshInstall)) {
      if (!s.nodes.some((r) => ctx.byName.has(r.name) && !pubs.has(r.name)) || s.nodes.some((r) => pubs.has(r.name))) continue;
      const installed = s.data.version === undefined ? ctx.to : parseVersion(s.data.version);
      if (!installed) continue;
      if (compareVersions(installed, ctx.to) === 0) late.push(s);
      else if (compareVersions(installed, ctx.from) === 0) early.push(s);
    }
    return [before(early, pubSteps), before(pubSteps, late)];
  },
  check(ctx, report) {
    if (!ctx.from || !ctx.to || !callmanager.is41(ctx.to)) return;
    const { pubs } = ix(ctx);
    if (!pubs.size) return;
    const pubUp = ctx.steps.find((s) => (isUpgrade(s) || isFreshInstall(s)) && s.nodes.some((r) => pubs.has(r.name)));
    for (const s of ctx.steps.filter(isFreshInstall)) {
      // A fresh installation puts `to` on the node unless its `version` says otherwise.
      const installed = s.data.version === undefined ? ctx.to : parseVersion(s.data.version);
      if (!installed) continue;
      const publisher = pubUp && pubUp.index < s.index ? ctx.to : ctx.from;
      if (compareVersions(installed, publisher) === 0) continue;
      for (const r of s.nodes) {
        const n = ctx.byName.get(r.name);
        if (!n || n.role === 'publisher') continue;
        report({
          range: s.data.version === undefined ? r.range : ctx.range(`/steps/${s.index}/version`),
          message: msg('ccm/new-subscriber-version.message', { id: s.id, node: n.name, version: installed.text, publisher: publisher.text }),
          related: pubUp ? [related(pubUp.range, msg('ccm/new-subscriber-version.related'))] : [],
        });
      }
    }
  },
};

/** Steps that change the publisher (003-06): its data, its software, its domain, or a drive pulled out of it. */
const PUBLISHER_CHANGES = new Set(['restore', 'install', 'uninstall', 'delete', 'create', 'switch-version', 'leave-domain', 'join-domain']);
/**
 * 003-06: while the subscribers are upgraded (after the publisher's upgrade, before the last upgrade of another
 * CallManager server) they pull the database from the publisher, which must stay up and unchanged. The severity of
 * a step on the publisher in that span, or undefined when it is not one.
 */
function publisherChange(ctx: ManifestContext, s: StepInfo): 'error' | 'information' | undefined {
  const { pubs, pubUp, lastSubUp } = ix(ctx);
  if (!pubUp || !lastSubUp || s.index <= pubUp.index || s.index >= lastSubUp.index || !s.nodes.some((r) => pubs.has(r.name))) return undefined;
  if (PUBLISHER_CHANGES.has(s.action ?? '') || s.data.target === 'drive') return 'error';
  return s.action === 'command' ? 'information' : undefined;
}

const publisherChanged: ManifestRule = {
  id: 'ccm/publisher-changed',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-06 (the publisher stays up and unchanged while the subscribers upgrade)',
  docs: ruleDocs('ccm/publisher-changed'),
  // A change of the publisher comes before its upgrade or after the last upgrade of another CallManager server:
  // leaving the domain, a drive removed, an OS or service release before; joining the domain, a version switch,
  // a CRS or application install after; other changes where the plan puts them (before or after its upgrade).
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const { pubs, pubUp } = ix(ctx);
    if (!pubUp) return [];
    const pubUps = ctx.steps.filter((s) => isUpgrade(s) && s.nodes.some((r) => pubs.has(r.name)));
    const subUps = ccmUps(ctx).filter((s) => s.nodes.some((r) => !pubs.has(r.name) && ctx.byName.has(r.name)));
    const early: StepInfo[] = [];
    const late: StepInfo[] = [];
    // The publisher's drive that ccm/drive-fallback puts before the upgrades; another drive taken later stays put.
    const fallback = new Set(
      publisherDriveChain(ctx)
        .items.filter((x) => x.rank === 0)
        .map((x) => x.step),
    );
    for (const s of ctx.steps) {
      if (isUpgrade(s) || !s.nodes.some((r) => pubs.has(r.name))) continue;
      if (!PUBLISHER_CHANGES.has(s.action ?? '') && s.data.target !== 'drive') continue;
      if (isFreshInstall(s)) continue;
      if (s.action === 'leave-domain' || fallback.has(s) || prepInstall(ctx, s)) early.push(s);
      else if (s.action === 'join-domain' || s.action === 'switch-version' || crsInstall(s) || postTask(ctx, s)) late.push(s);
      else (s.index < pubUp.index ? early : late).push(s);
    }
    return [before(early, pubUps), before(subUps, late)];
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    for (const s of ctx.steps) {
      const sev = publisherChange(ctx, s);
      if (!sev) continue;
      const lastSub = ix(ctx).lastSubUp!;
      report({
        range: s.range,
        severity: sev,
        message: msg(sev === 'error' ? 'ccm/publisher-changed.message' : 'ccm/publisher-changed.command', { id: s.id, last: lastSub.id }),
        related: [related(lastSub.range, msg('ccm/publisher-changed.related'))],
      });
    }
  },
};

const maintenanceWindow: ManifestRule = {
  id: 'ccm/maintenance-window',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '003-10 (one maintenance window for the whole upgrade)',
  docs: ruleDocs('ccm/maintenance-window'),
  check(ctx, report) {
    if (!upgradeTo41(ctx) || ctx.m.maintenanceWindow !== undefined || !ix(ctx).firstKnownUp) return;
    report({ range: ctx.range('/to'), message: msg('ccm/maintenance-window.message') });
  },
};

const postUpgradeTooEarly: ManifestRule = {
  id: 'ccm/post-upgrade-too-early',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-17, 003-58 (no application installs or post-upgrade tasks until every server is upgraded)',
  docs: ruleDocs('ccm/post-upgrade-too-early'),
  // Post-upgrade tasks come after every server's upgrade (003-17: the CallManager servers; 003-58: all of them).
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const tasks = ctx.steps.filter((s) => postTask(ctx, s));
    return tasks.length ? [before(knownUps(ctx), tasks)] : [];
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const { lastCcmUp: lastCcm, lastKnownUp: lastAny } = ix(ctx);
    for (const s of ctx.steps) {
      // An operating system installed late is ccm/os-version's finding; a co-resident CRS is upgraded as its own
      // documentation says (003-40).
      const pkg = s.data.package;
      const own = callmanager.parseOs(s.data.version) || (typeof pkg === 'string' && CRS.test(pkg));
      const task = (s.action === 'install' && pkg !== undefined && !own) || (s.action === 'start-service' && s.data.service === 'verified-apps');
      if (!task) continue;
      // A task on a server that is not upgraded yet is preparation for its upgrade, not a post-upgrade task.
      const done = s.nodes.filter((r) => (upgradeStepOf(ctx, r.name)?.index ?? Infinity) < s.index).map((r) => r.name);
      if (!done.length || publisherChange(ctx, s)) continue; // a change on the publisher: ccm/publisher-changed
      const until = lastCcm && s.index < lastCcm.index ? lastCcm : lastAny && s.index < lastAny.index ? lastAny : undefined;
      if (!until) continue;
      report({
        range: s.range,
        // 003-17 names the CallManager servers; 003-58 every server of the cluster, application servers included.
        severity: until === lastCcm ? 'warning' : 'information',
        message: msg('ccm/post-upgrade-too-early.message', { id: s.id, nodes: done, last: until.id }),
        related: [related(until.range, msg('ccm/post-upgrade-too-early.related'))],
      });
    }
  },
};

/**
 * A service that must be stopped (disabled) on each CallManager server that has it before that server's upgrade. One
 * finding for the plan, on the first upgrade concerned, naming every server that misses it, with a suggestion that
 * stops it on all of them before that upgrade.
 */
const stoppedBeforeUpgrade = (
  id: 'ccm/verified-apps-disabled' | 'ccm/vnc-disabled',
  service: 'verified-apps' | 'vnc',
  text: {
    message: 'ccm/verified-apps-disabled.message' | 'ccm/vnc-disabled.message';
    related: 'ccm/verified-apps-disabled.related' | 'ccm/vnc-disabled.related';
    fix: 'ccm/verified-apps-disabled.fix' | 'ccm/vnc-disabled.fix';
  },
  source: string,
  skip: (up: StepInfo) => boolean,
): ManifestRule => ({
  id,
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'suggestion',
  products: P,
  source,
  docs: ruleDocs(id),
  // Stopped before the server's upgrade; started again (if at all) after it, not between the two.
  order: (ctx) => (upgradeTo41(ctx) ? aroundUpgrade(ctx, service, (up) => !skip(up), { stops: true, starts: true }) : []),
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const missing: { node: string; up: StepInfo }[] = [];
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      if (!hasService(ctx, n, service)) continue;
      const up = upgradeStepOf(ctx, n.name);
      if (!up || skip(up) || stoppedBefore(ctx, n.name, service, up)) continue;
      missing.push({ node: n.name, up });
    }
    if (!missing.length) return;
    missing.sort((a, b) => a.up.index - b.up.index);
    const first = missing[0].up;
    const nodes = missing.map((x) => x.node);
    // Stopping it right before the first of these upgrades is enough unless a step starts it again before one of them.
    const fixable = missing.every((x) => !serviceSteps(ctx, x.node, service).some((s) => s.index >= first.index && s.index < x.up.index));
    const edit = fixable ? insertStepBefore(ctx, first, serviceStep(ctx, `disable-${service}`, 'stop-service', nodes, service)) : undefined;
    report({
      range: first.range,
      message: msg(text.message, { id: first.id, nodes }),
      related: missing.slice(1, 1 + MAX_RELATED).map((x) => related(x.up.range, msg(text.related, { node: x.node }))),
      fixes: edit ? [{ title: msg(text.fix, { nodes }), preferred: false, edits: [edit] }] : [],
    });
  },
});

const verifiedAppsDisabled = stoppedBeforeUpgrade(
  'ccm/verified-apps-disabled',
  'verified-apps',
  { message: 'ccm/verified-apps-disabled.message', related: 'ccm/verified-apps-disabled.related', fix: 'ccm/verified-apps-disabled.fix' },
  '003-19 (Cisco-verified applications disabled before the upgrade)',
  () => false,
);
// VNC may carry the upgrade itself (003-45); then it is not disabled.
const vncDisabled = stoppedBeforeUpgrade(
  'ccm/vnc-disabled',
  'vnc',
  { message: 'ccm/vnc-disabled.message', related: 'ccm/vnc-disabled.related', fix: 'ccm/vnc-disabled.fix' },
  '003-46 (VNC disabled when it does not carry the upgrade)',
  (up) => up.data.via === 'vnc',
);

const terminalServicesDisabled: ManifestRule = {
  id: 'ccm/terminal-services-disabled',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'suggestion',
  products: P,
  source: '003-43 (Terminal Services disabled before the upgrade)',
  docs: ruleDocs('ccm/terminal-services-disabled'),
  // Disabled before the server's upgrade, enabled again after it (003-43, 003-44).
  order: (ctx) => (upgradeTo41(ctx) ? aroundUpgrade(ctx, 'terminal-services', (up) => up.data.via !== 'terminal-services', { stops: true, starts: true }) : []),
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const missing: { node: string; up: StepInfo }[] = [];
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      const up = upgradeStepOf(ctx, n.name);
      // An upgrade run through Terminal Services is ccm/remote-upgrade's finding.
      if (!up || up.data.via === 'terminal-services' || stoppedBefore(ctx, n.name, 'terminal-services', up)) continue;
      missing.push({ node: n.name, up });
    }
    if (!missing.length) return;
    missing.sort((a, b) => a.up.index - b.up.index);
    const first = missing[0].up;
    const nodes = missing.map((x) => x.node);
    // Where the plan says nothing about Terminal Services on these servers: disable it before the first upgrade and
    // enable it again after the last one.
    const untouched = nodes.every((n) => serviceSteps(ctx, n, 'terminal-services').length === 0);
    const firstUp = ctx.steps.find(isUpgrade)!;
    const edits = untouched
      ? all([
          insertStepBefore(ctx, firstUp, serviceStep(ctx, 'disable-terminal-services', 'stop-service', nodes, 'terminal-services')),
          insertAfter(ctx, ix(ctx).lastUp!, serviceStep(ctx, 'enable-terminal-services', 'start-service', nodes, 'terminal-services')),
        ])
      : undefined;
    report({
      range: first.range,
      message: msg('ccm/terminal-services-disabled.message', { id: first.id, nodes }),
      related: missing.slice(1, 1 + MAX_RELATED).map((x) => related(x.up.range, msg('ccm/terminal-services-disabled.related', { node: x.node }))),
      fixes: edits ? [{ title: msg('ccm/terminal-services-disabled.fix'), preferred: false, edits }] : [],
    });
  },
};

const terminalServicesEnabled: ManifestRule = {
  id: 'ccm/terminal-services-enabled',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '003-44 (Terminal Services enabled again after the upgrade)',
  docs: ruleDocs('ccm/terminal-services-enabled'),
  order: (ctx) => (upgradeTo41(ctx) ? aroundUpgrade(ctx, 'terminal-services', () => true, { stops: false, starts: true }) : []),
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    // The servers whose last Terminal Services step disables it, grouped by that step.
    const byStep = new Map<StepInfo, string[]>();
    for (const n of uniqueNodes(ctx)) {
      if (!upgradeStepOf(ctx, n.name)) continue;
      const last = serviceSteps(ctx, n.name, 'terminal-services').pop();
      if (last?.action !== 'stop-service') continue;
      const list = byStep.get(last);
      if (list) list.push(n.name);
      else byStep.set(last, [n.name]);
    }
    for (const [stop, nodes] of byStep) {
      const anchor = later(ix(ctx).lastUp, stop)!;
      const edit = insertAfter(ctx, anchor, serviceStep(ctx, 'enable-terminal-services', 'start-service', nodes, 'terminal-services'));
      report({
        range: stop.range,
        message: msg('ccm/terminal-services-enabled.message', { id: stop.id, nodes }),
        fixes: edit ? [{ title: msg('ccm/terminal-services-enabled.fix'), preferred: true, edits: [edit] }] : [],
      });
    }
  },
};

/**
 * 003-47: the `join-domain` step that leaves a CallManager server in a Windows domain at the end of the plan (its last
 * leave/join step). A server that is in a domain and never leaves it is ccm/windows-domain's finding, not this one.
 */
function rejoins(ctx: ManifestContext, n: NodeInfo): StepInfo | undefined {
  const last = stepsOf(ctx, n.name)
    .filter((s) => s.action === 'leave-domain' || s.action === 'join-domain')
    .pop();
  return last?.action === 'join-domain' ? last : undefined;
}

const ntpDomain: ManifestRule = {
  id: 'ccm/ntp-domain',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'suggestion',
  products: P,
  source: '003-47 (Cisco NTP disabled on every server when the cluster uses a Windows domain)',
  docs: ruleDocs('ccm/ntp-domain'),
  // When a server goes back into a domain, the Cisco NTP service is disabled after each server's upgrade.
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const ccm = uniqueNodes(ctx).filter(runsCallManager);
    if (!ccm.some((n) => stepsOf(ctx, n.name).some((s) => s.action === 'join-domain'))) return [];
    const out: OrderChain[] = [];
    for (const n of ccm) {
      const up = upgradeStepOf(ctx, n.name);
      const stops = serviceSteps(ctx, n.name, 'ntp').filter((s) => s.action === 'stop-service');
      if (up && stops.length) out.push(before(up, stops));
    }
    return out;
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const ccm = uniqueNodes(ctx).filter(runsCallManager);
    // Reported on the last step that puts a server back in the domain: the NTP steps belong after it.
    const join = ccm
      .map((n) => ({ n, step: rejoins(ctx, n) }))
      .filter((x) => x.step)
      .sort((a, b) => b.step!.index - a.step!.index)[0];
    if (!join) return;
    const missing: { node: string; up: StepInfo }[] = [];
    for (const n of ccm) {
      const up = upgradeStepOf(ctx, n.name);
      // The upgrade installs the Cisco NTP service again: it is disabled after it.
      if (
        !up ||
        serviceSteps(ctx, n.name, 'ntp')
          .filter((s) => s.index > up.index)
          .pop()?.action === 'stop-service'
      )
        continue;
      missing.push({ node: n.name, up });
    }
    if (!missing.length) return;
    const nodes = missing.map((x) => x.node);
    const lastJoin = ctx.steps.filter((s) => s.action === 'join-domain').pop();
    const anchor = later(ix(ctx).lastUp, lastJoin)!;
    const edit = insertAfter(ctx, anchor, serviceStep(ctx, 'disable-cisco-ntp', 'stop-service', nodes, 'ntp'));
    report({
      range: join.step!.range,
      message: msg('ccm/ntp-domain.message', { id: join.step!.id, node: join.n.name, nodes }),
      related: missing.slice(0, MAX_RELATED).map((x) => related(x.up.range, msg('ccm/ntp-domain.related', { node: x.node }))),
      fixes: edit ? [{ title: msg('ccm/ntp-domain.fix'), preferred: false, edits: [edit] }] : [],
    });
  },
};

const securityAgent: ManifestRule = {
  id: 'ccm/security-agent',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '003-20 (a security agent on every server)',
  docs: ruleDocs('ccm/security-agent'),
  check(ctx, report) {
    if (!callmanager.is41(ctx.to)) return;
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      // Only a node that lists what runs on it says that no agent does.
      if (!Array.isArray(n.data.services) || hasService(ctx, n, 'csa')) continue;
      const installs = stepsOf(ctx, n.name).some(
        (s) => s.action === 'install' && typeof s.data.package === 'string' && /csa|security[\s-]*agent/i.test(s.data.package),
      );
      if (installs) continue;
      report({ range: ctx.range(`/nodes/${n.index}/services`), message: msg('ccm/security-agent.message', { node: n.name }) });
    }
  },
};

const NETSCAPE = /netscape/i;
const netscape: ManifestRule = {
  id: 'ccm/netscape',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-22 (no Netscape Navigator on the servers)',
  docs: ruleDocs('ccm/netscape'),
  check(ctx, report) {
    if (!callmanager.is41(ctx.to)) return;
    for (const n of ctx.nodes)
      asArr(n.data.services).forEach((svc, j) => {
        if (typeof svc === 'string' && NETSCAPE.test(svc))
          report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: msg('ccm/netscape.message', { node: n.name }) });
      });
    for (const s of ctx.steps) {
      if (s.action !== 'install' || typeof s.data.package !== 'string' || !NETSCAPE.test(s.data.package)) continue;
      report({ range: ctx.range(`/steps/${s.index}/package`), message: msg('ccm/netscape.install', { id: s.id }) });
    }
  },
};

const serviceReleases: ManifestRule = {
  id: 'ccm/service-releases',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '003-25 (current service releases installed before the upgrade)',
  docs: ruleDocs('ccm/service-releases'),
  // The service releases (and the operating system) go in before any upgrade (003-25).
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const prep = ctx.steps.filter((s) => prepInstall(ctx, s));
    return prep.length ? [before(prep, knownUps(ctx))] : [];
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const first = ix(ctx).firstKnownUp;
    if (!first) return;
    const covered = new Set(
      ctx.steps.filter((s) => s.index < first.index && s.action === 'install' && s.data.package !== undefined).flatMap((s) => s.nodes.map((r) => r.name)),
    );
    // A server that joins the cluster by a fresh installation later in the plan is not running yet (003 L49 is about
    // the releases the cluster runs).
    const joinsLater = (name: string) => {
      const own = ctx.steps.find((s) => s.nodes.some((r) => r.name === name));
      return !!own && isFreshInstall(own);
    };
    const nodes = uniqueNodes(ctx)
      .filter((n) => runsCallManager(n) && !covered.has(n.name) && upgradeStepOf(ctx, n.name) && !joinsLater(n.name))
      .map((n) => n.name);
    if (!nodes.length) return;
    report({ range: first.range, message: msg('ccm/service-releases.message', { id: first.id, nodes }) });
  },
};

const osVersion: ManifestRule = {
  id: 'ccm/os-version',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-26 (operating system 2000.2.7sr2 or later before 4.1(3))',
  docs: ruleDocs('ccm/os-version'),
  // The operating system is upgraded before the server's CallManager upgrade.
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const out: OrderChain[] = [];
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      const up = upgradeStepOf(ctx, n.name);
      const os = stepsOf(ctx, n.name).filter(osInstall);
      if (up && os.length) out.push(before(os, up));
    }
    return out;
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx) || compareVersions(ctx.to!, v('4.1(3)'), 3) < 0) return;
    const { OS_RECOMMENDED, OS_UPGRADE_CD_FROM_33, compareOs, parseOs } = callmanager;
    for (const n of uniqueNodes(ctx).filter(runsCallManager)) {
      const os = parseOs(n.data.osVersion);
      if (!os || compareOs(os, OS_RECOMMENDED) >= 0) continue;
      const up = upgradeStepOf(ctx, n.name);
      if (!up) continue; // a server installed afresh is not upgraded
      // An `install` step whose `version` is the recommended OS or later, on this server before its upgrade.
      const upgradesOs = stepsOf(ctx, n.name).some((s) => {
        const to = parseOs(s.data.version);
        return s.action === 'install' && s.index < up.index && !!to && compareOs(to, OS_RECOMMENDED) >= 0;
      });
      if (upgradesOs) continue;
      const old = ctx.from!.parts[0] === 3 && ctx.from!.parts[1] === 3 && compareOs(os, OS_UPGRADE_CD_FROM_33) < 0;
      report({
        range: ctx.range(`/nodes/${n.index}/osVersion`),
        message: msg(old ? 'ccm/os-version.old' : 'ccm/os-version.message', { node: n.name, os: String(n.data.osVersion) }),
      });
    }
  },
};

const servicesRoleCallmanager: ManifestRule = {
  id: 'ccm/services-role-callmanager',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003-34 (services-only servers do not run the CallManager service)',
  docs: ruleDocs('ccm/services-role-callmanager'),
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    for (const n of ctx.nodes) {
      if (n.role !== 'services') continue;
      asArr(n.data.services).forEach((svc, j) => {
        if (typeof svc === 'string' && serviceWord(svc) === 'callmanager')
          report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: msg('ccm/services-role-callmanager.message', { node: n.name }) });
      });
    }
  },
};

const driveRemoval: ManifestRule = {
  id: 'ccm/drive-removal',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003-49, 003-51 (servers whose drive cannot be removed; the MCS-7845 gives up two)',
  docs: ruleDocs('ccm/drive-removal'),
  check(ctx, report) {
    if (!callmanager.is41(ctx.to)) return;
    for (const s of ctx.steps) {
      if (s.data.target !== 'drive') continue;
      for (const r of s.nodes) {
        const hw = ctx.byName.get(r.name)?.data.hardware;
        if (typeof hw !== 'string') continue;
        if (callmanager.noDriveRemoval(hw)) report({ range: r.range, message: msg('ccm/drive-removal.message', { id: s.id, node: r.name, hardware: hw }) });
        else if (callmanager.twoDrives(hw))
          report({ range: r.range, severity: 'information', message: msg('ccm/drive-removal.twoDrives', { id: s.id, node: r.name, hardware: hw }) });
      }
    }
  },
};

const driveFallback: ManifestRule = {
  id: 'ccm/drive-fallback',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '003-50 (a removed, replaced and mirrored drive as the fallback)',
  docs: ruleDocs('ccm/drive-fallback'),
  // A drive is removed as the fallback before the upgrade (003-50): the publisher's before any upgrade, another
  // server's before its own.
  order(ctx) {
    if (!upgradeTo41(ctx)) return [];
    const { pubs } = ix(ctx);
    const out: OrderChain[] = [publisherDriveChain(ctx)];
    for (const d of driveBackups(ctx)) {
      if (d.nodes.some((r) => pubs.has(r.name))) continue;
      for (const r of d.nodes) {
        const up = upgradeStepOf(ctx, r.name);
        if (up) out.push(before(d, up));
      }
    }
    return out;
  },
  check(ctx, report) {
    if (!upgradeTo41(ctx)) return;
    const first = ix(ctx).firstKnownUp;
    if (!first || ctx.steps.some((s) => s.index < first.index && s.data.target === 'drive')) return;
    const pub = uniqueNodes(ctx).find((n) => n.role === 'publisher');
    const hw = pub?.data.hardware;
    // Only where the hardware is known and allows it (ccm/drive-removal names those that do not).
    if (!pub || typeof hw !== 'string' || hw.trim() === '' || callmanager.noDriveRemoval(hw)) return;
    report({ range: ctx.range(`/nodes/${pub.index}/hardware`), message: msg('ccm/drive-fallback.message', { node: pub.name, hardware: hw, id: first.id }) });
  },
};

export const ccmRules: ManifestRule[] = [
  memory,
  upgradePath,
  order,
  oneAtATime,
  domainController,
  windowsDomain,
  staticIp,
  secondaryLoad,
  coresidentApp,
  remoteUpgrade,
  newSubscriberVersion,
  publisherChanged,
  maintenanceWindow,
  postUpgradeTooEarly,
  verifiedAppsDisabled,
  securityAgent,
  netscape,
  serviceReleases,
  osVersion,
  servicesRoleCallmanager,
  terminalServicesDisabled,
  terminalServicesEnabled,
  vncDisabled,
  ntpDomain,
  driveRemoval,
  driveFallback,
];
