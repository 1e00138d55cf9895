/**
 * Shared by the planner and sort tests: a seeded random source, the valid plans of the repository (the blind
 * corpus and the examples, whose `.expect` lists no error and no warning), a step shuffle and the lint of a text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/engine/lint';
import { buildManifestContext, type ManifestContext } from '../../server/engine/manifest';
import { reorderEdit, stepBlocks } from '../../server/engine/order';
import { loadYaml } from '../../server/engine/parse/yaml';
import { applyEdits } from '../../server/engine/text';
import type { Diagnostic, LintOptions } from '../../server/engine/types';
import { confinedFs, Roots } from '../../server/node/files';

export const ROOT = path.resolve(__dirname, '../../..');

/** mulberry32: the same draws for the same seed, so a failure prints a seed that reproduces it. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const shuffled = <T>(xs: T[], rand: () => number): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

/** Errors and warnings: what a valid plan must not have. */
export const problems = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error' || d.severity === 'warning');
export const show = (ds: Diagnostic[]) => ds.map((d) => `${d.rule}@${d.range.start.line + 1}: ${d.message}`).join('\n');

export function lintManifest(text: string, file?: string, opts: LintOptions = {}): Diagnostic[] {
  return lint({ text, kind: 'upgrade-manifest', path: file }, { ...(file ? { fs: confinedFs(Roots.forCli([file])) } : {}), ...opts }).diagnostics;
}

/** Every manifest of the corpus and the examples that lints without errors and warnings (by product). */
export function validPlans(): { file: string; text: string; product: string }[] {
  const out: { file: string; text: string; product: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'broken') walk(p);
      } else if (/\.upgrade\.ya?ml$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        if (problems(lintManifest(text, p)).length) continue;
        const product = /^product:\s*(\S+)/m.exec(text)?.[1] ?? '';
        out.push({ file: p, text, product });
      }
    }
  };
  walk(path.join(ROOT, 'test/fixtures/corpus'));
  walk(path.join(ROOT, 'examples'));
  return out;
}

/** The manifest context of a one-document text (for tests that look at steps). */
export function context(text: string): ManifestContext {
  const file = loadYaml(text, 1000);
  return buildManifestContext(file, file.docs[0], undefined, {});
}

/** The text with step `id` moved right before step `target` (or to the end): whole blocks, as a user's cut and paste. */
export function moveBefore(text: string, id: string, target: string | undefined): string {
  const ctx = context(text);
  const b = stepBlocks(ctx)!;
  const ids = ctx.steps.map((s) => s.id);
  const rest = ids.filter((x) => x !== id);
  rest.splice(target === undefined ? rest.length : rest.indexOf(target), 0, id);
  return applyEdits(text, [
    reorderEdit(
      ctx,
      b,
      rest.map((x) => ids.indexOf(x)),
    ),
  ]);
}

/** The 0-based line that is exactly `needle`. */
export const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l === needle);

/**
 * A valid plan with extra checks and backups where the guide says nothing against them — a verify first and last,
 * the first backup taken again at the end — still lints clean and is left exactly as it is by "Sort steps": the
 * order rules ask for what their checks read, not for every step of a kind.
 */
export function withExtras(text: string): string | undefined {
  const ctx = context(text);
  const b = stepBlocks(ctx);
  if (!b || !ctx.steps.length || !ctx.nodes.length) return undefined;
  const idx = ctx.file.index;
  const eol = idx.eol();
  const firstLine = idx.lineText(idx.positionAt(ctx.steps[0].itemStart).line);
  const indent = /^( *)-/.exec(firstLine)?.[1] ?? '  ';
  const flow = /^ *- \{/.test(firstLine);
  const node = ctx.nodes[0].name;
  const step = (id: string) =>
    flow
      ? `${indent}- { id: ${id}, action: verify, node: ${node} }${eol}`
      : `${indent}- id: ${id}${eol}${indent}  action: verify${eol}${indent}  node: ${node}${eol}`;
  const backup = ctx.steps.find((s) => s.action === 'backup');
  let again = '';
  if (backup) {
    const i = backup.index;
    const blockText = idx.text.slice(b.starts[i], i + 1 < b.starts.length ? b.starts[i + 1] : b.end);
    again = blockText.replace(/^\s*#.*\r?\n/gm, '').replace(new RegExp(`id: ${backup.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`), `id: ${backup.id}-again`);
    if (!again.endsWith('\n')) again += eol;
  }
  const tail = idx.text.slice(b.end);
  const head = idx.text.slice(0, b.starts[0]);
  let body = idx.text.slice(b.starts[0], b.end);
  if (!b.endsWithBreak) body += eol;
  return head + step('extra-check-first') + body + again + step('extra-check-last') + tail;
}
