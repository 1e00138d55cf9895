/**
 * Step order as data. An order rule states what the guide asks as **chains**: steps that must appear in the plan
 * in non-decreasing rank (`publisher` 0 before `subscriber` 1; a `stop-service` 0 before its `upgrade` 1). From
 * the chains come three things that therefore cannot disagree:
 * - which steps are out of place: the fewest steps whose removal leaves every chain in order (the complement of
 *   the longest non-decreasing run, keeping the earlier steps where two choices are as good) — the step the user
 *   moved, not the ones it jumped over;
 * - the "Move `a` before/after `b`" fix of each (text edits that move the whole step with its comments);
 * - "Sort steps into the documented order": a stable topological sort over every chain of every rule, which keeps
 *   the user's order wherever the chains allow and says which steps form a cycle when nothing can satisfy them.
 */
import { msg, type Message } from './l10n/index';
import type { ManifestContext, StepInfo } from './manifest';
import type { Finding, LocalizedFix, Report } from './rule';
import type { Range, TextEdit } from './types';

/** Steps that must appear in non-decreasing `rank`. A step may appear with several ranks (a step on two roles). */
export interface OrderChain {
  items: { step: StepInfo; rank: number }[];
}

/** A chain from (step, rank) pairs, in any order (they are put in plan order here). */
export function chain(items: { step: StepInfo; rank: number }[]): OrderChain {
  return { items: [...items].sort((a, b) => a.step.index - b.step.index || a.rank - b.rank) };
}

/** `first` (each of them) before `then` (each of them). */
export function before(first: StepInfo | StepInfo[] | undefined, then: StepInfo | StepInfo[] | undefined): OrderChain {
  const a = first === undefined ? [] : Array.isArray(first) ? first : [first];
  const b = then === undefined ? [] : Array.isArray(then) ? then : [then];
  return chain([...a.map((step) => ({ step, rank: 0 })), ...b.map((step) => ({ step, rank: 1 }))]);
}

/**
 * "Some `candidate` before `targets`", as a chain the sort can keep without moving steps the guide says nothing
 * about: the candidates already written before the first target (a backup taken after the upgrade as well stays
 * where it is), or, when none is, the first candidate of the plan (the one the sort brings forward).
 */
export function someBefore(candidates: StepInfo[], targets: StepInfo[]): OrderChain {
  if (!candidates.length || !targets.length) return { items: [] };
  const first = Math.min(...targets.map((t) => t.index));
  const early = candidates.filter((c) => c.index < first);
  return before(early.length ? early : candidates.slice(0, 1), targets);
}

/** "Some `candidate` after `targets`": those written after the last target, else the plan's last candidate. */
export function someAfter(targets: StepInfo[], candidates: StepInfo[]): OrderChain {
  if (!candidates.length || !targets.length) return { items: [] };
  const last = Math.max(...targets.map((t) => t.index));
  const late = candidates.filter((c) => c.index > last);
  return before(targets, late.length ? late : candidates.slice(-1));
}

/** A chain of ranks: the steps of `groups[0]` before those of `groups[1]`, before those of `groups[2]`… */
export function ranked(groups: StepInfo[][]): OrderChain {
  return chain(groups.flatMap((g, rank) => g.map((step) => ({ step, rank }))));
}

export interface OutOfPlace {
  step: StepInfo;
  rank: number;
  /** The step in place that this one must come before (it is too late), or… */
  before?: StepInfo;
  /** …the step in place that it must come after (it is too early). */
  after?: StepInfo;
}

/**
 * The steps of a chain that are out of place: the complement of its longest non-decreasing subsequence, the earliest
 * such subsequence where there are several. O(n log n).
 */
export function outOfPlace(c: OrderChain): OutOfPlace[] {
  const items = c.items;
  const n = items.length;
  if (n < 2) return [];
  // Quick exit: already in order.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (items[i].rank < items[i - 1].rank) sorted = false;
  if (sorted) return [];
  // S[i]: the longest non-decreasing subsequence starting at i (a Fenwick tree of suffix maxima over the ranks).
  const ranks = [...new Set(items.map((x) => x.rank))].sort((a, b) => a - b);
  const pos = new Map(ranks.map((r, i) => [r, i]));
  const m = ranks.length;
  const tree = new Array<number>(m + 1).fill(0);
  // Index k in the tree stands for rank position m-1-k, so "rank ≥ r" is a prefix.
  const query = (k: number) => {
    let best = 0;
    for (let i = k + 1; i > 0; i -= i & -i) best = Math.max(best, tree[i]);
    return best;
  };
  const update = (k: number, v: number) => {
    for (let i = k + 1; i <= m; i += i & -i) tree[i] = Math.max(tree[i], v);
  };
  const S = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const k = m - 1 - (pos.get(items[i].rank) ?? 0);
    S[i] = 1 + query(k);
    update(k, S[i]);
  }
  let best = 0;
  for (const s of S) best = Math.max(best, s);
  const kept = new Array<boolean>(n).fill(false);
  let need = best;
  let minRank = -Infinity;
  for (let i = 0; i < n && need > 0; i++) {
    if (S[i] === need && items[i].rank >= minRank) {
      kept[i] = true;
      need--;
      minRank = items[i].rank;
    }
  }
  // A step is in place when every one of its entries is kept.
  const bad = new Set<StepInfo>();
  items.forEach((x, i) => !kept[i] && bad.add(x.step));
  const keptItems = items.filter((x, i) => kept[i] && !bad.has(x.step));
  const out: OutOfPlace[] = [];
  const seen = new Set<StepInfo>();
  items.forEach((x, i) => {
    if (kept[i] || seen.has(x.step)) return;
    seen.add(x.step);
    // Too late: a kept step before it has a higher rank; the first such is where it belongs.
    const over = keptItems.find((k) => k.step.index < x.step.index && k.rank > x.rank);
    if (over) {
      out.push({ step: x.step, rank: x.rank, before: over.step });
      return;
    }
    // Too early: a kept step after it has a lower rank; it belongs after the last such.
    let under: StepInfo | undefined;
    for (const k of keptItems) if (k.step.index > x.step.index && k.rank < x.rank) under = k.step;
    out.push({ step: x.step, rank: x.rank, ...(under ? { after: under } : {}) });
  });
  return out;
}

/** True when every chain is in order under `order` (step indices in their new order; all steps by default). */
export function chainsHold(chains: OrderChain[], order?: number[]): boolean {
  let at: Map<number, number> | undefined;
  if (order) at = new Map(order.map((idx, p) => [idx, p]));
  for (const c of chains) {
    const items = at ? [...c.items].sort((a, b) => (at.get(a.step.index) ?? 0) - (at.get(b.step.index) ?? 0) || a.rank - b.rank) : c.items;
    for (let i = 1; i < items.length; i++) if (items[i].rank < items[i - 1].rank) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Steps as blocks of text.

export interface StepBlocks {
  /** Offsets: block i (step i with the comment lines above it) is text[starts[i], starts[i+1]); the last ends at `end`. */
  starts: number[];
  end: number;
  /** Whether the last block ends with a line break. */
  endsWithBreak: boolean;
}

const BLOCKS = new WeakMap<ManifestContext, StepBlocks | null>();

/**
 * The steps as blocks of whole lines, each with the comment lines right above its `-` that are not indented more
 * than the `-` (a comment indented like the keys above belongs to the step before). Undefined when the steps are
 * written in flow style or two steps share a line.
 */
export function stepBlocks(ctx: ManifestContext): StepBlocks | undefined {
  const memo = BLOCKS.get(ctx);
  if (memo !== undefined) return memo ?? undefined;
  const found = computeBlocks(ctx);
  BLOCKS.set(ctx, found ?? null);
  return found;
}

function computeBlocks(ctx: ManifestContext): StepBlocks | undefined {
  const idx = ctx.file.index;
  const text = idx.text;
  if (!ctx.steps.length) return undefined;
  const starts: number[] = [];
  let prevLine = -1;
  for (const s of ctx.steps) {
    const pos = idx.positionAt(s.itemStart);
    const lineStart = idx.lineStarts[pos.line];
    const m = /^( *)-( +|$)/.exec(text.slice(lineStart, s.itemStart + 1));
    if (!m || pos.line <= prevLine) return undefined;
    const dash = m[1].length;
    let first = pos.line;
    while (first - 1 > prevLine) {
      const line = idx.lineText(first - 1);
      const c = /^( *)#/.exec(line);
      if (!c || c[1].length > dash) break;
      first--;
    }
    starts.push(idx.lineStarts[first]);
    const e = s.itemRange.end;
    prevLine = Math.max(pos.line, e.character === 0 && e.line > pos.line ? e.line - 1 : e.line);
  }
  // The last block: through the end of the last line of the last step (and its line break).
  const last = ctx.steps[ctx.steps.length - 1];
  const endPos = last.itemRange.end;
  const lastLine = endPos.character === 0 && endPos.line > 0 ? endPos.line - 1 : endPos.line;
  const end = idx.lineEndWithBreak(lastLine);
  for (let i = 1; i < starts.length; i++) if (starts[i] <= starts[i - 1]) return undefined;
  if (end <= starts[starts.length - 1]) return undefined;
  return { starts, end, endsWithBreak: end > idx.lineEnd(lastLine) };
}

const blockText = (ctx: ManifestContext, b: StepBlocks, i: number, eol: string): string => {
  const text = ctx.file.index.text;
  const t = text.slice(b.starts[i], i + 1 < b.starts.length ? b.starts[i + 1] : b.end);
  return i + 1 === b.starts.length && !b.endsWithBreak ? t + eol : t;
};

/** The edits that move `step` (with its comments) right before or right after `other`. Undefined in flow style. */
export function moveStepEdits(ctx: ManifestContext, step: StepInfo, where: { before: StepInfo } | { after: StepInfo }): TextEdit[] | undefined {
  const b = stepBlocks(ctx);
  if (!b) return undefined;
  const order = moveOrder(ctx.steps.length, step.index, where);
  return order ? [reorderEdit(ctx, b, order)] : undefined;
}

/** The step indices after moving `from` before or after another step. */
export function moveOrder(count: number, from: number, where: { before: StepInfo } | { after: StepInfo }): number[] | undefined {
  const target = 'before' in where ? where.before.index : where.after.index;
  if (target === from) return undefined;
  const rest = [...Array(count).keys()].filter((i) => i !== from);
  const at = rest.indexOf(target) + ('before' in where ? 0 : 1);
  rest.splice(at, 0, from);
  return rest;
}

/**
 * One edit that rewrites the blocks in `order`, from the first block that moves to the last: the text between
 * stays as it is, the blocks keep every line and comment.
 */
export function reorderEdit(ctx: ManifestContext, b: StepBlocks, order: number[]): TextEdit {
  const idx = ctx.file.index;
  const eol = idx.eol();
  let lo = 0;
  while (lo < order.length && order[lo] === lo) lo++;
  // Nothing moves: an empty edit where the steps start.
  if (lo === order.length) return { range: idx.range(b.starts[0], b.starts[0]), newText: '' };
  let hi = order.length - 1;
  while (hi > lo && order[hi] === hi) hi--;
  const startOff = b.starts[lo];
  const endOff = hi + 1 < b.starts.length ? b.starts[hi + 1] : b.end;
  let out = '';
  for (let p = lo; p <= hi; p++) out += blockText(ctx, b, order[p], eol);
  // The original end of the region had no line break (the file's last line): neither does the new one.
  if (hi + 1 === b.starts.length && !b.endsWithBreak) out = out.slice(0, -eol.length);
  const range: Range = idx.range(startOff, endOff);
  return { range, newText: out };
}

// ---------------------------------------------------------------------------------------------------------
// Stable topological sort.

export type SortOutcome = { order: number[] } | { cycle: StepInfo[] };

/**
 * An order of all steps in which every chain holds, keeping the plan's order wherever the chains allow: the steps in
 * plan order, each preceded by whatever of its prerequisites is not placed yet (a depth-first topological order),
 * or the earliest-free order when that one keeps more steps where they were.
 * Each rank boundary of a chain is one virtual node, so a chain of n steps costs O(n) edges, not O(n²).
 */
export function sortSteps(steps: StepInfo[], chains: OrderChain[]): SortOutcome {
  const n = steps.length;
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  const addNode = () => {
    succ.push([]);
    pred.push([]);
    return succ.length - 1;
  };
  const edge = (a: number, b: number) => {
    succ[a].push(b);
    pred[b].push(a);
  };
  for (const c of chains) {
    const groups = new Map<number, Set<number>>();
    for (const it of c.items) {
      const g = groups.get(it.rank) ?? new Set<number>();
      g.add(it.step.index);
      groups.set(it.rank, g);
    }
    const ranks = [...groups.keys()].sort((a, b) => a - b);
    for (let k = 1; k < ranks.length; k++) {
      const v = addNode();
      const lower = groups.get(ranks[k - 1]) ?? new Set<number>();
      for (const s of lower) edge(s, v);
      for (const s of groups.get(ranks[k]) ?? []) {
        if (!lower.has(s)) edge(v, s);
        // A step on both ranks comes after every other step of the lower one (no edge through v: that loops back).
        else for (const a of lower) if (a !== s) edge(a, s);
      }
    }
  }
  // Steps in the plan's order; a step whose prerequisites are not placed yet has them placed right before it (each
  // in plan order, recursively): the plan's order is kept except where a chain asks, and a step that nothing
  // constrains never jumps ahead of a blocked one. (Iterative: a chain of 25,000 steps must not overflow the stack.)
  for (const list of pred) list.sort((x, y) => (x >= n ? -1 : x) - (y >= n ? -1 : y));
  const state = new Uint8Array(succ.length); // 0 unplaced, 1 on the stack, 2 placed
  const order: number[] = [];
  let cycle: number[] | undefined;
  for (let start = 0; start < n && !cycle; start++) {
    if (state[start] === 2) continue;
    const stack: { x: number; i: number }[] = [{ x: start, i: 0 }];
    state[start] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const ps = pred[top.x];
      while (top.i < ps.length && state[ps[top.i]] === 2) top.i++;
      if (top.i < ps.length) {
        const p = ps[top.i];
        if (state[p] === 1) {
          // A prerequisite already on the stack: the steps from it to the top depend on each other.
          cycle = stack.slice(stack.findIndex((e) => e.x === p)).map((e) => e.x);
          break;
        }
        state[p] = 1;
        stack.push({ x: p, i: 0 });
        continue;
      }
      stack.pop();
      state[top.x] = 2;
      if (top.x < n) order.push(top.x);
    }
  }
  if (cycle) {
    const loop = new Set(cycle.filter((y) => y < n));
    return { cycle: steps.filter((s) => loop.has(s.index)) };
  }
  // The other stable order: always the earliest free step (Kahn's algorithm, the smallest topological order). It
  // brings a step moved up back down in one move where the order above pulls its prerequisites up around it; of
  // the two, the one that keeps more steps in their relative order wins (the order above on a tie).
  const other = earliestFree(n, succ, pred);
  return { order: other && kept(other) > kept(order) ? other : order };
}

// ---------------------------------------------------------------------------------------------------------
// Findings of order rules.

/** Move fixes made per manifest document. */
export const MAX_MOVE_FIXES = 50;
const MOVES_MADE = new WeakMap<ManifestContext, number>();

/** The "Move … before/after …" fix of an out-of-place step; `order` is the plan's step order after it. */
export function moveFix(ctx: ManifestContext, o: OutOfPlace): LocalizedFix | undefined {
  const where = o.before ? { before: o.before } : o.after ? { after: o.after } : undefined;
  if (!where) return undefined;
  // Each move rewrites the text between the two places: a plan with thousands of steps out of place gets the first
  // ones (and "Sort steps", which moves them all at once), not a copy of the file per problem.
  const made = MOVES_MADE.get(ctx) ?? 0;
  if (made >= MAX_MOVE_FIXES) return undefined;
  MOVES_MADE.set(ctx, made + 1);
  const b = stepBlocks(ctx);
  const order = moveOrder(ctx.steps.length, o.step.index, where);
  if (!b || !order) return undefined;
  const edits = [reorderEdit(ctx, b, order)];
  const other = (o.before ?? o.after) as StepInfo;
  return {
    title: msg(o.before ? 'order.fix.before' : 'order.fix.after', { step: o.step.id, other: other.id }),
    preferred: false,
    edits,
    order,
  };
}

/**
 * Reports each out-of-place step of `c` on its id, with related information on the step in place it must
 * precede or follow, and the move fix. `text` words the finding and the related place from the out-of-place
 * step and the other one (the other one is undefined when no step in place bounds it, which a chain cannot
 * produce but a caller's message may still handle).
 */
export function reportOutOfPlace(
  ctx: ManifestContext,
  report: Report,
  c: OrderChain,
  text: (o: OutOfPlace) => { message: Message; related?: Message; severity?: Finding['severity'] },
): OutOfPlace[] {
  const found = outOfPlace(c);
  for (const o of found) {
    const t = text(o);
    const other = o.before ?? o.after;
    const fix = moveFix(ctx, o);
    report({
      range: o.step.range,
      message: t.message,
      ...(t.severity ? { severity: t.severity } : {}),
      ...(other && t.related ? { related: [{ range: other.range, message: t.related }] } : {}),
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
  return found;
}

/** Kahn's algorithm, always taking the free node that comes first in the plan (virtual nodes as soon as free). */
function earliestFree(n: number, succ: number[][], pred: number[][]): number[] | undefined {
  const indeg = pred.map((p) => p.length);
  const heap: number[] = [];
  const key = (x: number) => (x >= n ? -1 : x);
  const push = (x: number) => {
    heap.push(x);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (key(heap[p]) <= key(heap[i])) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && key(heap[l]) < key(heap[m])) m = l;
        if (r < heap.length && key(heap[r]) < key(heap[m])) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (let i = 0; i < indeg.length; i++) if (indeg[i] === 0) push(i);
  const order: number[] = [];
  while (heap.length) {
    const x = pop();
    if (x < n) order.push(x);
    for (const y of succ[x]) if (--indeg[y] === 0) push(y);
  }
  return order.length === n ? order : undefined;
}

/** How many steps keep their relative order (the longest increasing run of original indices), O(n log n). */
function kept(order: number[]): number {
  const tails: number[] = [];
  for (const x of order) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}
