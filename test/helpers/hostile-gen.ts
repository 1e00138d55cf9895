/**
 * Hostile inputs for the engine: deterministic (seeded) generators of files under 100 KB built to find slow paths
 * (regular expressions that backtrack, quadratic loops, deep recursion) rather than wrong diagnostics.
 *
 * - grammar-aware manifests of every product: thousands of nodes and steps, references to unknown names close
 *   to real ones ("did you mean"), thousands of anchors and aliases, steps missing keys, product rules pushed to
 *   their loops' limits, many documents, huge mappings;
 * - deep nesting: flow collections as keys and values, `? - ? -` complex keys, block nesting of thousands of
 *   levels, seeded random documents;
 * - long scalars (~90 KB) in every string field, built from characters that make regular expressions backtrack;
 * - the same for meta files (every key of META_KEYS, long URLs and passwords) and dfc.properties (schema keys,
 *   long values, long continuations, many `\u` escapes), and manifests that reference such files.
 *
 * Every input carries the in-memory files it references (`files`) so that cross-file rules run.
 */
import * as path from 'node:path';
import { META_KEYS } from '../../server/engine/rules/meta';
import dfcSchema from '../../schemas/cupm-dfc-properties.schema.json';
import manifestSchema from '../../schemas/upgrade-manifest.schema.json';
import type { EngineFs, FileKind } from '../../server/engine/types';
import { rng } from './mutate';

export interface HostileInput {
  /** The generator family (reported with the worst time). */
  gen: string;
  /** What this input is, short. */
  label: string;
  kind: FileKind;
  text: string;
  /** Absolute (virtual) path of the file. */
  path: string;
  /** Other files of the virtual workspace (absolute path → text): referenced meta and properties files, images. */
  files?: Record<string, string>;
}

/** Every input stays under this many UTF-8 bytes (the file itself plus the files it references). */
export const MAX_BYTES = 100 * 1024 - 1;
/** Size the generators aim at. */
export const TARGET = 96 * 1024;
/** Length of a "long" scalar. */
export const LONG = 90 * 1024;

export const ROOT = '/hostile';
const MANIFEST_PATH = `${ROOT}/plan.upgrade.yaml`;
const META_PATH = `${ROOT}/ACNS-5.1.3.meta`;
const DFC_PATH = `${ROOT}/props/dfc.properties`;

/**
 * Pieces that make regular expressions backtrack: the usual suspects, plus `a://` (URL scanning: every message
 * that quotes a value is searched for credentials in URLs).
 */
export const BACKTRACK = ['/', '1', '1.', 'a@', '@', ' ', 'a.', '-TO-', ': ', ' #', '\\', '=', 'a://'];

/** `unit` repeated to exactly `n` characters. */
export const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** `t` cut to the target size at a line break. */
const cut = (t: string) => (t.length <= TARGET ? t : t.lastIndexOf('\n', TARGET) > 0 ? t.slice(0, t.lastIndexOf('\n', TARGET) + 1) : t.slice(0, TARGET));

export const bytes = (input: HostileInput) => Buffer.byteLength(input.text) + Object.values(input.files ?? {}).reduce((a, t) => a + Buffer.byteLength(t), 0);

/** A tiny in-memory EngineFs over the input's files (plus a fake image so that image-size checks run). */
export function memoryFs(files: Record<string, string> = {}): EngineFs {
  const all = new Map(Object.entries(files).map(([p, t]) => [path.resolve(p), t]));
  return {
    fileSize: (p) => {
      const t = all.get(path.resolve(p));
      if (t !== undefined) return Buffer.byteLength(t);
      return /\.(bin|upg)$/i.test(p) && path.resolve(p).startsWith(ROOT + path.sep) ? 97205475 : undefined;
    },
    readText: (p) => all.get(path.resolve(p)),
  };
}

// -------------------------------------------------------------------------------------------------------------
// Facts from the manifest schema.

type Json = Record<string, unknown>;
const S = manifestSchema as unknown as Json & { allOf: Json[]; definitions: Record<string, Json> };
const enumOf = (x: unknown) => (x as { enum?: string[] }).enum ?? [];

export const PRODUCTS: string[] = enumOf((S.properties as Json).product);
/** Roles per product, from the product branches of the schema. */
export const ROLES: Record<string, string[]> = Object.fromEntries(
  S.allOf.map((b) => {
    const product = ((b.if as Json).properties as Json).product as { const: string };
    const nodes = (((b.then as Json).properties as Json).nodes as Json).items as Json;
    return [product.const, enumOf((nodes.properties as Json).role)];
  }),
);
/** Top-level keys per product. */
export const PRODUCT_KEYS: Record<string, string[]> = Object.fromEntries(
  S.allOf.map((b) => [(((b.if as Json).properties as Json).product as { const: string }).const, enumOf((b.then as Json).propertyNames)]),
);
const stepProps = S.definitions.step.properties as Json;
export const ACTIONS: string[] = enumOf(stepProps.action);
export const SERVICES: string[] = enumOf(stepProps.service);
export const TARGETS: string[] = enumOf(stepProps.target);
export const METHODS: string[] = enumOf(stepProps.method);
export const VIAS: string[] = enumOf(stepProps.via);
/** Keys allowed per action (from the action branches). */
export const ACTION_KEYS: Record<string, string[]> = Object.fromEntries(
  (S.definitions.step.allOf as Json[]).map((b) => [
    (((b.if as Json).properties as Json).action as { const: string }).const,
    enumOf((b.then as Json).propertyNames),
  ]),
);
export const NODE_KEYS = Object.keys(S.definitions.node.properties as Json);
export const DFC_KEYS = Object.keys((dfcSchema as unknown as { properties: Json }).properties);

/** A plausible header per product (versions and the top-level keys its rules read). */
const HEADERS: Record<string, string[]> = {
  acns: ['from: 5.1.0', 'to: 5.1.3', `metaFile: ./${path.basename(META_PATH)}`],
  'cucm-im-presence': [
    'from: 8.6(1)',
    'to: 9.0(1)',
    'upgradeType: refresh',
    'unifiedCmVersion: 9.0(1)',
    'highAvailability: enabled',
    'maintenanceWindow: { start: 2026-12-05T22:00:00+09:00, end: 2026-12-06T04:00:00+09:00 }',
    'interclusterPeers: [{ name: peer-a, version: 8.6(2) }, { name: peer-b, version: 8.5(1) }]',
  ],
  callmanager: ['from: 3.3', 'to: 4.1(3)', 'devicesOnSecondary: 7200'],
  cupm: [
    'from: 2.1',
    'to: 8.5',
    'size: large',
    'deployment: distributed',
    'installDir: C:\\Program Files\\CUPM',
    'windowsUser: cupm-database-service-user',
    `propertiesFile: ${path.relative(ROOT, DFC_PATH)}`,
  ],
  'iplanet-messaging': [
    'from: 5.1',
    'to: 5.2',
    'serverRoot: /usr/iplanet/server5',
    'targetServerRoot: /opt/iplanet/server52',
    'directoryServerVersion: 4.13',
    'highAvailability: none',
  ],
};

/** Small valid files the manifests reference. */
export const GOOD_META =
  'updateFileSize=97205475\nversion=5.1.3\nupdateFileUrl=ftp://images.example.com/ACNS-5.1.3-K9.bin\nuser=anonymous\npassword=noc@example.com\n';
export const GOOD_DFC = 'dfc.webport=80\ndfc.jboss.port=46008\ndfc.postgres.port=5432\ndfc.postgres.host=cupm-db01.example.co.jp\n';
const refFiles = (meta = GOOD_META, dfc = GOOD_DFC) => ({ [META_PATH]: meta, [DFC_PATH]: dfc });

const header = (product: string, extra: string[] = []) =>
  ['manifestVersion: 1', `product: ${product}`, `title: hostile ${product} plan`, ...HEADERS[product], ...extra].join('\n') + '\n';

/** Real-looking node names: `<prefix>-<site>-<n>` with a product-flavoured prefix. */
const SITES = ['tokyo', 'osaka', 'nagoya', 'sapporo', 'fukuoka', 'sendai', 'kobe', 'kyoto'];
const nodeName = (role: string, i: number) =>
  `${role
    .split('-')
    .map((w) => w[0])
    .join('')}${role.length}-${SITES[i % SITES.length]}-${i}`;

/** A name one edit away from `name` (substitution, insertion, deletion or transposition). */
function typo(name: string, r: () => number): string {
  const i = Math.floor(r() * name.length);
  const c = 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(r() * 36)];
  switch (Math.floor(r() * 4)) {
    case 0:
      return name.slice(0, i) + c + name.slice(i + 1);
    case 1:
      return name.slice(0, i) + c + name.slice(i);
    case 2:
      return name.length > 1 ? name.slice(0, i) + name.slice(i + 1) : name + c;
    default:
      return i + 1 < name.length ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name + c;
  }
}

interface StepSpec {
  id: string;
  action: string;
  node?: string;
  nodes?: string[];
  extra?: Record<string, string>;
}

/** A step as a flow mapping on one line (the form the fixtures use for short steps). */
function stepLine(s: StepSpec, indent = '  '): string {
  const parts = [`id: ${s.id}`, `action: ${s.action}`];
  if (s.node !== undefined) parts.push(`node: ${s.node}`);
  if (s.nodes) parts.push(`nodes: [${s.nodes.join(', ')}]`);
  for (const [k, v] of Object.entries(s.extra ?? {})) parts.push(`${k}: ${v}`);
  return `${indent}- { ${parts.join(', ')} }\n`;
}

/** The keys an action needs, with plausible values. */
function actionExtra(product: string, action: string, i: number): Record<string, string> {
  switch (action) {
    case 'backup':
    case 'restore':
      return {
        target:
          product === 'acns'
            ? 'cdm-database'
            : product === 'cupm'
              ? 'pg_dumpall'
              : product === 'iplanet-messaging'
                ? ['server-root', 'message-queue', 'db2ldif'][i % 3]
                : product === 'callmanager'
                  ? 'filesystem'
                  : 'drs',
      };
    case 'stop-service':
    case 'start-service':
      return {
        service:
          product === 'acns'
            ? 'cms'
            : product === 'iplanet-messaging'
              ? action === 'stop-service'
                ? 'dispatcher'
                : 'msg'
              : product === 'cupm'
                ? 'jboss'
                : 'web',
      };
    case 'install-cop':
      return { file: 'ciscocm.cup.refresh_upgrade_v1.2.cop' };
    case 'upgrade':
      return product === 'callmanager' ? { via: 'console' } : product === 'acns' ? { method: 'cli' } : {};
    case 'command':
      return { run: '"imsimta stop dispatcher"' };
    default:
      return {};
  }
}

/** Nodes `role` cycling through the product's roles. */
const roleAt = (product: string, i: number) => ROLES[product][i % ROLES[product].length];

interface ManifestShape {
  nodes: { name: string; role: string; extra?: string }[];
  steps: StepSpec[];
  extraTop?: string[];
  blockStyle?: boolean;
}

function render(product: string, shape: ManifestShape): string {
  let out = header(product, shape.extraTop);
  out += 'nodes:\n';
  for (const n of shape.nodes) {
    out += shape.blockStyle
      ? `  - name: ${n.name}\n    role: ${n.role}\n${n.extra ? `    ${n.extra.split(', ').join('\n    ')}\n` : ''}`
      : `  - { name: ${n.name}, role: ${n.role}${n.extra ? `, ${n.extra}` : ''} }\n`;
  }
  out += 'steps:\n';
  for (const s of shape.steps) {
    if (!shape.blockStyle) {
      out += stepLine(s);
      continue;
    }
    out += `  - id: ${s.id}\n    action: ${s.action}\n`;
    if (s.node !== undefined) out += `    node: ${s.node}\n`;
    if (s.nodes) out += `    nodes: [${s.nodes.join(', ')}]\n`;
    for (const [k, v] of Object.entries(s.extra ?? {})) out += `    ${k}: ${v}\n`;
  }
  return out;
}

/** Grows `shape` (with `add(i)`) while the rendered manifest stays under the target size. */
function grow(product: string, shape: ManifestShape, add: (i: number) => void, target = TARGET): string {
  let text = render(product, shape);
  // Estimate the number of additions from the size of a first batch, then trim to the target.
  for (let i = 0; i < 200; i++) add(i);
  const per = Math.max(1, (render(product, shape).length - text.length) / 200);
  const more = Math.floor((target - render(product, shape).length) / per);
  for (let i = 200; i < 200 + more; i++) add(i);
  text = render(product, shape);
  while (text.length > target && (shape.steps.length > 1 || shape.nodes.length > 1)) {
    if (shape.steps.length >= shape.nodes.length) shape.steps.splice(shape.steps.length - Math.max(1, Math.floor(shape.steps.length / 100)));
    else shape.nodes.splice(shape.nodes.length - Math.max(1, Math.floor(shape.nodes.length / 100)));
    text = render(product, shape);
  }
  return text;
}

/** Node-specific extra keys per product, so that per-node rules have something to read. */
function nodeExtra(product: string, i: number): string | undefined {
  if (product === 'callmanager') return `memoryMB: ${i % 3 ? 2048 : 768}, staticIp: ${i % 5 !== 0}, services: [ipma${i % 7 === 0 ? ', unity' : ''}]`;
  if (product === 'cupm') return `memoryMB: ${i % 2 ? 8192 : 2048}, os: ${i % 2 ? 'windows-2003' : 'windows-2008'}`;
  if (product === 'cucm-im-presence') return i % 4 === 0 ? 'hardware: MCS-7825-H3' : undefined;
  return undefined;
}

/** A realistic plan: a backup, then one upgrade per node in an order that mostly satisfies the product rules. */
function manyNodes(product: string, blockStyle: boolean): string {
  const shape: ManifestShape = { nodes: [], steps: [], blockStyle };
  const roles = ROLES[product];
  shape.steps.push({ id: 'backup-0', action: 'backup', node: nodeName(roles[0], 0), extra: actionExtra(product, 'backup', 0) });
  if (product === 'iplanet-messaging')
    shape.steps.push({ id: 'stop-dispatcher', action: 'stop-service', node: nodeName(roles[0], 0), extra: { service: 'dispatcher' } });
  return grow(product, shape, (i) => {
    const role = roleAt(product, i);
    const name = nodeName(role, i);
    shape.nodes.push({ name, role, extra: nodeExtra(product, i) });
    const action = i % 9 === 8 ? ACTIONS[i % ACTIONS.length] : 'upgrade';
    shape.steps.push({ id: `${action}-${name}`, action, node: name, extra: actionExtra(product, action, i) });
  });
}

/** Steps that name nodes one typo away from declared ones: every reference asks for a "did you mean". */
function unknownRefs(product: string, r: () => number, refsPerStep: number): string {
  const shape: ManifestShape = { nodes: [], steps: [] };
  const names: string[] = [];
  return grow(product, shape, (i) => {
    const role = roleAt(product, i);
    const name = nodeName(role, i);
    names.push(name);
    // Half of the budget for nodes, half for steps with unknown references.
    if (i % 2 === 0) shape.nodes.push({ name, role });
    else {
      const refs = Array.from({ length: refsPerStep }, () => typo(names[Math.floor(r() * names.length)], r));
      shape.steps.push(refsPerStep === 1 ? { id: `s${i}`, action: 'upgrade', node: refs[0] } : { id: `s${i}`, action: 'upgrade', nodes: refs });
    }
  });
}

/** Thousands of anchors on node names and steps, and thousands of aliases to them. */
function aliases(product: string, mode: 'scalar' | 'map' | 'chain'): string {
  let out = header(product) + 'nodes:\n';
  let i = 0;
  const names: string[] = [];
  const body: string[] = [];
  // About a third of the text for anchors, the rest for aliases.
  while (out.length < TARGET / 3) {
    const role = roleAt(product, i);
    const name = nodeName(role, i);
    names.push(name);
    out += `  - { name: &n${i} ${name}, role: ${role} }\n`;
    i++;
  }
  out += 'steps:\n';
  let size = out.length;
  for (let k = 0; size < TARGET - 200; k++) {
    let line: string;
    if (mode === 'scalar') line = `  - { id: &s${k} up-${k}, action: upgrade, node: *n${k % names.length} }\n`;
    else if (mode === 'map') line = k < 50 ? `  - &st${k} { id: up-${k}, action: upgrade, node: *n${k % names.length} }\n` : `  - *st${k % 50}\n`;
    else line = `  - { id: c${k}, action: upgrade, nodes: [*n${k % names.length}, *n${(k * 7) % names.length}, *n${(k * 13) % names.length}] }\n`;
    body.push(line);
    size += line.length;
  }
  return out + body.join('');
}

/** Steps (or nodes) that each lack a required key: one schema error per item. */
function missingKeys(product: string, what: 'action' | 'id' | 'role' | 'both'): string {
  const lines: string[] = [];
  let text = header(product);
  text += 'nodes:\n';
  for (let i = 0; text.length < (what === 'role' ? TARGET - 100 : what === 'both' ? TARGET / 2 : 2000); i++) {
    const name = nodeName(roleAt(product, i), i);
    const l = what === 'role' || what === 'both' ? `  - { name: ${name} }\n` : `  - { name: ${name}, role: ${roleAt(product, i)} }\n`;
    text += l;
    lines.push(name);
  }
  text += 'steps:\n';
  for (let i = 0; i === 0 || text.length < TARGET; i++) {
    const n = lines[i % lines.length];
    text +=
      what === 'action' || what === 'both'
        ? `  - { id: s${i}, node: ${n} }\n`
        : what === 'id'
          ? `  - { action: upgrade, node: ${n} }\n`
          : `  - { id: s${i}, action: upgrade, node: ${n} }\n`;
  }
  return text;
}

/** Steps with keys that belong to another action, unknown keys close to real ones, wrong enum values. */
function wrongKeys(product: string, r: () => number): string {
  let text = header(product) + 'nodes:\n';
  const names: string[] = [];
  for (let i = 0; i < 40; i++) {
    names.push(nodeName(roleAt(product, i), i));
    text += `  - { name: ${names[i]}, role: ${roleAt(product, i)}, hardwre: x, memoryMb: 1 }\n`;
  }
  text += 'steps:\n';
  for (let i = 0; i === 0 || text.length < TARGET; i++) {
    const action = ACTIONS[i % ACTIONS.length];
    const foreign = ['target', 'service', 'file', 'method', 'via', 'run', 'env'].filter((k) => !(ACTION_KEYS[action] ?? []).includes(k));
    const k = foreign[Math.floor(r() * foreign.length)] ?? 'targt';
    text += `  - { id: w${i}, action: ${action}, node: ${names[i % names.length]}, ${k}: x, ${typo('service', r)}: y, method: ${typo('gui', r)} }\n`;
  }
  return text;
}

/** Plans shaped to push the product rules' loops to their limits. */
function ruleStress(product: string, variant: number): string {
  const shape: ManifestShape = { nodes: [], steps: [] };
  if (product === 'acns') {
    // Downgrade with thousands of CDM upgrades before edge upgrades: cdm-last, standby rules, downgrade-restore.
    shape.extraTop = variant ? [] : ['deviceGroups: [{ name: g, members: [cdm0, cdm1, ce0] }]'];
    return grow(product, shape, (i) => {
      const role = i % 4 === 0 ? 'content-engine' : i % 4 === 1 ? 'cdm-standby' : 'cdm-primary';
      const name = `${role === 'content-engine' ? 'ce' : 'cdm'}${i}`;
      shape.nodes.push({ name, role });
      shape.steps.unshift({ id: `up${i}`, action: 'upgrade', node: name, extra: { method: 'gui' } });
      if (variant && i % 3 === 0) shape.steps.unshift({ id: `stop${i}`, action: 'stop-service', node: name, extra: { service: 'cms' } });
    }).replace('from: 5.1.0\nto: 5.1.3', 'from: 5.1.3\nto: 4.2.1');
  }
  if (product === 'iplanet-messaging') {
    // Thousands of Directory Server stops before the messaging upgrade, each followed by nothing that restarts it.
    shape.nodes.push({ name: 'mail', role: 'messaging' }, { name: 'ldap', role: 'directory' });
    shape.steps.push({ id: 'up-mail', action: 'upgrade', node: 'mail' });
    return grow(product, shape, (i) => {
      shape.steps.splice(shape.steps.length - 1, 0, { id: `stop${i}`, action: 'stop-service', node: 'ldap', extra: { service: i % 2 ? 'directory' : 'web' } });
    });
  }
  if (product === 'cucm-im-presence') {
    // Subscribers upgraded before the publisher, every node missing its COP file, HA never disabled.
    shape.nodes.push({ name: 'pub', role: 'publisher' });
    return grow(product, shape, (i) => {
      const name = `sub${i}`;
      shape.nodes.push({ name, role: 'subscriber' });
      shape.steps.push(
        variant ? { id: `up${i}`, action: 'upgrade', nodes: [name, `sub${Math.max(0, i - 1)}`, 'pub'] } : { id: `up${i}`, action: 'upgrade', node: name },
      );
      if (i % 50 === 49) shape.steps.push({ id: `up-pub${i}`, action: 'upgrade', node: 'pub' });
    });
  }
  if (product === 'callmanager') {
    // Upgrades in the reverse of the required order, several servers per step.
    return grow(product, shape, (i) => {
      const role = ROLES.callmanager[ROLES.callmanager.length - 1 - (i % ROLES.callmanager.length)];
      const name = `${role}${i}`;
      shape.nodes.push({ name, role, extra: 'memoryMB: 512, staticIp: false, windowsDomain: CORP, domainController: true' });
      shape.steps.push({
        id: `up${i}`,
        action: 'upgrade',
        nodes: variant ? [name, `${role}${Math.max(0, i - 6)}`] : [name],
        extra: { via: 'terminal-services' },
      });
    });
  }
  // cupm: many application servers with another OS than the database, too little memory, no backup, no sync.
  shape.nodes.push({ name: 'db', role: 'database', extra: 'os: windows-2003' });
  return grow(product, shape, (i) => {
    shape.nodes.push({ name: `app${i}`, role: 'application', extra: 'memoryMB: 1024, os: windows-2008' });
    shape.steps.push({ id: `up${i}`, action: 'upgrade', node: `app${i}` });
  });
}

/** Many documents in one file, each a small manifest, or each with a syntax error. */
function multiDoc(product: string, broken: boolean): string {
  const doc = broken
    ? (i: number) => `---\nmanifestVersion: 1\nproduct: ${product}\nfrom: a: b\nnodes: [{ name: n${i} }]\n`
    : (i: number) =>
        `---\nmanifestVersion: 1\nproduct: ${product}\nfrom: 1.0\nto: 1.0\nnodes: [{ name: n${i}, role: ${roleAt(product, i)} }]\nsteps: [{ id: s${i}, action: upgrade, node: m${i} }]\n`;
  let out = '';
  for (let i = 0; out.length < TARGET - 200; i++) out += doc(i);
  return out;
}

/** Tiny documents: as many as fit, some with a syntax error (each document checks every syntax error). */
function tinyDocs(broken: boolean): string {
  let out = '';
  for (let i = 0; out.length < TARGET; i++) out += broken ? `---\na: b: ${i}\n` : `---\nx${i}: 1\n`;
  return out;
}

/** One mapping with thousands of keys (the YAML parser checks each key against the earlier ones). */
function bigMap(product: string, where: 'env' | 'top' | 'flow'): string {
  let out = header(product) + `nodes: [{ name: n0, role: ${roleAt(product, 0)} }]\n`;
  if (where === 'top') {
    out += 'steps: [{ id: s0, action: upgrade, node: n0 }]\n';
    for (let i = 0; out.length < TARGET; i++) out += `${typo('serverRoot', rng(i))}${i}: v\n`;
    return out;
  }
  out += 'steps:\n  - id: cmd\n    action: command\n    node: n0\n    run: "echo"\n    env:' + (where === 'flow' ? ' {' : '\n');
  for (let i = 0; out.length < TARGET; i++) out += where === 'flow' ? `k${i}: v, ` : `      K${i}_PASSWORD: v${i}\n`;
  return where === 'flow' ? out + 'z: 1 }\n' : out;
}

/** The whole manifest in flow style on one line: the parser cannot cut it into pieces. */
function flowManifest(product: string): string {
  const nodes: string[] = [];
  const steps: string[] = [];
  let size = 0;
  for (let i = 0; size < TARGET - 400; i++) {
    const role = roleAt(product, i);
    const name = nodeName(role, i);
    const n = `{name: ${name}, role: ${role}}`;
    const s = `{id: up-${i}, action: upgrade, node: ${i % 3 ? name : typo(name, rng(i))}}`;
    nodes.push(n);
    steps.push(s);
    size += n.length + s.length + 4;
  }
  return `{manifestVersion: 1, product: ${product}, from: 1.0, to: 2.0, nodes: [${nodes.join(', ')}], steps: [${steps.join(', ')}]}\n`;
}

/** Long step ids and node names (hundreds of characters each, many of them). */
function longIds(product: string, len: number): string {
  const shape: ManifestShape = { nodes: [], steps: [] };
  return grow(product, shape, (i) => {
    const role = roleAt(product, i);
    const name = `${role}-${fill('node-name.', len)}-${i}`;
    shape.nodes.push({ name, role });
    shape.steps.push({ id: `${fill('upgrade-step_', len)}${i}`, action: 'upgrade', node: i % 2 ? name : `${name}x` });
  });
}

export function grammarManifests(seed = 20261201): HostileInput[] {
  const r = rng(seed);
  const out: HostileInput[] = [];
  const add = (product: string, label: string, text: string, files = refFiles()) =>
    out.push({ gen: 'manifest', label: `${product} ${label}`, kind: 'upgrade-manifest', text, path: MANIFEST_PATH, files });
  // What the product rules read: every product.
  for (const product of PRODUCTS) {
    add(product, 'many nodes (flow)', manyNodes(product, false));
    add(product, 'many nodes (block)', manyNodes(product, true));
    add(product, 'unknown refs (nodes: x8)', unknownRefs(product, r, 8));
    add(product, 'rule stress', ruleStress(product, 0));
    add(product, 'rule stress 2', ruleStress(product, 1));
  }
  // Paths that do not depend on the product: one product each, in turn.
  const generic: [string, (product: string) => string][] = [
    ['unknown refs (node:)', (p) => unknownRefs(p, r, 1)],
    ['aliases (scalar)', (p) => aliases(p, 'scalar')],
    ['aliases (maps)', (p) => aliases(p, 'map')],
    ['aliases (chain)', (p) => aliases(p, 'chain')],
    ['steps without action', (p) => missingKeys(p, 'action')],
    ['nodes without role', (p) => missingKeys(p, 'role')],
    ['steps without id', (p) => missingKeys(p, 'id')],
    ['steps without action, nodes without role', (p) => missingKeys(p, 'both')],
    ['wrong keys', (p) => wrongKeys(p, r)],
    ['many documents', (p) => multiDoc(p, false)],
    ['many broken documents', (p) => multiDoc(p, true)],
    ['env with thousands of keys', (p) => bigMap(p, 'env')],
    ['flow env with thousands of keys', (p) => bigMap(p, 'flow')],
    ['thousands of unknown top-level keys', (p) => bigMap(p, 'top')],
    ['flow manifest on one line', (p) => flowManifest(p)],
    ['long ids (300)', (p) => longIds(p, 300)],
    ['long ids (40)', (p) => longIds(p, 40)],
    [
      'suppression comments on every step',
      (p) => cut(manyNodes(p, false).replace(/^( {2}- \{ id: )/gm, '  # upgrade-lint-disable-next-line manifest/unknown-node, schema/*\n$1')),
    ],
  ];
  generic.forEach(([label, make], k) => add(PRODUCTS[k % PRODUCTS.length], label, make(PRODUCTS[k % PRODUCTS.length])));
  out.push({ gen: 'manifest', label: 'tiny documents', kind: 'upgrade-manifest', text: tinyDocs(false), path: MANIFEST_PATH });
  out.push({ gen: 'manifest', label: 'tiny broken documents', kind: 'upgrade-manifest', text: tinyDocs(true), path: MANIFEST_PATH });
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Deep nesting.

/** `open` repeated, a middle, `close` repeated: as deep as fits. */
function nest(open: string, mid: string, close: string, budget = TARGET - 200): string {
  const n = Math.floor((budget - mid.length) / (open.length + close.length));
  return open.repeat(n) + mid + close.repeat(n);
}

/** Block nesting with one more space per level (as deep as fits: ~450 levels). */
function blockStairs(line: (depth: number) => string): string {
  let out = '';
  for (let d = 0; ; d++) {
    const l = ' '.repeat(d) + line(d) + '\n';
    if (out.length + l.length > TARGET) return out + ' '.repeat(d) + 'x\n';
    out += l;
  }
}

/** A seeded random YAML value, flow style, with anchors, aliases and complex keys, at most `budget` characters. */
function randomFlow(r: () => number, budget: number, maxDepth: number): string {
  let anchors = 0;
  const parts: string[] = [];
  let size = 0;
  // Iterative: a stack of open collections.
  const stack: ('[' | '{')[] = [];
  const need: boolean[] = []; // whether the next item of a map is a value (after `key:`)
  const scalar = () => {
    const k = r();
    if (k < 0.15 && anchors) return `*a${Math.floor(r() * anchors)}`;
    if (k < 0.3) return `&a${anchors++} v${Math.floor(r() * 100)}`;
    if (k < 0.4) return JSON.stringify(fill(BACKTRACK[Math.floor(r() * BACKTRACK.length)], 1 + Math.floor(r() * 40)));
    return ['x', '1', '1.5', 'true', 'null', '~', "'q'", 'a b', '-1', '0x1F', '5.1.3', '8.6(3)'][Math.floor(r() * 12)];
  };
  const push = (s: string) => {
    parts.push(s);
    size += s.length;
  };
  push(r() < 0.5 ? '[' : '{');
  stack.push(parts[0] as '[' | '{');
  need.push(false);
  let first = true;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const full = size + stack.length >= budget - 60;
    const closeNow = full || (stack.length > 1 && r() < 0.12 / (1 + stack.length / maxDepth) + (stack.length >= maxDepth ? 1 : 0) * 0.5);
    if (closeNow && !(top === '{' && need[need.length - 1])) {
      push(top === '[' ? ']' : '}');
      stack.pop();
      need.pop();
      first = false;
      if (stack.length && stack[stack.length - 1] === '{') {
        // The collection just closed was a key (then its value follows) or a value (then the next key).
        if (!need[need.length - 1]) {
          push(': ');
          need[need.length - 1] = true;
          first = true;
        } else need[need.length - 1] = false;
      }
      continue;
    }
    if (!first && !(top === '{' && need[need.length - 1])) push(', ');
    const deeper = !full && stack.length < maxDepth && r() < 0.45;
    if (top === '{' && !need[need.length - 1]) {
      // A key: a scalar, or (sometimes) a flow collection as a complex key.
      if (deeper && r() < 0.3) {
        const o = r() < 0.5 ? '[' : '{';
        push(o);
        stack.push(o);
        need.push(false);
        first = true;
        continue;
      }
      push(scalar() + ' : ');
      need[need.length - 1] = true;
      first = true;
      continue;
    }
    if (deeper) {
      const o = r() < 0.5 ? '[' : '{';
      push(o);
      stack.push(o);
      need.push(false);
      first = true;
      continue;
    }
    push(scalar());
    first = false;
    if (top === '{') {
      need[need.length - 1] = false;
    }
  }
  return parts.join('');
}

/** A seeded random block-style document with growing indentation, complex keys and aliases. */
function randomBlock(r: () => number, budget: number): string {
  let out = '';
  let indent = 0;
  let anchors = 0;
  while (out.length < budget - 100) {
    const pad = ' '.repeat(indent);
    const k = r();
    if (k < 0.25) {
      out += `${pad}- `;
      out += r() < 0.5 ? `&b${anchors++} x\n` : '\n';
      indent += r() < 0.7 ? 2 : 1;
    } else if (k < 0.45) {
      out += `${pad}k${Math.floor(r() * 1000)}:\n`;
      indent += 1 + Math.floor(r() * 2);
    } else if (k < 0.55) {
      out += `${pad}? - ${r() < 0.5 ? '? ' : ''}key\n${pad}: v\n`;
    } else if (k < 0.65 && anchors) {
      out += `${pad}- *b${Math.floor(r() * anchors)}\n`;
    } else if (k < 0.8) {
      out += `${pad}- { a: [b, { c: d }], [e]: f }\n`;
    } else if (k < 0.9) {
      indent = Math.max(0, indent - 1 - Math.floor(r() * 6));
    } else out += `${pad}k${out.length}: v\n`;
    if (indent > 2000) indent = Math.floor(indent / 2);
  }
  return out;
}

export function deepInputs(seed = 20261202): HostileInput[] {
  const r = rng(seed);
  const out: HostileInput[] = [];
  const add = (label: string, text: string) => out.push({ gen: 'deep', label, kind: 'upgrade-manifest', text, path: MANIFEST_PATH, files: refFiles() });
  const prefix = header('acns') + 'nodes: [{ name: ce, role: content-engine }]\nsteps: ';
  add('[[[[ (unclosed)', '['.repeat(TARGET));
  add('{{{{ (unclosed)', '{'.repeat(TARGET));
  add('[[[[ ]]]] closed', nest('[', 'x', ']'));
  add('{{{{ }}}} closed (maps as keys)', nest('{', 'x', '}'));
  add('{a: {a: ... nested values', nest('{a: ', 'x', '}'));
  add('[{[{ alternating', nest('[{', 'x', '}]'));
  add('{[a]: {[a]: ... flow keys', nest('{[a]: ', 'x', '}'));
  add('steps: [[[[...]]]]', prefix + nest('[', 'x', ']', TARGET - prefix.length - 10) + '\n');
  add('steps: [{{{{...}}}: v}]', prefix + '[' + nest('{', 'x', ': v}', TARGET - prefix.length - 10) + ']\n');
  add('- - - - one line (block seqs)', fill('- ', TARGET) + 'x\n');
  add('? - ? - one line (complex keys)', fill('? - ', TARGET) + 'x\n');
  add('? ? ? one line', fill('? ', TARGET) + 'x\n');
  add('a: a: a: one line', fill('a: ', TARGET) + 'x\n');
  add(
    'block maps, one space per level',
    blockStairs((d) => `k${d}:`),
  );
  add(
    'block seqs, one space per level',
    blockStairs(() => '-'),
  );
  add(
    'complex keys, one space per level',
    blockStairs(() => '? -'),
  );
  add(
    'steps: deep block env',
    header('acns') +
      'nodes: [{ name: ce, role: content-engine }]\nsteps:\n  - id: c\n    action: command\n    node: ce\n    run: x\n    env:\n' +
      blockStairs((d) => `${' '.repeat(6)}p${d}:`).slice(0, TARGET - 400),
  );
  add('anchored deep nesting + aliases', `a: &a ${nest('[', 'x', ']', 30000)}\nb: [${Array.from({ length: 16000 }, () => '*a').join(', ')}]\n`);
  add('anchored 150-deep map + aliases', `x: &x ${nest('{k: ', 'v', '}', 750)}\n${Array.from({ length: 9000 }, (_, i) => `k${i}: *x`).join('\n')}\n`);
  add('nested quotes and brackets', nest('["[{', 'x', '}]"]'));
  add('{ ? [ ? { explicit flow keys', nest('{ ? [ ? ', 'x', ' ] : v }'));
  // Just under the engine's nesting limit (64 levels), many times over: these are parsed, not refused.
  const lines = (line: (i: number) => string, head = '') => {
    let t = head;
    for (let i = 0; ; i++) {
      const l = line(i);
      if (t.length + l.length > TARGET) return t;
      t += l;
    }
  };
  add(
    'many 60-deep flow seqs',
    lines((i) => `  - ${'['.repeat(58)}x${i}${']'.repeat(58)}\n`, 'steps:\n'),
  );
  add(
    'many 60-deep flow maps as keys',
    lines((i) => `  - ${'{'.repeat(58)}x${i}${'}'.repeat(58)}\n`, 'steps:\n'),
  );
  add(
    'many 60-deep {a: {a: maps',
    lines((i) => `  - ${'{a: '.repeat(58)}x${i}${'}'.repeat(58)}\n`, 'steps:\n'),
  );
  add(
    'many 30-deep ? - complex keys',
    lines((i) => `${'? - '.repeat(29)}x${i}\n: v\n`),
  );
  add(
    'many 60-deep block stairs',
    lines((i) => Array.from({ length: 60 }, (_, d) => `${' '.repeat(d)}k${i}_${d}:\n`).join('') + `${' '.repeat(60)}x\n`),
  );
  add(
    'steps with 58-deep env',
    lines((i) => `  - { id: c${i}, action: command, node: ce, run: x, env: ${'{a: '.repeat(56)}1${'}'.repeat(56)} }\n`, prefix.replace(/steps: $/, 'steps:\n')),
  );
  add('aliases to a 60-deep anchor', cut(`a: &a ${'['.repeat(60)}x${']'.repeat(60)}\n${lines((i) => `k${i}: *a\n`)}`));
  for (let i = 0; i < 6; i++)
    add(`random flow #${i} (depth ${[20, 40, 60, 200, 5000, 40000][i]})`, randomFlow(r, TARGET - 4000, [20, 40, 60, 200, 5000, 40000][i]) + '\n');
  for (let i = 0; i < 3; i++) add(`random block #${i}`, randomBlock(r, TARGET));
  for (let i = 0; i < 3; i++)
    add(`random flow in steps #${i} (depth ${[10, 55, 3000][i]})`, prefix + randomFlow(r, TARGET - prefix.length - 4000, [10, 55, 3000][i]) + '\n');
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Floods of YAML syntax errors (one error, or one node, per character or two).

export function yamlErrorInputs(): HostileInput[] {
  const out: HostileInput[] = [];
  const add = (label: string, text: string) => out.push({ gen: 'yaml-errors', label, kind: 'upgrade-manifest', text: cut(text), path: MANIFEST_PATH });
  const n = TARGET;
  add(']×n', fill(']', n));
  add('}×n', fill('}', n));
  add('[ ,×n ]', `[${fill(',', n - 2)}]`);
  add('{ ,×n }', `{${fill(',', n - 2)}}`);
  add('*a ×n (undefined aliases)', fill('*a ', n));
  add('&a ×n (anchors on nothing)', fill('&a ', n));
  add('!t ×n (unknown tags)', fill('!t ', n) + 'x');
  add('%YAML directives ×n', fill('%YAML 1.2\n', n));
  add('? ×n lines', fill('? \n', n));
  add('tab-indented items', 'k:\n' + fill('\t- x\n', n));
  add('"\\x ×n (bad escapes)', `"${fill('\\x', n - 2)}"`);
  add('---/... ×n', fill('---\n...\n', n));
  add(': ×n lines', fill(': \n', n));
  add('duplicate keys ×n', Array.from({ length: Math.floor(n / 5) }, () => 'k: 1').join('\n'));
  add("' ×n lines (unclosed quotes)", fill("k: '\n", n));
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Long scalars in every string field.

/** How a long value is written in YAML. */
export type Form = 'plain' | 'double' | 'single';
function yamlScalar(v: string, form: Form): string {
  if (form === 'double') return JSON.stringify(v);
  if (form === 'single') return `'${v.replace(/'/g, "''")}'`;
  return v;
}

/** Fields of the manifest that hold strings, and a manifest (for `product`) with `value` in that field. */
interface Field {
  name: string;
  product: string;
  common?: boolean;
  build(v: string): string;
}

const F = (name: string, product: string, build: (v: string) => string, common = false): Field => ({ name, product, build, common });
/** Fields that also get long plain (unquoted) values. */
const PLAIN_FIELDS = new Set(['node name', 'step id', 'from', 'metaFile', 'serverRoot', 'installDir', 'note']);
const basic = (product: string, opts: { top?: string; node?: string; step?: string; nodes?: string; steps?: string } = {}) =>
  header(product, opts.top ? [opts.top] : []) +
  `nodes:\n${opts.nodes ?? `  - { name: n1, role: ${ROLES[product][0]}${opts.node ? `, ${opts.node}` : ''} }\n  - { name: n2, role: ${roleAt(product, 1)} }\n`}` +
  `steps:\n${opts.steps ?? `  - { id: b1, action: backup, node: n1, target: drs }\n  - { id: u1, action: upgrade, node: n1${opts.step ? `, ${opts.step}` : ''} }\n  - { id: u2, action: upgrade, node: n2 }\n`}`;

/** Replaces a header line `key: …` of the product header by `key: value`. */
const withTop = (product: string, key: string, value: string) => {
  const text = basic(product);
  const re = new RegExp(`^${key}: .*$`, 'm');
  return re.test(text) ? text.replace(re, () => `${key}: ${value}`) : text.replace(/^nodes:/m, () => `${key}: ${value}\nnodes:`);
};

export function stringFields(): Field[] {
  const fields: Field[] = [];
  for (const product of PRODUCTS) {
    fields.push(F('title', product, (v) => withTop(product, 'title', v), true));
    fields.push(F('from', product, (v) => withTop(product, 'from', v), true));
    fields.push(F('to', product, (v) => withTop(product, 'to', v), true));
    fields.push(
      F(
        'node name',
        product,
        (v) => basic(product, { nodes: `  - { name: ${v}, role: ${ROLES[product][0]} }\n  - { name: n2, role: ${roleAt(product, 1)} }\n` }),
        true,
      ),
    );
    fields.push(
      F(
        'step id',
        product,
        (v) => basic(product, { steps: `  - { id: ${v}, action: upgrade, node: n1 }\n  - { id: ${v.slice(0, 200)}, action: upgrade, node: n2 }\n` }),
        true,
      ),
    );
    fields.push(F('step node (unknown)', product, (v) => basic(product, { steps: `  - { id: u1, action: upgrade, node: ${v} }\n` }), true));
    fields.push(F('note', product, (v) => basic(product, { step: `note: ${v}` }), true));
  }
  // Fields that only some products read.
  fields.push(F('metaFile', 'acns', (v) => withTop('acns', 'metaFile', v)));
  fields.push(F('deviceGroups member', 'acns', (v) => withTop('acns', 'deviceGroups', `[{ name: g, members: [n1, ${v}] }]`)));
  fields.push(F('serverRoot', 'iplanet-messaging', (v) => withTop('iplanet-messaging', 'serverRoot', v)));
  fields.push(F('targetServerRoot', 'iplanet-messaging', (v) => withTop('iplanet-messaging', 'targetServerRoot', v)));
  fields.push(F('directoryServerVersion', 'iplanet-messaging', (v) => withTop('iplanet-messaging', 'directoryServerVersion', v)));
  fields.push(F('installDir', 'cupm', (v) => withTop('cupm', 'installDir', v)));
  fields.push(F('windowsUser', 'cupm', (v) => withTop('cupm', 'windowsUser', v)));
  fields.push(F('propertiesFile', 'cupm', (v) => withTop('cupm', 'propertiesFile', v)));
  fields.push(F('unifiedCmVersion', 'cucm-im-presence', (v) => withTop('cucm-im-presence', 'unifiedCmVersion', v)));
  fields.push(F('interclusterPeers version', 'cucm-im-presence', (v) => withTop('cucm-im-presence', 'interclusterPeers', `[{ name: p, version: ${v} }]`)));
  fields.push(F('upgradeType', 'cucm-im-presence', (v) => withTop('cucm-im-presence', 'upgradeType', v)));
  fields.push(F('node hardware', 'cucm-im-presence', (v) => basic('cucm-im-presence', { node: `hardware: ${v}` })));
  fields.push(F('node address', 'callmanager', (v) => basic('callmanager', { node: `address: ${v}` })));
  fields.push(F('node windowsDomain', 'callmanager', (v) => basic('callmanager', { node: `windowsDomain: ${v}` })));
  fields.push(F('node services', 'callmanager', (v) => basic('callmanager', { node: `services: [${v}]` })));
  fields.push(F('node role', 'callmanager', (v) => basic('callmanager', { nodes: `  - { name: n1, role: ${v} }\n  - { name: n2, role: tftp }\n` })));
  fields.push(F('step action', 'acns', (v) => basic('acns', { steps: `  - { id: u1, action: ${v}, node: n1 }\n` })));
  fields.push(F('step run', 'acns', (v) => basic('acns', { steps: `  - { id: c1, action: command, node: n1, run: ${v} }\n` })));
  fields.push(
    F('env password value', 'acns', (v) => basic('acns', { steps: `  - { id: c1, action: command, node: n1, run: x, env: { DB_PASSWORD: ${v} } }\n` })),
  );
  fields.push(F('env key', 'acns', (v) => basic('acns', { steps: `  - { id: c1, action: command, node: n1, run: x, env: { ${v}: x } }\n` })));
  fields.push(
    F('maintenanceWindow start', 'cucm-im-presence', (v) =>
      withTop('cucm-im-presence', 'maintenanceWindow', `{ start: ${v}, end: 2026-12-06T04:00:00+09:00 }`),
    ),
  );
  fields.push(F('unknown top-level key', 'cupm', (v) => basic('cupm').replace(/^nodes:/m, () => `${v}: 1\nnodes:`)));
  return fields;
}

/** A value of about LONG characters from one backtracking piece, with a tail that makes matches fail late. */
export function longValue(unit: string, n = LONG): string {
  return fill(unit, n - 1) + (unit === '1' || unit === '1.' ? 'x' : unit === '/' ? 'a' : '!');
}

export function longScalarManifests(): HostileInput[] {
  const out: HostileInput[] = [];
  const forms: Form[] = ['double', 'plain'];
  const fields = stringFields();
  for (const form of forms) {
    for (const [u, unit] of BACKTRACK.entries()) {
      // Fields every product has: one product per piece (they all go through the same code), rotating.
      const product = PRODUCTS[u % PRODUCTS.length];
      for (const f of fields) {
        if (f.common && f.product !== product) continue;
        // Plain scalars: only for pieces that stay one scalar (the rest become structure, covered by `deep`),
        // in the fields whose values rules read as text.
        if (form === 'plain' && (/^(: | #|@)$/.test(unit) || !PLAIN_FIELDS.has(f.name))) continue;
        let v = longValue(unit);
        if (unit === ' ' && form === 'plain') v = `a${v.slice(2)}b`;
        // Escaped forms (a backslash in double quotes) take more room: shorten the value to fit.
        const room = yamlScalar(v, form).length;
        if (room > LONG) v = v.slice(0, Math.floor((v.length * LONG) / room) - 2) + v.slice(-1);
        const text = f.build(yamlScalar(v, form));
        out.push({
          gen: 'long-scalar',
          label: `${f.product} ${f.name} = ${JSON.stringify(unit)}×${v.length} (${form})`,
          kind: 'upgrade-manifest',
          text,
          path: MANIFEST_PATH,
          files: refFiles(),
        });
      }
    }
  }
  // Two long names that differ in one character: a node and a step that names it with a typo.
  for (const unit of ['a', 'a.', '1', '-', 'a-b_c.']) {
    const n = 46 * 1024;
    const name = fill(unit, n);
    const ref = name.slice(0, -1) + 'z';
    const text = basic('acns', { nodes: `  - { name: ${name}, role: content-engine }\n`, steps: `  - { id: u1, action: upgrade, node: ${ref} }\n` });
    out.push({
      gen: 'long-scalar',
      label: `long node name and a long typo of it (${JSON.stringify(unit)}×${n})`,
      kind: 'upgrade-manifest',
      text,
      path: MANIFEST_PATH,
      files: refFiles(),
    });
  }
  // Long names one typo apart, medium length: hundreds of them.
  for (const len of [100, 1000, 5000]) {
    const nodes: string[] = [];
    const steps: string[] = [];
    let size = 0;
    for (let i = 0; size < TARGET - 600; i++) {
      const name = `${fill('node', len)}${i}`;
      nodes.push(`  - { name: ${name}, role: content-engine }\n`);
      steps.push(`  - { id: s${i}, action: upgrade, node: ${name.slice(0, -1)}Z }\n`);
      size += nodes[i].length + steps[i].length;
    }
    out.push({
      gen: 'long-scalar',
      label: `${nodes.length} names of ${len} chars, each referenced with a typo`,
      kind: 'upgrade-manifest',
      text: basic('acns', { nodes: nodes.join(''), steps: steps.join('') }),
      path: MANIFEST_PATH,
      files: refFiles(),
    });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Meta files.

const META_BASE: Record<string, string> = {
  updateFileSize: '97205475',
  version: '5.1.3',
  description: 'ACNS 5.1.3',
  updateFileUrl: 'ftp://images.example.com/ACNS-5.1.3-K9.bin',
  user: 'anonymous',
  password: 'noc@example.com',
  'CDM-IP': '10.1.0.2',
};

/** A meta file with every key at its normal value, except `key` set to `value` (`key` may be a new key). */
export function metaWith(key: string, value: string, base = META_BASE): string {
  const lines = Object.entries(base).map(([k, v]) => (k === key ? `${k}=${value}` : `${k}=${v}`));
  if (!(key in base)) lines.push(`${key}=${value}`);
  return lines.join('\n') + '\n';
}

export function metaInputs(): HostileInput[] {
  const out: HostileInput[] = [];
  const add = (label: string, text: string, files?: Record<string, string>) =>
    out.push({ gen: 'meta', label, kind: 'acns-meta', text, path: META_PATH, files });
  const n = LONG;
  for (const key of META_KEYS) {
    for (const unit of BACKTRACK) add(`${key}=${JSON.stringify(unit)}×${n}`, metaWith(key, longValue(unit)));
  }
  const http = { ...META_BASE, updateFileUrl: 'http://images.example.com/ACNS-5.1.3-K9.bin' };
  const urls: [string, string, Record<string, string>?][] = [
    ['ftp:// + a×n', `ftp://${fill('a', n)}`],
    ['ftp:// + a×n + space', `ftp://${fill('a', n)} x`],
    ['http://h: + 1×n', `http://h:${fill('1', n)}`, http],
    ['http://h: + 1×n + /x.bin', `http://h:${fill('1', n)}/x.bin`, http],
    ['http:// + a@×n (userinfo)', `http://${fill('a@', n)}h/x.bin`, http],
    ['http:// + a:×n + @h', `http://${fill('a:', n)}@h/x.bin`, http],
    ['http://h: + :×n', `http://h${fill(':', n)}/x.bin`, http],
    ['ftp://h/ + /×n', `ftp://h/${fill('/', n)}`],
    ['ftp://h/ + ?×n + U+2028', `ftp://h/${fill('?', n - 12)}\u2028`],
    ['ftp://h/ + #×n + U+2028', `ftp://h/${fill('#', n - 12)}\u2028`],
    ['ftp://h/ + ?×n', `ftp://h/x${fill('?', n)}`],
    ['ftp://h/ + %×n', `ftp://h/${fill('%', n)}.bin`],
    ['ftp://h/ + %41×n', `ftp://h/${fill('%41', n)}.bin`],
    ['ftp://h/ACNS + -TO-×n + .bin', `ftp://h/ACNS${fill('-TO-', n)}.bin`],
    ['ftp://h/ACNS-TO- + 1×n + .bin', `ftp://h/ACNS-TO-${fill('1', n)}.bin`],
    ['ftp://h/ + 1.×n + .bin', `ftp://h/${fill('1.', n)}.bin`],
    ['ftp://h/ + 1×n + .bin', `ftp://h/${fill('1', n)}.bin`],
    ['ftp://h/ + 1.x×n + .bin', `ftp://h/a${fill('1.x', n)}.bin`],
    ['ftp://h/ + a1×n + .bin', `ftp://h/${fill('a1', n)}.bin`],
    ['ftp://h/ + .1×n + .bin', `ftp://h/${fill('.1', n)}.bin`],
    ['ftp://h/ + 1.1.×n + .meta', `ftp://h/${fill('1.1.', n)}.meta`],
    ['ftp:// + /?#×n', `ftp://${fill('/?#', n)}`],
    ['A://×n', fill('a://', n)],
    ['a×n + ://', `${fill('a', n)}://h/x.bin`],
  ];
  for (const [label, url, base] of urls) add(`updateFileUrl=${label}`, metaWith('updateFileUrl', url, base));
  const passwords: [string, string][] = [
    ['a@×40000', 'a@'.repeat(40000)],
    ['a@ + a.×n + @', `a@${fill('a.', n)}@`],
    ['a@ + a.×n + U+00A0', `a@${fill('a.', n)}\u00a0`],
    ['a + @a.×n', `a${fill('@a.', n)}`],
    ['@×n', fill('@', n)],
    ['a.×n + @', `${fill('a.', n)}@`],
    ['a×n + @b', `${fill('a', n)}@b`],
  ];
  for (const [label, p] of passwords) add(`password=${label}`, metaWith('password', p));
  add('version=4. + 1.×n (downgrade path)', metaWith('version', `4.${fill('1.', n)}`));
  add('version=1×n.1.1', metaWith('version', `${fill('1', n)}.1.1`));
  add('version=5.1. + 1×n', metaWith('version', `5.1.${fill('1', n)}`));
  add('version 4.x with long CDM-IP', metaWith('CDM-IP', fill('1.', n), { ...META_BASE, version: '4.2.1' }));
  add('updateFileSize=1×n (image present)', metaWith('updateFileSize', fill('1', n)));
  // Whole-file shapes.
  const many = (line: (i: number) => string) => {
    let t = '';
    for (let i = 0; t.length < TARGET; i++) t += line(i);
    return t;
  };
  add(
    'many duplicate keys',
    many((i) => `version=5.1.${i}\n`),
  );
  add(
    'many case variants of keys',
    many(
      (i) =>
        `${META_KEYS[i % META_KEYS.length]
          .split('')
          .map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c.toLowerCase()))
          .join('')}=${i}\n`,
    ),
  );
  add(
    'many unknown keys close to real ones',
    many((i) => `${typo(META_KEYS[i % META_KEYS.length], rng(i))}=${i}\n`),
  );
  add(
    'many lines without =',
    many((i) => `x${i}\n`),
  );
  add(
    'many one-char lines without =',
    many(() => 'x\n'),
  );
  add(
    'many lines =value without key',
    many(() => '=v\n'),
  );
  add(
    'many suppression comments',
    many((i) => `# upgrade-lint-disable-next-line meta/duplicate-key, meta/key-case\nversion=${i}\n`),
  );
  add('one key of n characters', `${fill('a', n)}=1\n`);
  add('blanks×n before =', `version${fill(' ', n)}=5.1.3\n`);
  add('=×n', fill('=', n) + '\n');
  add('#×n', fill('#', n) + '\n');
  add(
    'lone CR line breaks',
    many((i) => `version=${i}\r`),
  );
  add(
    'CRLF line breaks, many keys',
    many((i) => `${META_KEYS[i % META_KEYS.length]}=${i}\r\n`),
  );
  add(
    'tabs and form feeds',
    many((i) => `\t\f version \t\f= \t\f${i}\t\f\n`),
  );
  add('U+2028 line separators in values', metaWith('description', fill('a\u2028', n / 2)));
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// dfc.properties.

const DFC_BASE: Record<string, string> = {
  'dfc.webport': '80',
  'dfc.jboss.port': '46008',
  'dfc.postgres.port': '5432',
  'dfc.nice.rmi.registry.internal.port': '46001',
  'dfc.postgres.host': 'cupm-db01.example.co.jp',
  'dfc.postgres.admin.user': 'postgres',
  'dfc.postgres.database': 'cupm',
};

export function dfcWith(key: string, value: string): string {
  const lines = Object.entries(DFC_BASE).map(([k, v]) => (k === key ? `${k}=${value}` : `${k}=${v}`));
  if (!(key in DFC_BASE)) lines.push(`${key}=${value}`);
  return lines.join('\n') + '\n';
}

export function dfcInputs(): HostileInput[] {
  const out: HostileInput[] = [];
  const add = (label: string, text: string) => out.push({ gen: 'dfc', label, kind: 'cupm-properties', text, path: DFC_PATH });
  const n = LONG;
  for (const key of DFC_KEYS) {
    for (const unit of BACKTRACK) add(`${key}=${JSON.stringify(unit)}×${n}`, dfcWith(key, longValue(unit)));
  }
  const many = (line: (i: number) => string, head = '') => {
    let t = head;
    for (let i = 0; t.length < TARGET; i++) t += line(i);
    return t;
  };
  add('continuation: \\\\\\n repeated', `dfc.webport=8\\\n${fill('\\\n', n)}0\n`);
  add('continuation: a\\\\\\n repeated', `dfc.postgres.host=${fill('a\\\n', n)}\n`);
  add('continuation: blanks + \\\\\\n repeated', `dfc.postgres.host=${fill('    a\\\n', n)}\n`);
  add('continuation: key split over lines', `${fill('d\\\n', n)}=1\n`);
  add('continuation: dangling at the end', `dfc.postgres.host=${fill('a\\\n', n - 2)}\\`);
  add('\\\\u malformed, many', `dfc.webport=${fill('\\u', n)}\n`);
  add('\\\\u0041 many', `dfc.postgres.database=${fill('\\u0041', n)}\n`);
  add('\\\\uZZZZ many', `dfc.postgres.database=${fill('\\uZZZZ', n)}\n`);
  add(
    '\\\\u malformed in keys, many lines',
    many((i) => `k\\u${i}=v\n`),
  );
  add('\\\\×n (odd)', `dfc.webport=${'\\'.repeat(n | 1)}\n`);
  add('\\\\×n (even)', `dfc.webport=${'\\'.repeat(n & ~1)}\n`);
  add('escaped separators in key', `${fill('a\\ \\=\\:', n)}=1\n`);
  add('hostlist: ,×n', `dfc.postgres.hostlist=${fill(',', TARGET)}\n`);
  add('hostlist: a,×n', `dfc.postgres.hostlist=${fill('a,', n)}\n`);
  add('hostlist: db_1,×n', `dfc.postgres.hostlist=${fill('db_1,', n)}\n`);
  add('hostlist: h:1,×n', `dfc.postgres.hostlist=${fill('h:1,', n)}\n`);
  add('hostlist: 1.×n', `dfc.postgres.hostlist=${fill('1.', n)}\n`);
  add('hostlist: a-×n', `dfc.postgres.hostlist=${fill('a-', n)}\n`);
  add('hostlist: 63-char labels', `dfc.postgres.hostlist=${fill(fill('a', 63) + '.', n)}-\n`);
  add('hostlist: ::1, IPv6 many', `dfc.postgres.hostlist=${fill('::1,fe80::1%eth0,', n)}\n`);
  add('hostlist with escapes (inexact offsets)', `dfc.postgres.hostlist=${fill('a\\,,', n)}\n`);
  add('host: :1×n', `dfc.postgres.host=:${fill('1', n)}\n`);
  add('host: a:1 + 1×n', `dfc.postgres.host=a:${fill('1', n)}x\n`);
  add(
    'many reserved ports',
    many((i) => `x${i}.port=46009\n`),
  );
  add(
    'many conflicting ports',
    many((i) => `p${i}.port=${80 + (i % 3)}\n`),
  );
  add(
    'many bad ports',
    many((i) => `dfc.p${i}.port=${i}x\n`),
  );
  add(
    'many duplicate keys',
    many((i) => `dfc.webport=${i}\n`),
  );
  add(
    'many comments (# and !)',
    many((i) => (i % 2 ? `# c${i}\n` : `! c${i}\n`)),
  );
  add(
    'many keys without value',
    many((i) => `k${i}\n`),
  );
  add(
    'many suppression comments',
    many((i) => `# upgrade-lint-disable-next-line dfc/duplicate-key\ndfc.webport=${i}\n`),
  );
  add(
    'key: value with colons',
    many((i) => `k${i} : : : v\n`),
  );
  add('one key of n characters', `${fill('k', n)}=1\n`);
  add('blanks×n between key and value', `dfc.webport${fill(' ', n)}80\n`);
  add('=×n', fill('=', n) + '\n');
  add(':×n', fill(':', n) + '\n');
  add(
    'lone CR line breaks',
    many((i) => `k${i}=v\\\r`),
  );
  return out;
}

// -------------------------------------------------------------------------------------------------------------
// Manifests that reference hostile files (cross-file rules).

export function crossFileInputs(): HostileInput[] {
  const out: HostileInput[] = [];
  const small = 4 * 1024;
  const budget = MAX_BYTES - small;
  const metaBodies: [string, string][] = [
    ['version=1.×n', metaWith('version', fill('1.', budget - 300))],
    ['password=a@ + a.×n + @', metaWith('password', `a@${fill('a.', budget - 300)}@`)],
    [
      'many version lines',
      (() => {
        let t = '';
        for (let i = 0; t.length < budget - 100; i++) t += `VERSION=5.1.${i}\n`;
        return t;
      })(),
    ],
    [
      'CDM-IP-less downgrade, many lines',
      (() => {
        let t = 'version=4.2.1\n';
        for (let i = 0; t.length < budget - 100; i++) t += `x${i}=1\n`;
        return t;
      })(),
    ],
  ];
  for (const [label, meta] of metaBodies) {
    for (const down of [false, true]) {
      let text = basic('acns');
      if (down) text = text.replace('from: 5.1.0\nto: 5.1.3', 'from: 5.1.3\nto: 4.2.1');
      out.push({
        gen: 'cross-file',
        label: `acns metaFile → ${label}${down ? ' (downgrade)' : ''}`,
        kind: 'upgrade-manifest',
        text,
        path: MANIFEST_PATH,
        files: refFiles(meta),
      });
    }
  }
  const dfcBodies: [string, string][] = [
    ['\\u malformed, many', `dfc.webport=${fill('\\u', budget - 100)}\n`],
    ['hostlist: ,×n', `dfc.postgres.hostlist=${fill(',', budget - 100)}\n`],
    [
      'many reserved ports',
      (() => {
        let t = '';
        for (let i = 0; t.length < budget - 100; i++) t += `x${i}.port=46009\n`;
        return t;
      })(),
    ],
  ];
  for (const [label, dfc] of dfcBodies) {
    out.push({
      gen: 'cross-file',
      label: `cupm propertiesFile → ${label}`,
      kind: 'upgrade-manifest',
      text: basic('cupm'),
      path: MANIFEST_PATH,
      files: refFiles(GOOD_META, dfc),
    });
  }
  return out;
}

/** Every hostile input, in a fixed order. */
export function allHostileInputs(): HostileInput[] {
  return [...grammarManifests(), ...deepInputs(), ...yamlErrorInputs(), ...longScalarManifests(), ...metaInputs(), ...dfcInputs(), ...crossFileInputs()];
}
