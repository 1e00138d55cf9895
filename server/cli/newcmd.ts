/**
 * `upgrade-lint --new` (or `upgrade-lint new --product …`): the planner's manifest for a product, versions, nodes
 * and facts, to stdout or `-o`. The manifest is linted as it is written; its problems (an input the guide does not
 * allow, such as a server with too little memory) go to stderr and set the exit code as linting would.
 * Exit: 0 written, 1 written with errors or refused by the guide, 2 usage.
 */
import { lint } from '../engine/lint';
import { msg, type Message } from '../engine/l10n/index';
import { newManifest, PLANNERS, plannerOf, type PlanNode, type PlanRequest } from '../engine/planner/index';
import { productKeys } from '../engine/manifest';
import { manifestSchemaAt } from '../engine/schema';
import type { Locale } from '../engine/types';
import { UsageError } from './args';

export interface NewOptions {
  product?: string;
  from?: string;
  to?: string;
  nodes: string[];
  set: string[];
  title?: string;
  window?: string;
}

/** Keys the planner writes itself: not for `--set`. */
const OWN_KEYS = new Set(['manifestVersion', 'product', 'title', 'from', 'to', 'nodes', 'steps', 'maintenanceWindow']);

/** A command-line text as the schema's type at `path`: a number, a boolean, a list (`a|b`), else the text. */
function typed(path: string[], text: string): unknown {
  const s = manifestSchemaAt(path) as { type?: unknown } | undefined;
  const types = Array.isArray(s?.type) ? (s?.type as string[]) : s?.type ? [String(s.type)] : [];
  if (types.includes('array')) return text.split('|').filter((x) => x !== '');
  if ((types.includes('integer') || types.includes('number')) && !types.includes('string') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (types.includes('boolean') && /^(true|false)$/.test(text)) return text === 'true';
  return text;
}

/** The request from the options; a mistake is a usage error naming what would be right. */
export function planRequest(o: NewOptions): PlanRequest {
  const products = PLANNERS.map((p) => `\`${p.product}\``);
  if (!o.product) throw new UsageError(msg('cli.new.product', { products }));
  const planner = plannerOf(o.product);
  if (!planner) throw new UsageError(msg('plan.error.product', { product: o.product, products }));
  if (!o.from || !o.to) throw new UsageError(msg('plan.error.versions'));
  if (!o.nodes.length) throw new UsageError(msg('cli.new.nodes', { roles: planner.roles.map((r) => `\`${r}\``) }));
  const nodeKeys = Object.keys((manifestSchemaAt(['nodes', '[]']) as { properties?: object } | undefined)?.properties ?? {});
  const nodes: PlanNode[] = o.nodes.map((spec) => {
    const [head, ...rest] = spec.split(',');
    const m = /^([^=]+)=(.+)$/.exec(head);
    if (!m) throw new UsageError(msg('cli.new.node', { value: spec }));
    const n: PlanNode = { name: m[1].trim(), role: m[2].trim() };
    for (const kv of rest) {
      const k = /^([^=]+)=(.*)$/.exec(kv);
      if (!k || !nodeKeys.includes(k[1]) || k[1] === 'name' || k[1] === 'role')
        throw new UsageError(msg('cli.new.nodeKey', { value: kv, keys: nodeKeys.filter((x) => x !== 'name' && x !== 'role').map((x) => `\`${x}\``) }));
      n[k[1]] = typed(['nodes', '[]', k[1]], k[2]);
    }
    return n;
  });
  // The planner's own facts (edgeMethod, switchMode…) and the product's manifest keys.
  const own = new Map(planner.facts.map((f) => [f.key, f]));
  const allowed = [...new Set([...planner.facts.map((f) => f.key), ...(productKeys(o.product) ?? []).filter((k) => !OWN_KEYS.has(k))])];
  const facts: Record<string, unknown> = {};
  for (const kv of o.set) {
    const k = /^([^=]+)=(.*)$/.exec(kv);
    if (!k || !allowed.includes(k[1])) throw new UsageError(msg('cli.new.set', { value: kv, product: o.product, keys: allowed.map((x) => `\`${x}\``) }));
    const spec = own.get(k[1]);
    if (spec?.values && !spec.values.includes(k[2]))
      throw new UsageError(msg('cli.new.setValue', { key: k[1], value: k[2], values: spec.values.map((x) => `\`${x}\``) }));
    facts[k[1]] = spec
      ? spec.type === 'boolean' && /^(true|false)$/.test(k[2])
        ? k[2] === 'true'
        : spec.type === 'number' && /^\d+$/.test(k[2])
          ? Number(k[2])
          : k[2]
      : typed([k[1]], k[2]);
  }
  let maintenanceWindow: PlanRequest['maintenanceWindow'];
  if (o.window !== undefined) {
    const w = /^(\S+)\/(\S+)$/.exec(o.window);
    if (!w) throw new UsageError(msg('cli.new.window', { value: o.window }));
    maintenanceWindow = { start: w[1], end: w[2] };
  }
  return {
    product: planner.product,
    from: o.from,
    to: o.to,
    nodes,
    facts,
    ...(o.title !== undefined ? { title: o.title } : {}),
    ...(maintenanceWindow ? { maintenanceWindow } : {}),
  };
}

export type NewOutcome = { code: 0 | 1; text?: string; say: Message[] };

/** Plans the request; the text is undefined when the guide refuses the upgrade. */
export function runNew(o: NewOptions, locale: Locale): NewOutcome {
  const req = planRequest(o);
  const r = newManifest(req, locale);
  if (!r.ok) {
    if (!r.rule) throw new UsageError(r.message);
    return { code: 1, say: [msg('cli.new.refused', { rule: r.rule, why: r.message })] };
  }
  // What the inputs themselves break (a value the guide does not allow) is said, as the linter says it.
  const found = lint({ text: r.text, kind: 'upgrade-manifest' }, { locale }).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  const say = found.map((d) => msg('cli.new.problem', { line: d.range.start.line + 1, severity: d.severity, rule: d.rule, message: d.message }));
  return { code: found.some((d) => d.severity === 'error') ? 1 : 0, text: r.text, say };
}
