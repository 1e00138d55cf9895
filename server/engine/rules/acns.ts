/**
 * ACNS manifest rules (product: acns). Facts: reference 002, the chapter on upgrading from ACNS 5.1; the row ids in
 * each rule's `source` are those of docs/guide-coverage.md.
 *
 * The guide's two CDM procedures, as manifest steps:
 * - upgrade with a standby CDM (002-36 to 002-41): `no cms enable` on the standby, then on the primary; install the
 *   primary from the CLI; copy the `.dump` files its install wrote off the device; `cms enable` on the primary;
 *   check the network; install the standby; `cms enable` on the standby.
 * - CDM downgrade within 5.x (002-42 to 002-48): `no cms enable` on the standby (if any), then on the primary; on
 *   the primary an optional `cms database backup`, then `cms database delete`, `cms database restore` of the dump of
 *   the target version, the install and `cms enable`; on the standby `cms database backup`, the install, then
 *   `cms database delete` and `cms database create` (never a restore) and `cms enable`.
 * A `command` step whose `run` is the guide's CLI command counts as the matching step.
 */
import { msg, ruleDocs } from '../l10n/index';
import { parseMeta } from '../parse/kv';
import { asArr, asObj, firstUpgradeOf, insertStepAfter, insertStepBefore, isUpgrade, related, roleOf, runsCommand, stepNames } from '../manifest';
import type { ManifestContext, StepInfo } from '../manifest';
import { compareVersions, parseVersion } from '../versions';
import { yamlScalar } from '../parse/yaml';
import { acns } from '../products/index';
import { chain, moveFix, someBefore, outOfPlace, ranked, reportOutOfPlace, type OrderChain, type OutOfPlace } from '../order';
import { splitUrl, urlFileName } from '../url';
import type { ManifestRule } from './manifest';
import { META_KEYS } from './meta';

const CDM = new Set(['cdm-primary', 'cdm-standby']);
const PRIMARY = new Set(['cdm-primary']);
const EDGE = new Set(['content-engine', 'content-router']);
const P = ['acns'];

const namesWith = (ctx: ManifestContext, s: StepInfo, roles: Set<string>) => s.nodes.filter((r) => roles.has(roleOf(ctx, r.name) ?? '')).map((r) => r.name);
const isDowngrade = (ctx: ManifestContext) => acns.isDowngrade(ctx.from, ctx.to);
const cdmDowngrade = (ctx: ManifestContext) => acns.cdmDowngradeProcedure(ctx.from, ctx.to);
const hasStandby = (ctx: ManifestContext) => ctx.nodes.some((n) => n.role === 'cdm-standby');
const nodesOf = (ctx: ManifestContext, role: string) => [...ctx.byName.values()].filter((n) => n.role === role);
const { IMAGE, imageVersion } = acns;

// ---------------------------------------------------------------------------------------------------------
// What a step does on a CDM, as a manifest step or as the guide's CLI command in a `command` step.

type Act = 'cms-stop' | 'cms-start' | 'db-backup' | 'db-delete' | 'db-create' | 'db-restore' | 'dump-copy';

const STEP: Record<Act, (s: StepInfo) => boolean> = {
  'cms-stop': (s) => s.action === 'stop-service' && s.data.service === 'cms',
  'cms-start': (s) => s.action === 'start-service' && s.data.service === 'cms',
  'db-backup': (s) => s.action === 'backup' && s.data.target === 'cdm-database',
  'db-delete': (s) => s.action === 'delete' && s.data.target === 'cdm-database',
  'db-create': (s) => s.action === 'create' && s.data.target === 'cdm-database',
  'db-restore': (s) => s.action === 'restore' && s.data.target === 'cdm-database',
  'dump-copy': (s) => s.action === 'backup' && s.data.target === 'cdm-dump',
};

const COMMAND: Record<Act, RegExp | ((run: string) => boolean)> = {
  'cms-stop': /\bno\s+cms\s+enable\b/i,
  'cms-start': /(?<!\bno\s+)\bcms\s+enable\b/i,
  'db-backup': /\bcms\s+database\s+backup\b/i,
  'db-delete': /\bcms\s+database\s+delete\b/i,
  'db-create': /\bcms\s+database\s+create\b/i,
  'db-restore': /\bcms\s+database\s+restore\b/i,
  // 002-39: `copy … ` of the `.dump` files the install wrote to /local/local1.
  'dump-copy': (run) => /\bcopy\b/i.test(run) && /\.dump\b/i.test(run),
};

const does = (s: StepInfo, act: Act) => STEP[act](s) || runsCommand(s, COMMAND[act]);

/** The steps that name each node, in order (built once per manifest: the rules ask per node). */
const perNode = new WeakMap<ManifestContext, Map<string, StepInfo[]>>();
function stepsOn(ctx: ManifestContext, name: string): StepInfo[] {
  let m = perNode.get(ctx);
  if (!m) {
    m = new Map();
    for (const s of ctx.steps)
      for (const r of s.nodes) {
        const list = m.get(r.name) ?? [];
        if (list[list.length - 1] !== s) list.push(s);
        m.set(r.name, list);
      }
    perNode.set(ctx, m);
  }
  return m.get(name) ?? [];
}

/** The first step on `name` that does `act`, strictly between the bounds (an absent bound leaves that side open). */
function find(ctx: ManifestContext, act: Act, name: string, b: { after?: StepInfo; before?: StepInfo } = {}): StepInfo | undefined {
  return stepsOn(ctx, name).find((s) => (!b.after || s.index > b.after.index) && (!b.before || s.index < b.before.index) && does(s, act));
}
const firstUp = (ctx: ManifestContext, name: string) => stepsOn(ctx, name).find(isUpgrade);
const lastUp = (ctx: ManifestContext, name: string) => [...stepsOn(ctx, name)].reverse().find(isUpgrade);

/**
 * Where the CDM work of the procedure begins, which CMS must be stopped before: the first CDM install, and in a
 * downgrade also the primary's `cms database delete` or `restore` if it comes first.
 */
function firstCdmStep(ctx: ManifestContext): StepInfo | undefined {
  const down = isDowngrade(ctx);
  return ctx.steps.find((s) => namesWith(ctx, s, CDM).length > 0 && (isUpgrade(s) || (down && (does(s, 'db-delete') || does(s, 'db-restore')))));
}

/** Whether a CDM procedure of this guide covers the plan: an upgrade with a standby CDM, or a CDM downgrade within 5.x. */
const cdmProcedure = (ctx: ManifestContext) => (isDowngrade(ctx) ? cdmDowngrade(ctx) : hasStandby(ctx));

/** A step id not used yet, for the steps a fix inserts (the ids in use are collected once per manifest). */
const usedIds = new WeakMap<ManifestContext, Set<string>>();
function freshId(ctx: ManifestContext, base: string): string {
  let ids = usedIds.get(ctx);
  if (!ids) usedIds.set(ctx, (ids = new Set(ctx.steps.map((s) => s.id))));
  let id = base;
  for (let i = 2; ids.has(id); i++) id = `${base}-${i}`;
  ids.add(id);
  return id;
}

// ---------------------------------------------------------------------------------------------------------
// The meta file the manifest names.

/** The meta file named by `metaFile`, parsed, when it can be read (an image file is not read: 002-05). */
function metaOf(ctx: ManifestContext) {
  const p = ctx.m.metaFile;
  if (typeof p !== 'string' || IMAGE.test(p.trim()) || !ctx.fs?.readText) return undefined;
  const abs = ctx.resolve(p);
  const text = abs ? ctx.fs.readText(abs) : undefined;
  if (text === undefined) return undefined;
  const d = parseMeta(text);
  const get = (k: string) => d.entries.find((e) => e.key.toLowerCase() === k.toLowerCase() && META_KEYS.some((m) => m.toLowerCase() === k.toLowerCase()));
  return { abs: abs!, doc: d, get };
}

const metaVersionMismatch: ManifestRule = {
  id: 'acns/meta-version-mismatch',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002-11 (the meta file installs the release `to` names; MAJOR.MINOR, as the samples agree)',
  docs: ruleDocs('acns/meta-version-mismatch'),
  check(ctx, report) {
    const meta = metaOf(ctx);
    const e = meta?.get('version');
    const mv = e ? parseVersion(e.value) : undefined;
    // 002-11: the guide's samples pair `version= 5.1.0.b.26` with ACNS-5.1.3-K9.bin and `4.2.0.b.1` with a 4.2.1
    // image, and Cisco's downgrade meta file is edited without touching `version`: only MAJOR.MINOR is comparable.
    if (!mv || !ctx.to) return;
    const url = meta!.get('updateFileUrl');
    const parts = url ? splitUrl(url.value) : undefined;
    const img = parts ? imageVersion(urlFileName(parts)) : undefined;
    // A meta file without a build that names the same MAJOR.MINOR.MAINT as its image (`version= 5.1.3` for
    // ACNS-5.1.3-K9.bin) states the exact release, which `to` must then be.
    const exact = mv.build === undefined && !!img && compareVersions(img, mv, 3) === 0;
    if (compareVersions(mv, ctx.to, exact ? 3 : 2) === 0) return;
    const target = img && compareVersions(img, mv, 2) === 0 ? img.text : mv.parts.slice(0, 3).join('.');
    report({
      range: ctx.range('/to'),
      message: exact
        ? msg('acns/meta-version-mismatch.exact', { to: ctx.to.text, mv: mv.text })
        : msg('acns/meta-version-mismatch.message', { to: ctx.to.text, mv: mv.text }),
      related: [{ range: e!.valueRange, path: meta!.abs, message: msg('acns/meta-version-mismatch.related') }],
      fixes: [{ title: msg('acns/meta-version-mismatch.fix', { target }), preferred: true, edits: [{ range: ctx.range('/to'), newText: yamlScalar(target) }] }],
    });
  },
};

const metaFileMissing: ManifestRule = {
  id: 'acns/meta-file-missing',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '002-03 (a GUI upgrade needs a meta file registered in the CDM)',
  docs: ruleDocs('acns/meta-file-missing'),
  check(ctx, report) {
    if ('metaFile' in ctx.m) return;
    // A CDM step with `method: gui` is acns/cdm-via-gui's; the CLI (`copy ftp install`) needs no meta file.
    const s = ctx.steps.find((x) => isUpgrade(x) && x.data.method === 'gui' && namesWith(ctx, x, EDGE).length > 0);
    if (!s) return;
    report({ range: ctx.range(`/steps/${s.index}/method`), message: msg('acns/meta-file-missing.message', { id: s.id }) });
  },
};

const metaFileIsImage: ManifestRule = {
  id: 'acns/meta-file-is-image',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002-05 (register the meta file, never the .upg or .bin image itself)',
  docs: ruleDocs('acns/meta-file-is-image'),
  check(ctx, report) {
    const p = ctx.m.metaFile;
    if (typeof p !== 'string' || !IMAGE.test(p.trim())) return;
    report({ range: ctx.range('/metaFile'), message: msg('acns/meta-file-is-image.message', { file: p.trim() }) });
  },
};

const downgradeCdmIp: ManifestRule = {
  id: 'acns/downgrade-cdm-ip',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '002-23, 002-24 (downgrade to 4.x: CDM-IP names the 4.x CDM the engines register with)',
  docs: ruleDocs('acns/downgrade-cdm-ip'),
  check(ctx, report) {
    if (!isDowngrade(ctx) || !acns.downgradeNeedsCdmIp(ctx.to!)) return;
    const meta = metaOf(ctx);
    if (!meta) return;
    const mv = meta.get('version');
    const mvv = mv ? parseVersion(mv.value) : undefined;
    if (mvv && compareVersions(mvv, ctx.to!, 2) !== 0) return; // another release altogether: acns/meta-version-mismatch
    const ip = meta.get('CDM-IP');
    if (!ip) {
      report({ range: ctx.range('/metaFile'), message: msg('acns/downgrade-cdm-ip.message', { to: ctx.to!.text }) });
      return;
    }
    // 002-24: the address is the 4.x CDM's, which may be outside the plan; an engine's or a router's is a slip.
    const value = ip.value.trim();
    const hit = ctx.nodes.find((n) => EDGE.has(n.role ?? '') && typeof n.data.address === 'string' && n.data.address.trim() === value);
    if (!hit) return;
    report({
      range: ctx.range('/metaFile'),
      severity: 'information',
      message: msg('acns/downgrade-cdm-ip.notCdm', { ip: value, node: hit.name, role: hit.role ?? '' }),
      related: [
        { range: ip.valueRange, path: meta.abs, message: msg('acns/downgrade-cdm-ip.related') },
        related(ctx.range(`/nodes/${hit.index}/address`), msg('acns/downgrade-cdm-ip.relatedNode', { node: hit.name })),
      ],
    });
  },
};

// ---------------------------------------------------------------------------------------------------------
// Order as chains (server/engine/order.ts): read from what each step is and which node it names, never from where
// it stands, so that "Sort steps into the documented order" and the Move fixes agree with the checks.

const STANDBY = new Set(['cdm-standby']);
/** The upgrade steps that name a node of `roles`. */
const upsWith = (ctx: ManifestContext, roles: Set<string>) => ctx.steps.filter((s) => isUpgrade(s) && namesWith(ctx, s, roles).length > 0);
/** The steps that do `act` on a node of `roles`. */
const doingOn = (ctx: ManifestContext, act: Act, roles: Set<string>) => ctx.steps.filter((s) => does(s, act) && namesWith(ctx, s, roles).length > 0);
/** The steps on node `name` that upgrade it, or that do `act`. */
const onNode = (ctx: ManifestContext, name: string, act: Act | 'upgrade') =>
  stepsOn(ctx, name).filter((s) => (act === 'upgrade' ? isUpgrade(s) : does(s, act)));
/** A step that names nodes of both groups: it cannot come before itself, so a rule says so on its own. */
const both = (ctx: ManifestContext, s: StepInfo, a: Set<string>, b: Set<string>) => namesWith(ctx, s, a).length > 0 && namesWith(ctx, s, b).length > 0;

/**
 * Steps ranked by the roles they name: `first` 0, `then` 1 (a step naming both has both ranks; `alone` leaves such
 * steps out, for a check that reports them with a message of their own).
 */
function roleChain(steps: StepInfo[], ctx: ManifestContext, first: Set<string>, then: Set<string>, alone = false): OrderChain {
  return chain(
    steps.flatMap((s) => {
      const a = namesWith(ctx, s, first).length > 0;
      const b = namesWith(ctx, s, then).length > 0;
      if (alone && a && b) return [];
      return [...(a ? [{ step: s, rank: 0 }] : []), ...(b ? [{ step: s, rank: 1 }] : [])];
    }),
  );
}

/** The other step of an out-of-place one (a chain always bounds it; the step itself stands in otherwise). */
const otherOf = (o: OutOfPlace): StepInfo => o.before ?? o.after ?? o.step;

/** The Move fix of `step` before or after `other` (undefined in flow style or when it would not move). */
const move = (ctx: ManifestContext, step: StepInfo, where: { before: StepInfo } | { after: StepInfo }) => {
  const f = moveFix(ctx, { step, rank: 0, ...where });
  return f ? [f] : [];
};

// ---------------------------------------------------------------------------------------------------------
// Order of the devices.

const cdmLast: ManifestRule = {
  id: 'acns/cdm-last',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002-25 (content engines and routers first, the Content Distribution Manager last)',
  docs: ruleDocs('acns/cdm-last'),
  order: (ctx) => [roleChain(ctx.steps.filter(isUpgrade), ctx, EDGE, CDM)],
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    for (const s of ups) {
      if (!both(ctx, s, EDGE, CDM)) continue;
      const edge = namesWith(ctx, s, EDGE)[0];
      report({ range: s.range, message: msg('acns/cdm-last.together', { cdms: namesWith(ctx, s, CDM), edge, role: roleOf(ctx, edge) ?? '' }) });
    }
    // The step out of place is the one that breaks the order: a CDM upgraded too early or an engine too late.
    reportOutOfPlace(ctx, report, roleChain(ups, ctx, EDGE, CDM, true), (o) => {
      const other = otherOf(o);
      if (o.rank === 1) {
        const edge = namesWith(ctx, other, EDGE)[0] ?? '';
        return {
          message: msg('acns/cdm-last.message', { cdms: namesWith(ctx, o.step, CDM), edge, role: roleOf(ctx, edge) ?? '' }),
          related: msg('acns/cdm-last.related', { edge }),
        };
      }
      const edge = namesWith(ctx, o.step, EDGE)[0] ?? '';
      const cdms = namesWith(ctx, other, CDM);
      return { message: msg('acns/cdm-last.late', { edge, role: roleOf(ctx, edge) ?? '', cdms }), related: msg('acns/cdm-last.relatedLate', { cdms }) };
    });
  },
};

const edgeNotUpgraded: ManifestRule = {
  id: 'acns/edge-not-upgraded',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '002-26 (after its upgrade the CDM may not talk to devices on another version)',
  docs: ruleDocs('acns/edge-not-upgraded'),
  check(ctx, report) {
    const cdm = firstUpgradeOf(ctx, ...CDM);
    if (!cdm) return;
    const upgraded = new Set(ctx.steps.filter(isUpgrade).flatMap(stepNames));
    for (const n of ctx.byName.values()) {
      if (!EDGE.has(n.role ?? '') || upgraded.has(n.name)) continue;
      report({
        range: n.nameRange,
        message: msg('acns/edge-not-upgraded.message', { node: n.name, role: n.role ?? '' }),
        related: [related(cdm.range, msg('acns/edge-not-upgraded.related'))],
      });
    }
  },
};

const deviceGroupMembers: ManifestRule = {
  id: 'acns/device-group-members',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002-27 (device groups hold content engines only)',
  docs: ruleDocs('acns/device-group-members'),
  check(ctx, report) {
    asArr(ctx.m.deviceGroups).forEach((g, i) => {
      asArr(asObj(g).members).forEach((mm, j) => {
        if (typeof mm !== 'string') return;
        const role = roleOf(ctx, mm);
        if (role === 'content-engine') return;
        report({
          range: ctx.range(`/deviceGroups/${i}/members/${j}`),
          message: role ? msg('acns/device-group-members.message', { mm, role }) : msg('acns/device-group-members.message2', { mm }),
        });
      });
    });
  },
};

const cdmViaGui: ManifestRule = {
  id: 'acns/cdm-via-gui',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002-01 (ACNS 5.1 does not upgrade a CDM from the CDM GUI; the CLI does)',
  docs: ruleDocs('acns/cdm-via-gui'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.method !== 'gui') continue;
      const cdms = namesWith(ctx, s, CDM);
      if (!cdms.length) continue;
      const p = `/steps/${s.index}/method`;
      report({
        range: ctx.range(p),
        message: msg('acns/cdm-via-gui.message', { cdms: cdms }),
        fixes: [{ title: msg('acns/cdm-via-gui.fix'), preferred: true, edits: [{ range: ctx.range(p), newText: 'cli' }] }],
      });
    }
  },
};

const standbyNotUpgraded: ManifestRule = {
  id: 'acns/standby-not-upgraded',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '002-34 (primary and standby CDM must run the same version)',
  docs: ruleDocs('acns/standby-not-upgraded'),
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    const primary = firstUpgradeOf(ctx, 'cdm-primary');
    if (!primary) return;
    for (const n of ctx.nodes.filter((x) => x.role === 'cdm-standby')) {
      if (ups.some((s) => s.nodes.some((r) => r.name === n.name))) continue;
      report({
        range: n.nameRange,
        message: msg('acns/standby-not-upgraded.message', { node: n.name }),
        related: [related(primary.range, msg('acns/standby-not-upgraded.related'))],
      });
    }
  },
};

const standbyAfterPrimary: ManifestRule = {
  id: 'acns/standby-after-primary',
  kind: 'upgrade-manifest',
  severity: 'error',
  fix: 'preferred',
  products: P,
  source: '002-35 (the primary CDM first, then the standby, up and down)',
  docs: ruleDocs('acns/standby-after-primary'),
  order: (ctx) => [roleChain(ctx.steps.filter(isUpgrade), ctx, PRIMARY, STANDBY)],
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    const primary = upsWith(ctx, PRIMARY);
    const sbNames = (s: StepInfo) => namesWith(ctx, s, STANDBY).join(', ');
    for (const s of ups) {
      const sb = sbNames(s);
      if (!sb) continue;
      if (!primary.length) report({ range: s.range, message: msg('acns/standby-after-primary.never', { sb }) });
      else if (both(ctx, s, PRIMARY, STANDBY)) report({ range: s.range, message: msg('acns/standby-after-primary.together', { sb }) });
    }
    if (!primary.length) return;
    reportOutOfPlace(ctx, report, roleChain(ups, ctx, PRIMARY, STANDBY, true), (o) => {
      const other = otherOf(o);
      return o.rank === 1
        ? { message: msg('acns/standby-after-primary.early', { sb: sbNames(o.step) }), related: msg('acns/standby-after-primary.here') }
        : {
            message: msg('acns/standby-after-primary.late', { primary: namesWith(ctx, o.step, PRIMARY), sb: sbNames(other) }),
            related: msg('acns/standby-after-primary.relatedLate'),
          };
    });
  },
};

// ---------------------------------------------------------------------------------------------------------
// CMS on the CDMs (`no cms enable` / `cms enable`).

/**
 * The CDM work CMS must be stopped before: every CDM install, and in a downgrade also the `cms database delete` and
 * `restore` on a CDM (firstCdmStep is the first of them).
 */
function cdmWork(ctx: ManifestContext): StepInfo[] {
  const down = isDowngrade(ctx);
  return ctx.steps.filter((s) => namesWith(ctx, s, CDM).length > 0 && (isUpgrade(s) || (down && (does(s, 'db-delete') || does(s, 'db-restore')))));
}

/** acns/cms-not-stopped applies: a CDM procedure of the guide that installs a CDM. */
const stopsApply = (ctx: ManifestContext) => cdmProcedure(ctx) && !!firstUpgradeOf(ctx, ...CDM);
/** `no cms enable` on the CDMs before the CDM work. */
const stopChain = (ctx: ManifestContext) => ranked([doingOn(ctx, 'cms-stop', CDM), cdmWork(ctx)]);

const cmsNotStopped: ManifestRule = {
  id: 'acns/cms-not-stopped',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-36, 002-43 (no cms enable on every CDM before the CDM work starts)',
  docs: ruleDocs('acns/cms-not-stopped'),
  order: (ctx) => (stopsApply(ctx) ? [stopChain(ctx)] : []),
  check(ctx, report) {
    // 002-36: the upgrade procedure with a standby CDM (a lone CDM's is in another chapter); 002-43: the downgrade
    // stops the primary's CMS with or without a standby, before its database is deleted or restored.
    if (!stopsApply(ctx)) return;
    const first = firstCdmStep(ctx);
    if (!first) return;
    // A CDM whose CMS the plan never stops.
    const cdmNodes = ctx.nodes.filter((n) => CDM.has(n.role ?? ''));
    const missing = cdmNodes.filter((n) => !onNode(ctx, n.name, 'cms-stop').length).map((n) => n.name);
    if (missing.length) {
      report({
        range: first.range,
        message: isDowngrade(ctx) ? msg('acns/cms-not-stopped.downgrade', { missing: missing }) : msg('acns/cms-not-stopped.message', { missing: missing }),
      });
    }
    // A stop written after the CDM work began, or CDM work moved above the stops: the step out of place. A late
    // standby stop moves before the primary's stop (acns/cms-stop-order), any other before the CDM work.
    const primaryStop = doingOn(ctx, 'cms-stop', PRIMARY).find((s) => s.index < first.index);
    for (const o of outOfPlace(stopChain(ctx))) {
      const other = otherOf(o);
      const late = o.rank === 0;
      const target = late && primaryStop && !namesWith(ctx, o.step, PRIMARY).length ? { ...o, before: primaryStop } : o;
      const fix = moveFix(ctx, target);
      report({
        range: o.step.range,
        message: late
          ? msg('acns/cms-not-stopped.late', { node: namesWith(ctx, o.step, CDM), step: other.id })
          : msg('acns/cms-not-stopped.early', { node: namesWith(ctx, other, CDM) }),
        related: [related(other.range, late ? msg('acns/cms-not-stopped.relatedLate') : msg('acns/cms-not-stopped.relatedEarly'))],
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};

/** acns/cms-stop-order applies: a CDM procedure with a standby CDM, that does CDM work. */
const stopOrderApplies = (ctx: ManifestContext) => cdmProcedure(ctx) && hasStandby(ctx) && !!firstCdmStep(ctx);

const cmsStopOrder: ManifestRule = {
  id: 'acns/cms-stop-order',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-37, 002-43 (no cms enable on the standby CDM first, then on the primary)',
  docs: ruleDocs('acns/cms-stop-order'),
  order: (ctx) => (stopOrderApplies(ctx) ? [roleChain(doingOn(ctx, 'cms-stop', CDM), ctx, STANDBY, PRIMARY)] : []),
  check(ctx, report) {
    if (!stopOrderApplies(ctx)) return;
    // One step naming both CDMs stops them together (accepted); a stop after the CDM work began is
    // acns/cms-not-stopped's, so the check orders the stops before it.
    const first = firstCdmStep(ctx)!;
    const stops = doingOn(ctx, 'cms-stop', CDM).filter((s) => s.index < first.index);
    reportOutOfPlace(ctx, report, roleChain(stops, ctx, STANDBY, PRIMARY, true), (o) => {
      const other = otherOf(o);
      return o.rank === 0
        ? {
            message: msg('acns/cms-stop-order.message', { standby: namesWith(ctx, o.step, STANDBY), primary: namesWith(ctx, other, PRIMARY) }),
            related: msg('acns/cms-stop-order.related'),
          }
        : {
            message: msg('acns/cms-stop-order.early', { primary: namesWith(ctx, o.step, PRIMARY), standby: namesWith(ctx, other, STANDBY) }),
            related: msg('acns/cms-stop-order.relatedEarly'),
          };
    });
  },
};

/**
 * acns/cms-enable-after-install as chains: on each CDM whose CMS the plan stops, its installs before its
 * `cms enable`; on the primary, that `cms enable` before the standby's install.
 */
function enableChains(ctx: ManifestContext): OrderChain[] {
  if (!cdmProcedure(ctx)) return [];
  const sbUps = upsWith(ctx, STANDBY);
  const out: OrderChain[] = [];
  for (const n of ctx.byName.values()) {
    if (!CDM.has(n.role ?? '') || !onNode(ctx, n.name, 'cms-stop').length) continue;
    const ups = onNode(ctx, n.name, 'upgrade');
    if (!ups.length) continue;
    const starts = onNode(ctx, n.name, 'cms-start');
    const later = n.role === 'cdm-primary' ? sbUps.filter((s) => !ups.includes(s) && !starts.includes(s)) : [];
    out.push(ranked([ups, starts, later]));
  }
  return out;
}

const cmsEnableAfterInstall: ManifestRule = {
  id: 'acns/cms-enable-after-install',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-40, 002-41 (cms enable on each CDM after its install; on the primary before the standby is installed)',
  docs: ruleDocs('acns/cms-enable-after-install'),
  order: enableChains,
  check(ctx, report) {
    if (!cdmProcedure(ctx)) return;
    const sbFirst = firstUpgradeOf(ctx, 'cdm-standby');
    for (const n of ctx.byName.values()) {
      if (!CDM.has(n.role ?? '')) continue;
      const first = firstUp(ctx, n.name);
      const last = lastUp(ctx, n.name);
      // Only a CMS the plan itself stopped (acns/cms-not-stopped asks for the stop).
      if (!first || !last || !find(ctx, 'cms-stop', n.name, { before: first })) continue;
      const start = find(ctx, 'cms-start', n.name, { after: last });
      // The downgraded standby's CMS comes back after its database is created again (002-48).
      const created = n.role === 'cdm-standby' && isDowngrade(ctx) ? find(ctx, 'db-create', n.name, { after: last }) : undefined;
      if (!start) {
        // A cms enable written between the stop and the install: that step is out of place.
        const early = find(ctx, 'cms-start', n.name, { after: find(ctx, 'cms-stop', n.name, { before: first }), before: last });
        if (early) {
          report({
            range: early.range,
            message: msg('acns/cms-enable-after-install.early', { node: n.name }),
            related: [related(last.range, msg('acns/cms-enable-after-install.relatedInstall'))],
            fixes: move(ctx, early, { after: created ?? last }),
          });
          continue;
        }
        const edit = insertStepAfter(ctx, created ?? last, [
          `id: ${freshId(ctx, `cms-enable-${n.name}`)}`,
          'action: start-service',
          `node: ${yamlScalar(n.name)}`,
          'service: cms',
        ]);
        report({
          range: last.range,
          message: msg('acns/cms-enable-after-install.message', { node: n.name }),
          fixes: edit ? [{ title: msg('acns/cms-enable-after-install.fix', { node: n.name }), preferred: false, edits: [edit] }] : [],
        });
        continue;
      }
      // 002-41: the primary runs CMS again before the standby is touched (upgrade step 5 before 7, downgrade 7 before 9).
      if (n.role === 'cdm-primary' && sbFirst && last.index < sbFirst.index && start.index > sbFirst.index) {
        report({
          range: start.range,
          message: msg('acns/cms-enable-after-install.primaryLate', { node: n.name, standby: namesWith(ctx, sbFirst, STANDBY) }),
          related: [related(sbFirst.range, msg('acns/cms-enable-after-install.related'))],
          fixes: move(ctx, start, { before: sbFirst }),
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// The upgrade with a standby CDM.

const dumpApplies = (ctx: ManifestContext) => !isDowngrade(ctx) && hasStandby(ctx);

const keepCdmDump: ManifestRule = {
  id: 'acns/keep-cdm-dump',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-39 (copy the .dump files the primary CDM install wrote to a safe place)',
  docs: ruleDocs('acns/keep-cdm-dump'),
  // The copy of each primary's .dump files after its install.
  order: (ctx) => (dumpApplies(ctx) ? nodesOf(ctx, 'cdm-primary').map((p) => ranked([onNode(ctx, p.name, 'upgrade'), onNode(ctx, p.name, 'dump-copy')])) : []),
  check(ctx, report) {
    if (!dumpApplies(ctx)) return;
    for (const p of nodesOf(ctx, 'cdm-primary')) {
      const up = firstUp(ctx, p.name);
      if (!up || find(ctx, 'dump-copy', p.name, { after: up })) continue;
      // A copy written before the install copies nothing the install wrote: that step is out of place.
      const early = find(ctx, 'dump-copy', p.name, { before: up });
      if (early) {
        report({
          range: early.range,
          message: msg('acns/keep-cdm-dump.early', { node: p.name }),
          related: [related(up.range, msg('acns/keep-cdm-dump.related'))],
          fixes: move(ctx, early, { after: up }),
        });
        continue;
      }
      const edit = insertStepAfter(ctx, up, [
        `id: ${freshId(ctx, `copy-dump-${p.name}`)}`,
        'action: backup',
        `node: ${yamlScalar(p.name)}`,
        'target: cdm-dump',
      ]);
      report({
        range: up.range,
        message: msg('acns/keep-cdm-dump.message', { node: p.name }),
        fixes: edit ? [{ title: msg('acns/keep-cdm-dump.fix'), preferred: false, edits: [edit] }] : [],
      });
    }
  },
};

/** The verify steps that check the network on the new primary: they name a primary CDM and no standby. */
const primaryChecks = (ctx: ManifestContext) =>
  ctx.steps.filter((s) => s.action === 'verify' && namesWith(ctx, s, PRIMARY).length > 0 && !namesWith(ctx, s, STANDBY).length);

const verifyBeforeStandby: ManifestRule = {
  id: 'acns/verify-before-standby',
  kind: 'upgrade-manifest',
  severity: 'information',
  products: P,
  source: '002-41 (devices online on the new CDM software before the standby is upgraded)',
  docs: ruleDocs('acns/verify-before-standby'),
  // The checks of the primary between the two installs (a check that also names the standby is not this one).
  order: (ctx) =>
    isDowngrade(ctx) || !upsWith(ctx, PRIMARY).length || !upsWith(ctx, STANDBY).length
      ? []
      : [ranked([upsWith(ctx, PRIMARY), primaryChecks(ctx), upsWith(ctx, STANDBY)])],
  check(ctx, report) {
    if (isDowngrade(ctx)) return; // the downgrade procedure has no such check
    const p = firstUpgradeOf(ctx, 'cdm-primary');
    const sb = firstUpgradeOf(ctx, 'cdm-standby');
    if (!p || !sb || sb.index <= p.index) return; // the order is acns/standby-after-primary's
    if (ctx.steps.some((s) => s.action === 'verify' && s.index > p.index && s.index < sb.index)) return;
    report({
      range: sb.range,
      message: msg('acns/verify-before-standby.message', { standby: namesWith(ctx, sb, STANDBY) }),
      related: [related(p.range, msg('acns/verify-before-standby.related'))],
    });
  },
};

// ---------------------------------------------------------------------------------------------------------
// The CDM downgrade (within 5.x).

/** A chain per primary CDM of a CDM downgrade: the steps doing `a` on it before those doing `b`. */
const perPrimary = (ctx: ManifestContext, a: Act | 'upgrade', b: Act | 'upgrade'): OrderChain[] =>
  cdmDowngrade(ctx) ? nodesOf(ctx, 'cdm-primary').map((p) => ranked([onNode(ctx, p.name, a), onNode(ctx, p.name, b)])) : [];

const downgradeRestore: ManifestRule = {
  id: 'acns/downgrade-restore',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-42 (the primary CDM restores the database backup of the target version before its install)',
  docs: ruleDocs('acns/downgrade-restore'),
  order: (ctx) => perPrimary(ctx, 'db-restore', 'upgrade'),
  check(ctx, report) {
    if (!cdmDowngrade(ctx)) return;
    // The primary only (a lone CDM is the primary): the standby is backed up, then its database is deleted and
    // created again after its install, never restored (acns/downgrade-standby-recreate-db).
    for (const s of ctx.steps.filter(isUpgrade)) {
      for (const name of namesWith(ctx, s, PRIMARY)) {
        if (find(ctx, 'db-restore', name, { before: s })) continue;
        // A restore written after the install: that step is out of place.
        const late = find(ctx, 'db-restore', name, { after: s });
        if (late) {
          report({
            range: late.range,
            message: msg('acns/downgrade-restore.late', { name }),
            related: [related(s.range, msg('acns/downgrade-restore.related'))],
            fixes: move(ctx, late, { before: s }),
          });
          continue;
        }
        report({ range: s.range, message: msg('acns/downgrade-restore.message', { name }) });
      }
    }
  },
};

const downgradeBackupAfterDelete: ManifestRule = {
  id: 'acns/downgrade-backup-after-delete',
  kind: 'upgrade-manifest',
  severity: 'information',
  fix: 'preferred',
  products: P,
  source: '002-44 (the optional backup of the primary CDM comes before cms database delete)',
  docs: ruleDocs('acns/downgrade-backup-after-delete'),
  order: (ctx) =>
    cdmDowngrade(ctx) ? nodesOf(ctx, 'cdm-primary').map((p) => someBefore(onNode(ctx, p.name, 'db-backup'), onNode(ctx, p.name, 'db-delete'))) : [],
  check(ctx, report) {
    if (!cdmDowngrade(ctx)) return;
    for (const p of nodesOf(ctx, 'cdm-primary')) {
      const up = firstUp(ctx, p.name);
      const del = up && find(ctx, 'db-delete', p.name, { before: up });
      const late = del && find(ctx, 'db-backup', p.name, { after: del, before: up });
      if (!late) continue;
      report({
        range: late.range,
        message: msg('acns/downgrade-backup-after-delete.message', { node: p.name }),
        related: [related(del.range, msg('acns/downgrade-backup-after-delete.related'))],
        fixes: move(ctx, late, { before: del }),
      });
    }
  },
};

const downgradeDeleteBeforeRestore: ManifestRule = {
  id: 'acns/downgrade-delete-before-restore',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-45 (cms database delete on the primary CDM before the restore)',
  docs: ruleDocs('acns/downgrade-delete-before-restore'),
  order: (ctx) => perPrimary(ctx, 'db-delete', 'db-restore'),
  check(ctx, report) {
    if (!cdmDowngrade(ctx)) return;
    for (const p of nodesOf(ctx, 'cdm-primary')) {
      const up = firstUp(ctx, p.name);
      const restore = up && find(ctx, 'db-restore', p.name, { before: up });
      if (!restore || find(ctx, 'db-delete', p.name, { before: restore })) continue; // no restore: acns/downgrade-restore
      const late = find(ctx, 'db-delete', p.name, { after: restore, before: up });
      report({
        range: late ? late.range : restore.range,
        message: late
          ? msg('acns/downgrade-delete-before-restore.late', { node: p.name })
          : msg('acns/downgrade-delete-before-restore.message', { node: p.name }),
        related: late ? [related(restore.range, msg('acns/downgrade-delete-before-restore.related'))] : [],
        ...(late ? { fixes: move(ctx, late, { before: restore }) } : {}),
      });
    }
  },
};

/** A chain per standby CDM of a CDM downgrade, of the groups of steps on it that `groups` picks. */
const perStandby = (ctx: ManifestContext, groups: (Act | 'upgrade')[]): OrderChain[] =>
  cdmDowngrade(ctx) ? nodesOf(ctx, 'cdm-standby').map((n) => ranked(groups.map((g) => onNode(ctx, n.name, g)))) : [];

const downgradeStandbyBackup: ManifestRule = {
  id: 'acns/downgrade-standby-backup',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-47 (cms database backup on the standby CDM before its install)',
  docs: ruleDocs('acns/downgrade-standby-backup'),
  order: (ctx) => perStandby(ctx, ['db-backup', 'upgrade']),
  check(ctx, report) {
    if (!cdmDowngrade(ctx)) return;
    for (const n of nodesOf(ctx, 'cdm-standby')) {
      const up = firstUp(ctx, n.name);
      if (!up || find(ctx, 'db-backup', n.name, { before: up })) continue;
      // A backup written after the install backs up the re-installed CDM: that step is out of place.
      const late = find(ctx, 'db-backup', n.name, { after: up });
      if (late) {
        report({
          range: late.range,
          message: msg('acns/downgrade-standby-backup.late', { node: n.name }),
          related: [related(up.range, msg('acns/downgrade-standby-backup.related'))],
          fixes: move(ctx, late, { before: up }),
        });
        continue;
      }
      const edit = insertStepBefore(ctx, up, [
        `id: ${freshId(ctx, `backup-db-${n.name}`)}`,
        'action: backup',
        `node: ${yamlScalar(n.name)}`,
        'target: cdm-database',
      ]);
      report({
        range: up.range,
        message: msg('acns/downgrade-standby-backup.message', { node: n.name }),
        fixes: edit ? [{ title: msg('acns/downgrade-standby-backup.fix'), preferred: false, edits: [edit] }] : [],
      });
    }
  },
};

const downgradeStandbyRecreateDb: ManifestRule = {
  id: 'acns/downgrade-standby-recreate-db',
  kind: 'upgrade-manifest',
  severity: 'warning',
  fix: 'preferred',
  products: P,
  source: '002-48 (after its install the standby CDM deletes and creates its CMS database, then cms enable)',
  docs: ruleDocs('acns/downgrade-standby-recreate-db'),
  order: (ctx) => perStandby(ctx, ['upgrade', 'db-delete', 'db-create', 'cms-start']),
  check(ctx, report) {
    if (!cdmDowngrade(ctx)) return;
    for (const n of nodesOf(ctx, 'cdm-standby')) {
      const last = lastUp(ctx, n.name);
      if (!last) continue;
      const start = find(ctx, 'cms-start', n.name, { after: last });
      const del = find(ctx, 'db-delete', n.name, { after: last, before: start });
      if (del && find(ctx, 'db-create', n.name, { after: del, before: start })) continue;
      // Deleted and created only after CMS runs again, or not at all.
      const late = start && (find(ctx, 'db-delete', n.name, { after: start }) || find(ctx, 'db-create', n.name, { after: start }));
      // The fix moves cms enable after the last delete or create that follows the install.
      const recreate = stepsOn(ctx, n.name).filter((s) => s.index > last.index && (does(s, 'db-delete') || does(s, 'db-create')));
      report({
        range: late ? start.range : last.range,
        message: late
          ? msg('acns/downgrade-standby-recreate-db.afterStart', { node: n.name })
          : msg('acns/downgrade-standby-recreate-db.message', { node: n.name }),
        related: late ? [related(late.range, msg('acns/downgrade-standby-recreate-db.related'))] : [],
        ...(late && recreate.length ? { fixes: move(ctx, start, { after: recreate[recreate.length - 1] }) } : {}),
      });
    }
  },
};

export const acnsRules: ManifestRule[] = [
  metaVersionMismatch,
  cdmLast,
  standbyAfterPrimary,
  standbyNotUpgraded,
  cdmViaGui,
  cmsNotStopped,
  deviceGroupMembers,
  downgradeCdmIp,
  downgradeRestore,
  metaFileMissing,
  metaFileIsImage,
  edgeNotUpgraded,
  cmsStopOrder,
  cmsEnableAfterInstall,
  keepCdmDump,
  verifyBeforeStandby,
  downgradeBackupAfterDelete,
  downgradeDeleteBeforeRestore,
  downgradeStandbyBackup,
  downgradeStandbyRecreateDb,
];
