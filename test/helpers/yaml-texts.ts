/** Manifest texts for the YAML parsing tests: every fixture and example, and generated manifests in several styles. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, listFixtures } from './fixtures';

const EXAMPLES = path.resolve(FIXTURES, '..', '..', 'examples');

export function manifests(): string[] {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(d, e.name)] : []));
  return [...listFixtures().filter((f) => /\.ya?ml$/.test(f)), ...walk(EXAMPLES)].map((f) => fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
}

/** A manifest written in several styles at once: compact and indented sequences, comments, block scalars, two documents. */
export function generated(n: number, r: () => number): string {
  const out = ['# generated', 'manifestVersion: 1', 'product: acns', 'from: 5.1.0', 'to: 5.1.3', '', 'nodes:'];
  const compact = r() < 0.5;
  const ind = compact ? '' : '  ';
  for (let i = 0; i < n; i++) {
    out.push(`${ind}- name: ce-${i}`, `${ind}  role: content-engine`);
    if (r() < 0.2) out.push(`# about ce-${i}`);
    if (r() < 0.1) out.push('', `${ind}  # deeper comment`);
  }
  out.push('steps:');
  for (let i = 0; i < n; i++) {
    out.push(`${ind}- id: s${i}`, `${ind}  action: upgrade`, `${ind}  node: ce-${i}`);
    if (r() < 0.15) out.push(`${ind}  note: |`, `${ind}    line one of ${i}`, '', `${ind}    line two`);
    if (r() < 0.1) out.push(`${ind}  nodes: [ce-1, ce-2]`);
    if (r() < 0.1) out.push(`${ind}  tags:`, `${ind}    - a`, `${ind}    - b: 1`);
  }
  if (r() < 0.3) out.push('---', 'manifestVersion: 1', 'product: cupm', 'steps:', '  - id: x', '    action: backup');
  return out.join('\n') + '\n';
}
