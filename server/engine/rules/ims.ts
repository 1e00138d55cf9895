/** iPlanet Messaging Server manifest rules (product: iplanet-messaging). Facts: reference 004 (appendix C). */
import { msg, ruleDocs, type Message } from '../l10n/index';
import { asArr, firstUpgrade, isUpgrade, lastUpgrade, related, roleOf, runsCommand, type ManifestContext, type NodeInfo, type StepInfo } from '../manifest';
import { compareVersions, parseVersion, v } from '../versions';
import { trimTrailingSlashes } from '../util';
import { yamlScalar } from '../parse/yaml';
import { iplanet } from '../products/index';
import { before, chain, moveFix, ranked, reportOutOfPlace, someAfter, someBefore, type OrderChain } from '../order';
import type { ManifestRule } from './manifest';

const P = ['iplanet-messaging'];

// ---------------------------------------------------------------------------------------------------------
// What a plan says about the installation: hosts, the two kinds of upgrade, restarts.

const ALL_COMPONENTS = ['core', 'directory', 'admin', 'messaging'];
/** The setup components an upgrade step chooses; absent means the setup defaults (all four). */
const componentsOf = (s: StepInfo): string[] =>
  Array.isArray(s.data.components) ? s.data.components.filter((c): c is string => typeof c === 'string') : ALL_COMPONENTS;
const servicesOf = (n: NodeInfo) => asArr(n.data.services).filter((x): x is string => typeof x === 'string');
const namesRole = (ctx: ManifestContext, s: StepInfo, role: string) => s.nodes.some((r) => roleOf(ctx, r.name) === role);
/** The step acts on the node: it names it, or it names no node at all (a plan for one machine). */
const covers = (s: StepInfo, name: string) => s.nodes.length === 0 || s.nodes.some((r) => r.name === name);
const is = (s: StepInfo, action: string, key: 'service' | 'target', ...values: string[]) => s.action === action && values.includes(String(s.data[key]));
/** A `command` step whose `run` matches (004: ims_dssetup.pl, start-msg ha, hareg, ldapsearch have no action of their own). */

/** An upgrade of Messaging Server: on a messaging node (or on no named node) with the Messaging Server components. */
const isMessagingUpgrade = (ctx: ManifestContext, s: StepInfo) =>
  isUpgrade(s) && (s.nodes.length === 0 || namesRole(ctx, s, 'messaging')) && componentsOf(s).includes('messaging');
/** A Directory Server-only setup run (004 L92–L96): on a directory node, or with directory and without messaging. */
const isDirectoryUpgrade = (ctx: ManifestContext, s: StepInfo) =>
  isUpgrade(s) && (namesRole(ctx, s, 'directory') || (componentsOf(s).includes('directory') && !componentsOf(s).includes('messaging')));
const messagingUpgrade = (ctx: ManifestContext) => ctx.steps.find((s) => isMessagingUpgrade(ctx, s));
const lastMessagingUpgrade = (ctx: ManifestContext) => [...ctx.steps].reverse().find((s) => isMessagingUpgrade(ctx, s));

/** The messaging machines the plan upgrades (every messaging node when it upgrades none). */
function messagingHosts(ctx: ManifestContext): string[] {
  const all = ctx.nodes.filter((n) => n.role === 'messaging').map((n) => n.name);
  const up = all.filter((n) => ctx.steps.some((s) => isMessagingUpgrade(ctx, s) && s.nodes.some((r) => r.name === n)));
  return up.length ? up : all;
}
/** Directory Server instances: directory nodes, and messaging nodes whose `services` list `directory` (same server-root). */
const directoryHosts = (ctx: ManifestContext) =>
  ctx.nodes.filter((n) => n.role === 'directory' || (n.role === 'messaging' && servicesOf(n).includes('directory')));
/** Machines with iPlanet Web Server: web nodes, nodes listing `web`, else the messaging machines when `webServerVersion` is set. */
function webHosts(ctx: ManifestContext): string[] {
  const named = ctx.nodes.filter((n) => n.role === 'web' || servicesOf(n).includes('web')).map((n) => n.name);
  if (named.length) return named;
  return ctx.m.webServerVersion !== undefined ? messagingHosts(ctx) : [];
}
/** Machines with Delegated Administrator: nodes listing `delegated-admin`, or named by a stop or start of it. */
function delegatedAdminHosts(ctx: ManifestContext): string[] {
  const out = new Set(ctx.nodes.filter((n) => servicesOf(n).includes('delegated-admin')).map((n) => n.name));
  for (const s of ctx.steps)
    if (is(s, 'stop-service', 'service', 'delegated-admin') || is(s, 'start-service', 'service', 'delegated-admin')) for (const r of s.nodes) out.add(r.name);
  return [...out];
}
const START_MSG = /(^|[\s/])start-msg\b/;
/** Messaging Server is started: `start-service msg`, or `start-msg` (`start-msg ha` under HA, 004 L186) as a command. */
const isRestart = (s: StepInfo) => is(s, 'start-service', 'service', 'msg') || runsCommand(s, START_MSG);
const isDssetup = (s: StepInfo) => runsCommand(s, /ims_dssetup/);
const isDa = (p: unknown) => typeof p === 'string' && (/delegated/i.test(p) || /^i?da$/i.test(p.trim()));
const isWebPackage = (p: unknown) => typeof p === 'string' && !isDa(p) && /web|enterprise|\biws\b/i.test(p);
/** `webServerVersion` as written (a YAML number such as 4.10 is read from the source text). */
function webServerVersion(ctx: ManifestContext): { text: string; parts: [number, number, number] } | undefined {
  const raw = ctx.m.webServerVersion;
  const at = ctx.at('/webServerVersion');
  const text = typeof raw === 'number' && at ? ctx.file.index.text.slice(at.start, at.end) : typeof raw === 'string' ? raw.trim() : undefined;
  const parts = iplanet.webServer(text);
  return text !== undefined && parts ? { text, parts } : undefined;
}
const HA_PREPARED = ['sun-cluster-2.2', 'veritas'];
/** The cluster is prepared (004 L203–L205 `hareg -n`, `hareg -u iMS50`; L226–L228 the iMS5 group offline). */
const isHaOff = (s: StepInfo) => s.action === 'disable-ha' || runsCommand(s, /\bhareg\s+-[nu]\b/) || runsCommand(s, /\bha(grp|res)\b.*-(offline|unlink)\b/);

// ---------------------------------------------------------------------------------------------------------
// The order as chains (order.ts), read from what the steps are, not from where they stand.

const isStoreAway = (s: StepInfo) => is(s, 'backup', 'target', 'message-store') || is(s, 'unmount', 'target', 'message-store');
const isStoreBack = (s: StepInfo) => is(s, 'restore', 'target', 'message-store') || is(s, 'mount', 'target', 'message-store');
const isRootRestore = (s: StepInfo) => is(s, 'restore', 'target', 'server-root');
const isLdapExport = (s: StepInfo) => is(s, 'backup', 'target', 'db2ldif', 'ldapsearch') || runsCommand(s, /\b(db2ldif|ldapsearch)\b/);
const isConfigSave = (s: StepInfo) => is(s, 'backup', 'target', 'config-files');
const overlaps = (a: StepInfo, b: StepInfo) => a.nodes.length === 0 || b.nodes.length === 0 || b.nodes.some((r) => covers(a, r.name));
const isSc3Agent = (s: StepInfo) =>
  (s.action === 'install' && typeof s.data.package === 'string' && s.data.package.trim().toLowerCase() === iplanet.SC3_AGENT.toLowerCase()) ||
  runsCommand(s, /\bSUNWscims\b/);

/** A back-out: the restores of server-root, the stops before them and the starts after them, the store moved away and back. */
interface BackoutGroup {
  restores: StepInfo[];
  stops: StepInfo[];
  starts: StepInfo[];
  away: StepInfo[];
  back: StepInfo[];
  restarts: StepInfo[];
}
/**
 * The back-outs of the plan. A plan without an upgrade is one back-out: every stop, restore and start belongs to it,
 * wherever it stands. A plan that also upgrades has its back-outs where they stand (backouts()).
 */
function backoutGroups(ctx: ManifestContext): BackoutGroup[] {
  const restores = ctx.steps.filter(isRootRestore);
  if (!restores.length) return [];
  if (!ctx.steps.some(isUpgrade))
    return [
      {
        restores,
        stops: ctx.steps.filter((s) => s.action === 'stop-service'),
        starts: ctx.steps.filter((s) => s.action === 'start-service'),
        away: ctx.steps.filter(isStoreAway),
        back: ctx.steps.filter(isStoreBack),
        restarts: ctx.steps.filter(isRestart),
      },
    ];
  return backouts(ctx).map((b) => {
    const next = ctx.steps.find((s) => s.index > b.restore.index && (isUpgrade(s) || isRootRestore(s)))?.index ?? ctx.steps.length;
    const between = (s: StepInfo) => s.index > b.restore.index && s.index < next;
    return {
      restores: [b.restore],
      stops: b.stops,
      starts: b.starts,
      away: ctx.steps.filter((s) => s.index > b.start && s.index < b.restore.index && isStoreAway(s)),
      back: ctx.steps.filter((s) => between(s) && isStoreBack(s)),
      restarts: ctx.steps.filter((s) => between(s) && isRestart(s)),
    };
  });
}
/** The Move fix of a step to right before or after another (none in flow style). */
const moveTo = (ctx: ManifestContext, step: StepInfo, where: { before: StepInfo } | { after: StepInfo }) => {
  const f = moveFix(ctx, { step, rank: 0, ...where });
  return f ? { fixes: [f] } : {};
};
/** The steps that belong to a back-out (the forward rules leave them alone). */
function backoutSet(ctx: ManifestContext): Set<StepInfo> {
  const out = new Set<StepInfo>();
  for (const g of backoutGroups(ctx)) for (const s of [...g.restores, ...g.stops, ...g.starts, ...g.away, ...g.back, ...g.restarts]) out.add(s);
  return out;
}
/** The steps of the upgrade (not of a back-out) that match. */
const forward = (ctx: ManifestContext, pred: (s: StepInfo) => boolean) => {
  const bo = backoutSet(ctx);
  return ctx.steps.filter((s) => pred(s) && !bo.has(s));
};
const stopsOf = (ctx: ManifestContext, ...services: string[]) => forward(ctx, (s) => is(s, 'stop-service', 'service', ...services));
const messagingUpgrades = (ctx: ManifestContext) => ctx.steps.filter((s) => isMessagingUpgrade(ctx, s));
/** Directory Server-only setup runs (not a Messaging Server run that also upgrades the directory). */
const directoryOnlyUpgrades = (ctx: ManifestContext) => ctx.steps.filter((s) => isDirectoryUpgrade(ctx, s) && !isMessagingUpgrade(ctx, s));
/** The Veritas steps that bring the iMS5 group online again (004 L230): `-online` commands, else the first of two enable-ha. */
function haOnline(ctx: ManifestContext): { online: StepInfo[]; restore: StepInfo[] } {
  const enable = ctx.steps.filter((s) => s.action === 'enable-ha');
  if (ctx.m.highAvailability !== 'veritas') return { online: [], restore: enable };
  const cmds = ctx.steps.filter((s) => !isHaOff(s) && runsCommand(s, /-online\b/));
  if (cmds.length || enable.length < 2) return { online: cmds, restore: enable };
  return { online: enable.slice(0, 1), restore: enable.slice(1) };
}
/**
 * The checks that a co-located Directory Server runs after the cluster preparation (004 L207, L232): a start of it,
 * or the first of two or more verify steps on that node (the last ones check the restart, 004 L188).
 */
function directoryChecks(ctx: ManifestContext, name: string): StepInfo[] {
  const verifies = ctx.steps.filter((s) => s.action === 'verify' && covers(s, name));
  // The check that ims/ha-directory-running reads: a verify between the cluster preparation and the first upgrade;
  // without one, the first of two or more verifies there (the other being the check after the restart).
  const f = firstUpgrade(ctx);
  const off = f && ctx.steps.find((s) => s.index < f.index && isHaOff(s));
  const between = off && f ? verifies.filter((v) => v.index > off.index && v.index < f.index) : [];
  return [
    ...forward(ctx, (s) => is(s, 'start-service', 'service', 'directory') && covers(s, name)),
    ...(between.length ? between.slice(0, 1) : verifies.length > 1 ? verifies.slice(0, 1) : []),
  ];
}
const coLocatedDirectories = (ctx: ManifestContext) => {
  const hosts = messagingHosts(ctx);
  return ctx.nodes.filter((x) => hosts.includes(x.name) && servicesOf(x).includes('directory')).map((n) => n.name);
};
const haDirectoryChecks = (ctx: ManifestContext) =>
  HA_PREPARED.includes(String(ctx.m.highAvailability)) ? new Set(coLocatedDirectories(ctx).flatMap((n) => directoryChecks(ctx, n))) : new Set<StepInfo>();

// ---------------------------------------------------------------------------------------------------------
// Before the upgrade: stop the messaging processes, keep the Directory Server running (004 L18–L34).

const stopDispatcher: ManifestRule = {
  id: 'ims/stop-dispatcher',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004-01 (stop the MTA dispatcher first)',
  docs: ruleDocs('ims/stop-dispatcher'),
  // The dispatcher stops before every upgrade (the check asks for one before the first).
  order: (ctx) => [before(stopsOf(ctx, 'dispatcher'), ctx.steps.filter(isUpgrade))],
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    const stops = ctx.steps.filter((s) => s.index < f.index && is(s, 'stop-service', 'service', 'dispatcher'));
    const missing = messagingHosts(ctx).filter((h) => !stops.some((s) => covers(s, h)));
    if (!stops.length) report({ range: f.range, message: msg('ims/stop-dispatcher.message') });
    else if (missing.length) report({ range: f.range, message: msg('ims/stop-dispatcher.node', { nodes: missing }) });
  },
};

const stopServices: ManifestRule = {
  id: 'ims/stop-services',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004-02 (stop-admin, stop-msg and the Web Server before the upgrade)',
  docs: ruleDocs('ims/stop-services'),
  order: (ctx) => [before(stopsOf(ctx, 'msg', 'admin', 'web'), ctx.steps.filter(isUpgrade))],
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    const stopped = (svc: string, host?: string) =>
      ctx.steps.some((s) => s.index < f.index && is(s, 'stop-service', 'service', svc) && (host === undefined || covers(s, host)));
    const need = new Map<string, string[]>();
    for (const h of messagingHosts(ctx)) need.set(h, ['msg', 'admin']);
    for (const h of webHosts(ctx)) need.set(h, [...(need.get(h) ?? []), 'web']);
    if (!need.size) {
      const missing = ['msg', 'admin'].filter((x) => !stopped(x));
      if (missing.length) report({ range: f.range, message: msg('ims/stop-services.any', { services: missing }) });
      return;
    }
    for (const [node, services] of need) {
      const missing = services.filter((x) => !stopped(x, node));
      if (missing.length) report({ range: f.range, message: msg('ims/stop-services.message', { node, services: missing }) });
    }
  },
};

const directoryRunning: ManifestRule = {
  id: 'ims/directory-running',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004-03 (do not stop the Directory Server)',
  docs: ruleDocs('ims/directory-running'),
  // A stop of the Directory Server comes after the messaging upgrade, or before a start of it on the same node that
  // comes before the upgrade.
  order(ctx) {
    const mus = messagingUpgrades(ctx).length ? messagingUpgrades(ctx) : ctx.steps.filter(isUpgrade);
    if (!mus.length) return [];
    const starts = forward(ctx, (t) => is(t, 'start-service', 'service', 'directory'));
    return stopsOf(ctx, 'directory').map((s) => {
      const again = starts.filter((t) => s.nodes.length === 0 || t.nodes.length === 0 || t.nodes.some((r) => covers(s, r.name)));
      return again.length ? ranked([[s], again, mus]) : before(mus, s);
    });
  },
  check(ctx, report) {
    const mu = messagingUpgrade(ctx) ?? firstUpgrade(ctx);
    if (!mu) return;
    for (const s of ctx.steps) {
      if (s.index >= mu.index || !is(s, 'stop-service', 'service', 'directory')) continue;
      const restarted = ctx.steps.some(
        (t) =>
          t.index > s.index &&
          t.index < mu.index &&
          is(t, 'start-service', 'service', 'directory') &&
          (s.nodes.length === 0 || t.nodes.length === 0 || t.nodes.some((r) => covers(s, r.name))),
      );
      if (restarted) continue;
      report({ range: s.range, message: msg('ims/directory-running.message'), related: [related(mu.range, msg('ims/directory-running.related'))] });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// Backups (004 L41–L83).

const backup: ManifestRule = {
  id: 'ims/backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-05, 004-06, 004-07, 004-08, 004-09 (server-root, message queue, LDAP export, message store before the upgrade)',
  docs: ruleDocs('ims/backup'),
  order(ctx) {
    const ups = ctx.steps.filter(isUpgrade);
    if (!ups.length) return [];
    const saves = forward(ctx, (s) => is(s, 'backup', 'target', 'server-root', 'message-queue') || isStoreAway(s) || isLdapExport(s));
    const stops = stopsOf(ctx, 'msg', 'dispatcher');
    // 004 L47: the queue is saved after the processes of its node are stopped.
    const queues = saves
      .filter((q) => is(q, 'backup', 'target', 'message-queue'))
      .map((q) =>
        before(
          stops.filter((s) => overlaps(q, s)),
          q,
        ),
      );
    // Each kind of save on each node before the upgrade; a save taken again afterwards stays where it is.
    const kinds = new Map<string, StepInfo[]>();
    for (const s of saves) {
      const key = `${s.action}|${String(s.data.target)}|${String(s.data.run)}|${s.nodes.map((r) => r.name).join(',')}`;
      kinds.set(key, [...(kinds.get(key) ?? []), s]);
    }
    return [...[...kinds.values()].map((k) => someBefore(k, ups)), ...queues];
  },
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    const before = ctx.steps.filter((s) => s.index < f.index);
    const has = (pred: (s: StepInfo) => boolean, host: string) => before.some((s) => pred(s) && covers(s, host));
    const missing: Message[] = [];
    for (const h of messagingHosts(ctx)) {
      if (!has((s) => is(s, 'backup', 'target', 'server-root'), h)) missing.push(msg('ims/backup.item.serverRoot', { node: h }));
      if (!has((s) => is(s, 'backup', 'target', 'message-store') || is(s, 'unmount', 'target', 'message-store'), h))
        missing.push(msg('ims/backup.item.store', { node: h }));
    }
    // 004 L51: db2ldif for each slapd instance; L53: or a selective export with ldapsearch, which reaches the
    // directory over the network (-h), so an export made from another machine stands for every instance.
    const ldap = (s: StepInfo) => is(s, 'backup', 'target', 'db2ldif', 'ldapsearch') || runsCommand(s, /\b(db2ldif|ldapsearch)\b/);
    const dirs = directoryHosts(ctx);
    const remote = before.some(
      (s) =>
        (is(s, 'backup', 'target', 'ldapsearch') || runsCommand(s, /\bldapsearch\b/)) &&
        s.nodes.length > 0 &&
        !s.nodes.some((r) => dirs.some((d) => d.name === r.name)),
    );
    if (!dirs.length && !before.some(ldap)) missing.push(msg('ims/backup.item.ldapAny'));
    if (!remote) for (const d of dirs) if (!has(ldap, d.name)) missing.push(msg('ims/backup.item.ldap', { node: d.name }));
    if (missing.length) report({ range: f.range, message: msg('ims/backup.message', { missing }) });
    // 004 L47: the queue holds what was in transit when the processes were stopped, so it is saved after the stops.
    for (const q of before.filter((s) => is(s, 'backup', 'target', 'message-queue'))) {
      const stop = before.find(
        (s) =>
          s.index > q.index &&
          is(s, 'stop-service', 'service', 'msg', 'dispatcher') &&
          (q.nodes.length === 0 || s.nodes.length === 0 || s.nodes.some((r) => covers(q, r.name))),
      );
      if (stop)
        report({
          range: q.range,
          message: msg('ims/backup.queueEarly', { id: stop.id }),
          related: [related(stop.range, msg('ims/backup.queueEarly.related'))],
        });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// The Directory Server upgrade and the setup program (004 L86–L131).

const sameServerRoot: ManifestRule = {
  id: 'ims/same-server-root',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '004-20 (same machine, same server-root)',
  docs: ruleDocs('ims/same-server-root'),
  check(ctx, report) {
    // 004 L127: the same machine too. A messaging node that `replaces` another and is upgraded moves the upgrade
    // to a new machine.
    for (const n of ctx.nodes) {
      if (n.role !== 'messaging' || typeof n.data.replaces !== 'string' || !ctx.steps.some((s) => isUpgrade(s) && s.nodes.some((r) => r.name === n.name)))
        continue;
      report({ range: ctx.range(`/nodes/${n.index}/replaces`), message: msg('ims/same-server-root.machine', { node: n.name, old: n.data.replaces }) });
    }
    const a = ctx.m.serverRoot,
      b = ctx.m.targetServerRoot;
    if (typeof b !== 'string' || typeof a !== 'string' || trimTrailingSlashes(a) === trimTrailingSlashes(b)) return;
    report({
      range: ctx.range('/targetServerRoot'),
      message: msg('ims/same-server-root.message', { b, a }),
      fixes: [{ title: msg('ims/same-server-root.fix', { a }), preferred: true, edits: [{ range: ctx.range('/targetServerRoot'), newText: yamlScalar(a) }] }],
    });
  },
};

const directoryUpgrade: ManifestRule = {
  id: 'ims/directory-upgrade',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-10, 004-14 (Directory Server 4.13 → 4.16, each instance, before Messaging Server)',
  docs: ruleDocs('ims/directory-upgrade'),
  order(ctx) {
    const dv = parseVersion(ctx.m.directoryServerVersion);
    if (!dv || !iplanet.is52(ctx.to) || !iplanet.directoryTooOld(dv)) return [];
    return [before(directoryOnlyUpgrades(ctx), messagingUpgrades(ctx))];
  },
  check(ctx, report) {
    const dv = parseVersion(ctx.m.directoryServerVersion);
    if (!dv || !iplanet.is52(ctx.to) || !iplanet.directoryTooOld(dv)) return;
    const ups = ctx.steps.filter(isUpgrade);
    if (!ups.length) return;
    const mu = messagingUpgrade(ctx);
    // Before the messaging upgrade; or in the same run (004 L131: the default components include the Directory Server).
    const inTime = (s: StepInfo, together: boolean) => !mu || s.index < mu.index || (together && s.index === mu.index);
    const upgraded = (d: NodeInfo) =>
      ups.some((s) =>
        d.role === 'directory'
          ? s.nodes.some((r) => r.name === d.name) && inTime(s, false)
          : covers(s, d.name) && componentsOf(s).includes('directory') && inTime(s, true),
      );
    const dirs = directoryHosts(ctx);
    const notUpgraded = dirs.filter((d) => !upgraded(d));
    const none = dirs.length ? notUpgraded.length === dirs.length : !ups.some((s) => componentsOf(s).includes('directory') && inTime(s, true));
    if (none) {
      report({ range: ctx.range('/directoryServerVersion'), message: msg('ims/directory-upgrade.message', { dv: dv.text }) });
      return;
    }
    for (const d of notUpgraded) report({ range: d.nameRange, message: msg('ims/directory-upgrade.node', { dv: dv.text, node: d.name }) });
  },
};

const setupComponents: ManifestRule = {
  id: 'ims/setup-components',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-13, 004-22 (setup components for a Directory Server-only upgrade and for Messaging Server)',
  docs: ruleDocs('ims/setup-components'),
  check(ctx, report) {
    for (const s of ctx.steps) {
      if (!isUpgrade(s) || !Array.isArray(s.data.components)) continue;
      const c = componentsOf(s);
      const range = ctx.range(`/steps/${s.index}/components`);
      const lacking = (want: string[]) => want.filter((x) => !c.includes(x));
      const dirNode = s.nodes.find((r) => roleOf(ctx, r.name) === 'directory');
      if (!dirNode && s.nodes.length && !namesRole(ctx, s, 'messaging')) continue; // a web or admin node: no Messaging Server setup
      if (dirNode && c.includes('messaging')) {
        report({ range, severity: 'error', message: msg('ims/setup-components.messagingOnDirectory', { id: s.id, node: dirNode.name }) });
        continue;
      }
      if (dirNode || !c.includes('messaging')) {
        if (!c.includes('directory') && !dirNode) report({ range, message: msg('ims/setup-components.neither', { id: s.id }) });
        else if (lacking(['core', 'directory', 'admin']).length)
          report({ range, message: msg('ims/setup-components.directoryOnly', { id: s.id, missing: lacking(['core', 'directory', 'admin']) }) });
        continue;
      }
      if (lacking(['core', 'admin']).length)
        report({ range, message: msg('ims/setup-components.messaging', { id: s.id, missing: lacking(['core', 'admin']) }) });
      const ds = ctx.steps.find((d) => d.index < s.index && isDirectoryUpgrade(ctx, d));
      if (ds && c.includes('directory'))
        report({
          range,
          message: msg('ims/setup-components.alreadyUpgraded', { id: s.id, ds: ds.id }),
          related: [related(ds.range, msg('ims/setup-components.related'))],
        });
    }
  },
};

const dssetup: ManifestRule = {
  id: 'ims/dssetup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '004-16 (ims_dssetup.pl after the Directory Server or the Messaging Server upgrade)',
  docs: ruleDocs('ims/dssetup'),
  // After the Directory Server runs where there are any (004 L104), else after the Messaging Server upgrade (L171).
  order(ctx) {
    const ds = directoryOnlyUpgrades(ctx);
    return [before(ds.length ? ds : messagingUpgrades(ctx), ctx.steps.filter(isDssetup))];
  },
  check(ctx, report) {
    const ups = ctx.steps.filter((s) => isMessagingUpgrade(ctx, s) || isDirectoryUpgrade(ctx, s));
    if (!ups.length) return;
    const first = ups[0];
    const found = ctx.steps.filter(isDssetup);
    if (found.some((s) => s.index > first.index)) return;
    if (found.length) {
      // Moved after the last Directory Server run (or the last Messaging Server upgrade): where the chain wants it.
      const ds = directoryOnlyUpgrades(ctx);
      const base = ds.length ? ds : messagingUpgrades(ctx);
      const to = base[base.length - 1] ?? first;
      report({
        range: found[0].range,
        message: msg('ims/dssetup.early', { id: first.id }),
        related: [related(first.range, msg('ims/dssetup.related'))],
        ...moveTo(ctx, found[0], { after: to }),
      });
    } else report({ range: ups[ups.length - 1].range, message: msg('ims/dssetup.message') });
  },
};

const upgradePath: ManifestRule = {
  id: 'ims/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-17, 004-38 (upgrades to 5.2 start from 5.x; the way back is the back-out)',
  docs: ruleDocs('ims/upgrade-path'),
  check(ctx, report) {
    const { from, to } = ctx;
    if (!from || !to) return;
    if (compareVersions(to, from) < 0) {
      const u = firstUpgrade(ctx);
      if (u) report({ range: u.range, message: msg('ims/upgrade-path.downgrade', { from: from.text, to: to.text }) });
      else if (!ctx.steps.some((s) => is(s, 'restore', 'target', 'server-root')))
        report({ range: ctx.range('/to'), message: msg('ims/upgrade-path.noRestore', { from: from.text, to: to.text }) });
      return;
    }
    if (iplanet.is52(to) && compareVersions(from, to, 2) < 0 && !iplanet.supportedTo52(from))
      report({ range: ctx.range('/from'), message: msg('ims/upgrade-path.message', { from: from.text }) });
  },
};

const restart: ManifestRule = {
  id: 'ims/restart',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004-23 (processes are not started after the upgrade)',
  docs: ruleDocs('ims/restart'),
  order: (ctx) => [before(ctx.steps.filter(isUpgrade), forward(ctx, isRestart))],
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || ctx.steps.some((s) => s.index > l.index && isRestart(s))) return;
    report({ range: l.range, message: msg('ims/restart.message') });
  },
};

// ---------------------------------------------------------------------------------------------------------
// After the upgrade (004 L157–L190).

const saveConfig: ManifestRule = {
  id: 'ims/save-config',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004-15, 004-24 (save install.inf and the configuration files after setup)',
  docs: ruleDocs('ims/save-config'),
  // On each node: each setup run, then the save of its files (004 L102, L161), before the next run there.
  order(ctx) {
    const out: OrderChain[] = [];
    for (const n of ctx.nodes) {
      // The Directory Server runs first, as the guide has them (004 L86–L131), so the order does not come from positions.
      const kindOf = (s: StepInfo) => (isMessagingUpgrade(ctx, s) ? 1 : 0);
      const ups = ctx.steps
        .filter((s) => covers(s, n.name) && (isDirectoryUpgrade(ctx, s) || (isMessagingUpgrade(ctx, s) && (s.nodes.length === 0 || n.role === 'messaging'))))
        .sort((a, b) => kindOf(a) - kindOf(b) || a.index - b.index);
      const saves = ctx.steps.filter((s) => isConfigSave(s) && covers(s, n.name));
      if (!ups.length || !saves.length) continue;
      const k = Math.min(ups.length, saves.length);
      // The last saves go with the last runs; earlier saves (before any run) are not ordered here.
      const items = ups.map((step, i) => ({ step, rank: 2 * i }));
      saves.slice(saves.length - k).forEach((step, j) => items.push({ step, rank: 2 * (ups.length - k + j) + 1 }));
      out.push(chain(items));
    }
    return out;
  },
  check(ctx, report) {
    const saved = (host: string | undefined, after: StepInfo, before?: StepInfo) =>
      ctx.steps.some(
        (s) =>
          s.index > after.index && (!before || s.index < before.index) && is(s, 'backup', 'target', 'config-files') && (host === undefined || covers(s, host)),
      );
    for (const d of ctx.steps.filter((s) => isDirectoryUpgrade(ctx, s))) {
      for (const host of d.nodes.length ? d.nodes.map((r) => r.name) : [undefined]) {
        const next = ctx.steps.find((s) => s.index > d.index && isUpgrade(s) && (host === undefined || covers(s, host)));
        if (!saved(host, d, next)) report({ range: d.range, message: msg('ims/save-config.directory', { node: host ?? d.id }) });
      }
    }
    const done = new Set<string>();
    for (const s of [...ctx.steps].reverse()) {
      if (!isMessagingUpgrade(ctx, s)) continue;
      for (const host of s.nodes.length ? s.nodes.filter((r) => roleOf(ctx, r.name) === 'messaging').map((r) => r.name) : [undefined]) {
        const key = host ?? '';
        if (done.has(key)) continue;
        done.add(key);
        if (!saved(host, s)) report({ range: s.range, message: msg('ims/save-config.messaging', { node: host ?? s.id }) });
      }
    }
  },
};

const messageStoreReturned: ManifestRule = {
  id: 'ims/message-store-returned',
  kind: 'upgrade-manifest',
  severity: 'information',
  fix: 'preferred',
  products: P,
  source: '004-25 (mount the message store again, or move it back, before the restart)',
  docs: ruleDocs('ims/message-store-returned'),
  order(ctx) {
    const out: OrderChain[] = [];
    for (const h of messagingHosts(ctx)) {
      if (!forward(ctx, (s) => isStoreAway(s) && covers(s, h)).length) continue;
      const mine = (pred: (s: StepInfo) => boolean) => forward(ctx, (s) => pred(s) && covers(s, h));
      out.push(ranked([mine((s) => isMessagingUpgrade(ctx, s)), mine(isStoreBack), mine(isRestart)]));
    }
    return out;
  },
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    for (const h of messagingHosts(ctx)) {
      const saved = ctx.steps.some(
        (s) => s.index < f.index && (is(s, 'backup', 'target', 'message-store') || is(s, 'unmount', 'target', 'message-store')) && covers(s, h),
      );
      const lu = [...ctx.steps].reverse().find((s) => isMessagingUpgrade(ctx, s) && covers(s, h));
      if (!saved || !lu) continue;
      const back = ctx.steps.find(
        (s) => s.index > lu.index && (is(s, 'restore', 'target', 'message-store') || is(s, 'mount', 'target', 'message-store')) && covers(s, h),
      );
      const start = ctx.steps.find((s) => s.index > lu.index && isRestart(s) && covers(s, h));
      if (!back) report({ range: lu.range, message: msg('ims/message-store-returned.message', { node: h }) });
      else if (start && start.index < back.index)
        report({
          range: back.range,
          message: msg('ims/message-store-returned.late', { id: start.id }),
          related: [related(start.range, msg('ims/message-store-returned.related'))],
          ...moveTo(ctx, back, { before: start }),
        });
    }
  },
};

const webServer: ManifestRule = {
  id: 'ims/web-server',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004-26, 004-27 (iPlanet Web Server 6.0 SP2; no upgrade from earlier versions, 4.x is migrated)',
  docs: ruleDocs('ims/web-server'),
  order(ctx) {
    const w = webServerVersion(ctx);
    if (!w || !iplanet.is52(ctx.to) || iplanet.webServerSupported(w.parts)) return [];
    const web = ctx.steps.filter((s) => (isUpgrade(s) && namesRole(ctx, s, 'web')) || (s.action === 'install' && isWebPackage(s.data.package)));
    return [before(messagingUpgrades(ctx), web)];
  },
  check(ctx, report) {
    const w = webServerVersion(ctx);
    const mu = lastMessagingUpgrade(ctx);
    if (!w || !mu || !iplanet.is52(ctx.to) || iplanet.webServerSupported(w.parts)) return;
    const webUpgrades = ctx.steps.filter((s) => isUpgrade(s) && namesRole(ctx, s, 'web'));
    if (!iplanet.webServerUpgradable(w.parts))
      for (const s of webUpgrades) report({ range: s.range, message: msg('ims/web-server.noUpgrade', { id: s.id, version: w.text }) });
    const installs = ctx.steps.filter((s) => s.index > mu.index && s.action === 'install' && isWebPackage(s.data.package));
    const good = (s: StepInfo) => {
      const iv = iplanet.webServer(s.data.version);
      return s.data.version === undefined || (!!iv && iplanet.webServerSupported(iv));
    };
    if (installs.some(good) || (iplanet.webServerUpgradable(w.parts) && webUpgrades.some((s) => s.index > mu.index))) return;
    const old = installs[0];
    if (old)
      report({ range: ctx.range(`/steps/${old.index}/version`), message: msg('ims/web-server.oldInstall', { id: old.id, version: String(old.data.version) }) });
    else if (!webUpgrades.length) report({ range: ctx.range('/webServerVersion'), message: msg('ims/web-server.message', { version: w.text }) });
  },
};

const delegatedAdmin: ManifestRule = {
  id: 'ims/delegated-admin',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '004-28 (uninstall Delegated Administrator, install 1.2)',
  docs: ruleDocs('ims/delegated-admin'),
  order(ctx) {
    if (!iplanet.is52(ctx.to)) return [];
    const mus = messagingUpgrades(ctx);
    return delegatedAdminHosts(ctx).map((h) => {
      const da = (action: string) => ctx.steps.filter((s) => s.action === action && isDa(s.data.package) && covers(s, h));
      return ranked([mus, da('uninstall'), da('install')]);
    });
  },
  check(ctx, report) {
    const mu = lastMessagingUpgrade(ctx);
    if (!mu || !iplanet.is52(ctx.to)) return;
    for (const h of delegatedAdminHosts(ctx)) {
      const after = ctx.steps.filter((s) => s.index > mu.index && isDa(s.data.package) && covers(s, h));
      const un = after.find((s) => s.action === 'uninstall');
      const ins = after.filter((s) => s.action === 'install');
      if (!un && !ins.length) {
        report({ range: mu.range, message: msg('ims/delegated-admin.message', { node: h }) });
        continue;
      }
      if (!un) {
        report({ range: ins[0].range, message: msg('ims/delegated-admin.noUninstall', { id: ins[0].id, node: h }) });
        continue;
      }
      const i = ins.find((s) => s.index > un.index);
      if (!i) {
        report({ range: un.range, message: msg('ims/delegated-admin.noInstall', { node: h }) });
        continue;
      }
      const iv = parseVersion(i.data.version);
      if (i.data.version !== undefined && (!iv || compareVersions(iv, v(iplanet.DELEGATED_ADMIN), 2) !== 0))
        report({ range: ctx.range(`/steps/${i.index}/version`), message: msg('ims/delegated-admin.version', { version: String(i.data.version) }) });
    }
  },
};

const verifyAfterRestart: ManifestRule = {
  id: 'ims/verify-after-restart',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004-29 (check mail.log_current and the queue after the restart)',
  docs: ruleDocs('ims/verify-after-restart'),
  // Each restart before the checks of its node (not the Directory Server check of a cluster preparation).
  order(ctx) {
    if (!ctx.steps.some(isUpgrade)) return [];
    const ds = haDirectoryChecks(ctx);
    return forward(ctx, isRestart).map((r) => {
      const host = r.nodes[0]?.name;
      // A check after the restart (a check written before it, e.g. before the upgrade, stays there).
      return someAfter(
        [r],
        ctx.steps.filter((s) => s.action === 'verify' && !ds.has(s) && (host === undefined || covers(s, host))),
      );
    });
  },
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    const start = l && ctx.steps.find((s) => s.index > l.index && isRestart(s));
    if (!start) return;
    const host = start.nodes[0]?.name;
    if (ctx.steps.some((s) => s.index > start.index && s.action === 'verify' && (host === undefined || covers(s, host)))) return;
    report({ range: start.range, message: msg('ims/verify-after-restart.message') });
  },
};

// ---------------------------------------------------------------------------------------------------------
// High availability (004 L194–L247).

const haPrepare: ManifestRule = {
  id: 'ims/ha-prepare',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-04, 004-31 (Sun Cluster 2.2 and Veritas: prepare the cluster before the upgrade)',
  docs: ruleDocs('ims/ha-prepare'),
  order(ctx) {
    const ha = String(ctx.m.highAvailability);
    if (!HA_PREPARED.includes(ha)) return [];
    return [ranked([ctx.steps.filter(isHaOff), haOnline(ctx).online, ctx.steps.filter(isUpgrade)])];
  },
  check(ctx, report) {
    const ha = String(ctx.m.highAvailability);
    const f = firstUpgrade(ctx);
    if (!HA_PREPARED.includes(ha) || !f) return;
    const off = ctx.steps.find((s) => s.index < f.index && isHaOff(s));
    if (!off) {
      report({
        range: ctx.range('/highAvailability'),
        message: msg('ims/ha-prepare.message', { ha, id: f.id }),
        related: [related(f.range, msg('ims/ha-prepare.related'))],
      });
      return;
    }
    // 004 L230: the iMS5 group comes back online (its dependencies unlinked) so that the upgrade can reach the server.
    const online = ctx.steps.some((s) => s.index > off.index && s.index < f.index && (s.action === 'enable-ha' || runsCommand(s, /-online\b/)));
    if (ha === 'veritas' && !online) report({ range: off.range, message: msg('ims/ha-prepare.online', { id: f.id }) });
  },
};

const haDirectoryRunning: ManifestRule = {
  id: 'ims/ha-directory-running',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004-32 (under Sun Cluster 2.2 and Veritas, make sure a Directory Server in the same server-root runs)',
  docs: ruleDocs('ims/ha-directory-running'),
  order(ctx) {
    if (!HA_PREPARED.includes(String(ctx.m.highAvailability))) return [];
    const offs = ctx.steps.filter(isHaOff);
    const ups = ctx.steps.filter(isUpgrade);
    // The check written between the cluster preparation and the upgrade (else the plan's first one); other checks of
    // the node (before the preparation, after the upgrade) stay where they are.
    const firstUp = Math.min(...ups.map((u) => u.index));
    const firstOff = Math.min(...offs.map((o) => o.index));
    return coLocatedDirectories(ctx).map((n) => {
      const checks = directoryChecks(ctx, n);
      const between = checks.filter((c) => c.index > firstOff && c.index < firstUp);
      return ranked([offs, between.length ? between : checks.slice(0, 1), ups]);
    });
  },
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!HA_PREPARED.includes(String(ctx.m.highAvailability)) || !f) return;
    const off = ctx.steps.find((s) => s.index < f.index && isHaOff(s));
    if (!off) return;
    const hosts = messagingHosts(ctx);
    for (const n of ctx.nodes.filter((x) => hosts.includes(x.name) && servicesOf(x).includes('directory'))) {
      const checked = ctx.steps.some(
        (s) => s.index > off.index && s.index < f.index && (s.action === 'verify' || is(s, 'start-service', 'service', 'directory')) && covers(s, n.name),
      );
      if (!checked) report({ range: off.range, message: msg('ims/ha-directory-running.message', { node: n.name }) });
    }
  },
};

const haRestore: ManifestRule = {
  id: 'ims/ha-restore',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-34 (set the Sun Cluster 2.2 agent or the Veritas dependency tree up again)',
  docs: ruleDocs('ims/ha-restore'),
  order: (ctx) => (HA_PREPARED.includes(String(ctx.m.highAvailability)) ? [before(messagingUpgrades(ctx), haOnline(ctx).restore)] : []),
  check(ctx, report) {
    const ha = String(ctx.m.highAvailability);
    const lm = lastMessagingUpgrade(ctx);
    if (!HA_PREPARED.includes(ha) || !lm || ctx.steps.some((s) => s.index > lm.index && s.action === 'enable-ha')) return;
    report({ range: lm.range, message: msg('ims/ha-restore.message', { ha }) });
  },
};

const sunCluster22: ManifestRule = {
  id: 'ims/sc22-lower-tier',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '004-35 (Sun Cluster 2.2 is a lower tier in 5.2; Sun Cluster 3.x is strongly recommended)',
  docs: ruleDocs('ims/sc22-lower-tier'),
  check(ctx, report) {
    if (ctx.m.highAvailability !== 'sun-cluster-2.2' || !iplanet.is52(ctx.to)) return;
    report({ range: ctx.range('/highAvailability'), message: msg('ims/sc22-lower-tier.message') });
  },
};

const sc3Agent: ManifestRule = {
  id: 'ims/sc3-agent',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '004-36, 004-37 (Sun Cluster 3.x: Messaging Server first, then SUNWscims on each cluster node)',
  docs: ruleDocs('ims/sc3-agent'),
  order: (ctx) => (ctx.m.highAvailability === 'sun-cluster-3' && iplanet.is52(ctx.to) ? [before(messagingUpgrades(ctx), ctx.steps.filter(isSc3Agent))] : []),
  check(ctx, report) {
    const lm = lastMessagingUpgrade(ctx);
    if (ctx.m.highAvailability !== 'sun-cluster-3' || !lm || !iplanet.is52(ctx.to)) return;
    const agent = (s: StepInfo) =>
      (s.action === 'install' && typeof s.data.package === 'string' && s.data.package.trim().toLowerCase() === iplanet.SC3_AGENT.toLowerCase()) ||
      runsCommand(s, /\bSUNWscims\b/);
    const after = ctx.steps.filter((s) => s.index > lm.index && agent(s));
    const missing = ctx.nodes.filter((n) => n.role === 'messaging' && !after.some((s) => covers(s, n.name))).map((n) => n.name);
    if (!missing.length) return;
    const early = ctx.steps.find((s) => s.index < lm.index && agent(s) && missing.some((n) => covers(s, n)));
    if (early)
      report({
        range: early.range,
        message: msg('ims/sc3-agent.early', { id: lm.id }),
        related: [related(lm.range, msg('ims/sc3-agent.related'))],
        ...moveTo(ctx, early, { after: lm }),
      });
    else report({ range: lm.range, message: msg('ims/sc3-agent.message', { nodes: missing }) });
  },
};

// ---------------------------------------------------------------------------------------------------------
// The back-out (004 L251–L281): stops, the store out of the way, restore of server-root, the store back, starts.

interface Backout {
  restore: StepInfo;
  /** After the last upgrade before the restore (-1: none). */
  start: number;
  stops: StepInfo[];
  starts: StepInfo[];
}
function backouts(ctx: ManifestContext): Backout[] {
  const out: Backout[] = [];
  for (const r of ctx.steps.filter((s) => is(s, 'restore', 'target', 'server-root'))) {
    const start = [...ctx.steps.slice(0, r.index)].reverse().find(isUpgrade)?.index ?? -1;
    const stops: StepInfo[] = [];
    for (let i = r.index - 1; i > start; i--) {
      const s = ctx.steps[i];
      if (s.action === 'start-service') break;
      if (s.action === 'stop-service') stops.unshift(s);
    }
    const starts: StepInfo[] = [];
    for (let i = r.index + 1; i < ctx.steps.length; i++) {
      const s = ctx.steps[i];
      if (s.action === 'stop-service' || isUpgrade(s) || is(s, 'restore', 'target', 'server-root')) break;
      if (s.action === 'start-service') starts.push(s);
    }
    out.push({ restore: r, start, stops, starts });
  }
  return out;
}

/** The back-out order of a group as one chain: the stops in the guide's order, the restore, the starts in order. */
function backoutChain(g: BackoutGroup): OrderChain {
  const stopRank = (s: StepInfo) => (iplanet.BACKOUT_STOP as readonly string[]).indexOf(s.data.service === 'dispatcher' ? 'msg' : String(s.data.service));
  const startRank = (s: StepInfo) => (iplanet.BACKOUT_START as readonly string[]).indexOf(String(s.data.service));
  const R = iplanet.BACKOUT_STOP.length;
  return chain([
    ...g.stops.filter((s) => stopRank(s) >= 0).map((step) => ({ step, rank: stopRank(step) })),
    ...g.restores.map((step) => ({ step, rank: R })),
    ...g.starts.filter((s) => startRank(s) >= 0).map((step) => ({ step, rank: R + 1 + startRank(step) })),
  ]);
}

const backoutOrder: ManifestRule = {
  id: 'ims/backout-order',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '004-39, 004-42 (back-out: stop and start the processes in the order given)',
  docs: ruleDocs('ims/backout-order'),
  order: (ctx) => backoutGroups(ctx).map(backoutChain),
  check(ctx, report) {
    const need = ['msg', 'directory', 'admin'];
    if (webHosts(ctx).length || ctx.steps.some((s) => is(s, 'stop-service', 'service', 'web'))) need.unshift('web');
    if (delegatedAdminHosts(ctx).length) need.unshift('delegated-admin');
    const stopOrder = iplanet.BACKOUT_STOP.join(' → ');
    const startOrder = iplanet.BACKOUT_START.join(' → ');
    for (const g of backoutGroups(ctx)) {
      // The step out of place is the one that breaks the order (the one moved), with the step in place it must precede or follow.
      reportOutOfPlace(ctx, report, backoutChain(g), (o) => {
        const other = (o.before ?? o.after) as StepInfo;
        const kind = (s: StepInfo) => (isRootRestore(s) ? 'restore' : s.action === 'stop-service' ? 'stop' : 'start');
        const args = {
          id: o.step.id,
          service: String(o.step.data.service),
          other: String(other.data.service),
          order: kind(o.step) === 'stop' ? stopOrder : startOrder,
        };
        const related = o.before ? msg('ims/backout-order.related') : msg('ims/backout-order.relatedAfter');
        const k = kind(o.step);
        const ko = kind(other);
        let message: Message;
        if (k === 'restore') message = msg(o.after ? 'ims/backout-order.restoreEarly' : 'ims/backout-order.restoreLate', { id: o.step.id, other: other.id });
        else if (k === 'stop')
          message =
            ko === 'stop'
              ? msg(o.before ? 'ims/backout-order.stop' : 'ims/backout-order.stopEarly', args)
              : msg('ims/backout-order.stopLate', { id: o.step.id, service: args.service, other: other.id });
        else
          message =
            ko === 'start'
              ? msg(o.before ? 'ims/backout-order.start' : 'ims/backout-order.startEarly', args)
              : msg('ims/backout-order.startEarlyRestore', { id: o.step.id, service: args.service, other: other.id });
        return { message, related };
      });
      const r = g.restores[0];
      const missing = (steps: StepInfo[], order: readonly string[]) => order.filter((x) => need.includes(x) && !steps.some((s) => s.data.service === x));
      const stops = missing(g.stops, iplanet.BACKOUT_STOP);
      if (stops.length) report({ range: r.range, message: msg('ims/backout-order.stopMissing', { services: stops }) });
      const starts = missing(g.starts, iplanet.BACKOUT_START);
      if (starts.length) report({ range: r.range, message: msg('ims/backout-order.startMissing', { services: starts }) });
    }
  },
};

const backoutStore: ManifestRule = {
  id: 'ims/backout-store',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '004-40, 004-41 (back-out: unmount or save the message store before the restore, mount it or move it back after)',
  docs: ruleDocs('ims/backout-store'),
  order: (ctx) => backoutGroups(ctx).flatMap((g) => [someBefore(g.away, g.restores), ranked([g.restores, g.back, g.restarts])]),
  check(ctx, report) {
    for (const b of backouts(ctx)) {
      const r = b.restore;
      const away = ctx.steps.some(
        (s) => s.index > b.start && s.index < r.index && (is(s, 'unmount', 'target', 'message-store') || is(s, 'backup', 'target', 'message-store')),
      );
      if (!away) report({ range: r.range, message: msg('ims/backout-store.away') });
      const startMsg = ctx.steps.find((s) => s.index > r.index && isRestart(s));
      const back = ctx.steps.some(
        (s) =>
          s.index > r.index &&
          (!startMsg || s.index < startMsg.index) &&
          (is(s, 'mount', 'target', 'message-store') || is(s, 'restore', 'target', 'message-store')),
      );
      if (!back) report({ range: r.range, message: msg('ims/backout-store.back') });
    }
  },
};

export const imsRules: ManifestRule[] = [
  stopDispatcher,
  stopServices,
  directoryRunning,
  backup,
  sameServerRoot,
  directoryUpgrade,
  setupComponents,
  dssetup,
  upgradePath,
  restart,
  saveConfig,
  messageStoreReturned,
  webServer,
  delegatedAdmin,
  verifyAfterRestart,
  haPrepare,
  haDirectoryRunning,
  haRestore,
  sunCluster22,
  sc3Agent,
  backoutOrder,
  backoutStore,
];
