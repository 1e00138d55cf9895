/**
 * "Sort steps into the documented order": the chains of every enabled order rule (server/engine/order.ts), a stable
 * topological sort over them, and one edit that rewrites the steps in that order with their comments. Shared by
 * the language server's source action and the engine's move fixes (a move is preferred when the order after it
 * satisfies every chain).
 */
import { severityFor } from '../collector';
import { msg, type Message } from '../l10n/index';
import { buildManifestContext, type ManifestContext } from '../manifest';
import { reorderEdit, sortSteps, stepBlocks, type OrderChain } from '../order';
import { DEFAULT_MAX_ALIAS_EXPANSION, loadYaml } from '../parse/yaml';
import { manifestRuleList } from '../rules/index';
import type { LintOptions, TextEdit } from '../types';

const CHAINS = new WeakMap<ManifestContext, OrderChain[]>();

/** The chains of every rule that applies to the manifest and is not turned off (computed once per context). */
export function orderChains(ctx: ManifestContext): OrderChain[] {
  let out = CHAINS.get(ctx);
  if (out) return out;
  out = [];
  const rules = ctx.options.rules ?? {};
  for (const rule of manifestRuleList) {
    if (!rule.order || severityFor(rule.id, rules) === 'off') continue;
    if (rule.products && (!ctx.product || !rule.products.includes(ctx.product))) continue;
    for (const c of rule.order(ctx)) if (c.items.length > 1) out.push(c);
  }
  CHAINS.set(ctx, out);
  return out;
}

export type SortResult =
  /** The edits that sort the steps (empty when they are in order already). */
  | { edits: TextEdit[]; moved: number }
  /** Why the steps cannot be sorted. */
  | { problem: Message };

/** Sorts the steps of every document of a manifest (each document on its own). */
export function sortManifestSteps(text: string, opts: LintOptions = {}): SortResult {
  const file = loadYaml(text, opts.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION);
  if (file.tooDeep || file.syntax.length) return { problem: msg('order.sort.syntax') };
  const edits: TextEdit[] = [];
  let moved = 0;
  for (const doc of file.docs) {
    if (doc.hasErrors || doc.aliasLimitHit) return { problem: msg('order.sort.syntax') };
    const ctx = buildManifestContext(file, doc, undefined, opts);
    const r = sortContext(ctx);
    if ('problem' in r) return r;
    edits.push(...r.edits);
    moved += r.moved;
  }
  return { edits, moved };
}

/** Sorts the steps of one manifest document. */
export function sortContext(ctx: ManifestContext): SortResult {
  const chains = orderChains(ctx);
  const r = sortSteps(ctx.steps, chains);
  if ('cycle' in r) return { problem: msg('order.sort.cycle', { steps: r.cycle.slice(0, 8).map((s) => `\`${s.id}\``) }) };
  const moved = r.order.filter((x, i) => x !== i).length;
  if (!moved) return { edits: [], moved: 0 };
  const b = stepBlocks(ctx);
  if (!b) return { problem: msg('order.sort.flow') };
  return { edits: [reorderEdit(ctx, b, r.order)], moved };
}
