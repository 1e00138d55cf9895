/** The planners of every product, and a plan written as a manifest (YAML text in the user's language). */
import { dynamicMsg, msg, render, type Message } from '../l10n/index';
import type { Locale } from '../types';
import { yamlScalar } from '../parse/yaml';
import { compareVersions, parseVersion } from '../versions';
import { PRODUCTS, type ProductId } from '../products/index';
import { acnsPlanner } from './acns';
import { callmanagerPlanner } from './callmanager';
import { cupmPlanner } from './cupm';
import { impPlanner } from './imp';
import { iplanetPlanner } from './iplanet';
import type { Plan, PlanRequest, ProductPlanner } from './types';

export type { FactSpec, Plan, PlanNode, PlanPath, PlanRequest, PlanStep, ProductPlanner } from './types';

export const PLANNERS: readonly ProductPlanner[] = [acnsPlanner, impPlanner, callmanagerPlanner, cupmPlanner, iplanetPlanner];
const byProduct = new Map<string, ProductPlanner>(PLANNERS.map((p) => [p.product, p]));
export const plannerOf = (product: string): ProductPlanner | undefined => byProduct.get(product);

export type PlanOutcome =
  | { ok: true; text: string; plan: Extract<Plan, { ok: true }> }
  /** The request cannot be planned: the guide refuses it (`rule`), or the request itself is wrong (no rule). */
  | { ok: false; rule?: string; message: Message };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Checks the request (product, versions, nodes and roles) and plans it. */
export function planManifest(req: PlanRequest): PlanOutcome {
  const planner = plannerOf(req.product);
  if (!planner) return { ok: false, message: msg('plan.error.product', { product: req.product, products: PRODUCTS.map((p) => `\`${p.id}\``) }) };
  if (!String(req.from ?? '').trim() || !String(req.to ?? '').trim()) return { ok: false, message: msg('plan.error.versions') };
  if (!req.nodes.length) return { ok: false, message: msg('plan.error.noNodes') };
  const seen = new Set<string>();
  for (const n of req.nodes) {
    if (!NAME.test(n.name)) return { ok: false, message: msg('plan.error.nodeName', { name: n.name }) };
    if (seen.has(n.name)) return { ok: false, message: msg('plan.error.duplicateNode', { name: n.name }) };
    seen.add(n.name);
    if (!planner.roles.includes(n.role))
      return { ok: false, message: msg('plan.error.role', { name: n.name, role: n.role, product: req.product, roles: planner.roles.map((r) => `\`${r}\``) }) };
  }
  const plan = planner.plan(req);
  if (!plan.ok) return plan;
  return { ok: true, plan, text: '' };
}

/** A value as YAML: text plain where YAML reads it back as the same text, numbers and booleans as they are. */
const scalar = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : yamlScalar(String(v)));

function value(v: unknown, indent: string, locale: Locale): string {
  // A list of mappings (`deviceGroups`): a block list, one mapping per item.
  if (Array.isArray(v) && v.some((x) => x && typeof x === 'object' && !Array.isArray(x)))
    return `\n${v
      .map((x) =>
        Object.entries(x as Record<string, unknown>)
          .map(([k, y], i) => entry(`${indent}${i === 0 ? '  - ' : '    '}`, k, value(y, indent + '    ', locale)))
          .join('\n'),
      )
      .join('\n')}`;
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x)).join(', ')}]`;
  if (v && typeof v === 'object' && 'key' in (v as object) && 'args' in (v as object)) return yamlScalar(render(v as Message, locale));
  if (v && typeof v === 'object')
    return `\n${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => entry(`${indent}  `, k, value(x, indent + '  ', locale)))
      .join('\n')}`;
  return scalar(v);
}

/** `key: value`, or `key:` and the block below it. */
const entry = (prefix: string, k: string, v: string) => (v.startsWith('\n') ? `${prefix}${k}:${v}` : `${prefix}${k}: ${v}`);

/** The keys of a step in the order people read them. */
const STEP_KEY_ORDER = ['id', 'action', 'node', 'nodes'];

/** Writes a plan as a manifest: block style, one key per line, the notes in `locale`. */
export function renderPlan(req: PlanRequest, plan: Extract<Plan, { ok: true }>, locale: Locale): string {
  const out: string[] = [];
  const productName = dynamicMsg(`product.${req.product}.name`);
  out.push(`# ${render(msg('plan.header', { product: productName, from: req.from, to: req.to }), locale)}`);
  out.push(`# ${render(msg('plan.header.check'), locale)}`);
  out.push('manifestVersion: 1');
  out.push(`product: ${req.product}`);
  const down = (() => {
    const a = parseVersion(req.from);
    const b = parseVersion(req.to);
    return !!a && !!b && compareVersions(b, a) < 0;
  })();
  out.push(`title: ${yamlScalar(req.title ?? render(msg(down ? 'plan.title.downgrade' : 'plan.title', { product: productName, to: req.to }), locale))}`);
  out.push(`from: ${yamlScalar(req.from)}`);
  out.push(`to: ${yamlScalar(req.to)}`);
  for (const [k, v] of Object.entries(plan.header)) {
    if (v === undefined) continue;
    const c = plan.comments?.[k];
    if (c) out.push(`# ${render(c, locale)}`);
    out.push(entry('', k, value(v, '', locale)));
  }
  if (req.maintenanceWindow) out.push(`maintenanceWindow:\n  start: ${req.maintenanceWindow.start}\n  end: ${req.maintenanceWindow.end}`);
  out.push('nodes:');
  for (const n of plan.nodes) {
    const keys = ['name', 'role', ...Object.keys(n).filter((k) => k !== 'name' && k !== 'role')];
    keys.forEach((k, i) => n[k] !== undefined && out.push(entry(i === 0 ? '  - ' : '    ', k, value(n[k], '    ', locale))));
  }
  out.push('steps:');
  for (const s of plan.steps) {
    const keys = [...STEP_KEY_ORDER.filter((k) => k in s), ...Object.keys(s).filter((k) => !STEP_KEY_ORDER.includes(k) && k !== 'note' && k !== 'duration')];
    if (s.duration !== undefined) keys.push('duration');
    keys.push('note');
    keys.forEach((k, i) => s[k] !== undefined && out.push(entry(i === 0 ? '  - ' : '    ', k, value(s[k], '    ', locale))));
  }
  return out.join('\n') + '\n';
}

/** Plans and writes the manifest. */
export function newManifest(req: PlanRequest, locale: Locale): PlanOutcome {
  const r = planManifest(req);
  return r.ok ? { ...r, text: renderPlan(req, r.plan, locale) } : r;
}

export type { ProductId };
