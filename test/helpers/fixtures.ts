/**
 * The fixture corpus (test/fixtures): every checked file there has a sidecar `<file>.expect` listing the
 * diagnostics it must produce, one per line: `<rule> <severity> <line>:<col>-<line>:<col>` (1-based, end exclusive,
 * like the CLI's text output). Blank lines and `#` lines in .expect files are ignored; an empty .expect
 * means the file must validate clean. A `<file>.fixed` sidecar holds the exact text after `--fix`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kindForPath } from '../../server/engine/lint';
import type { Diagnostic } from '../../server/engine/types';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

export function listFixtures(dir = FIXTURES): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFixtures(p));
    else if (kindForPath(e.name)) out.push(p);
  }
  return out.sort();
}

export const formatDiagnostic = (d: Diagnostic) =>
  `${d.rule} ${d.severity} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;

export function readExpect(file: string): string[] | undefined {
  const p = file + '.expect';
  if (!fs.existsSync(p)) return undefined;
  return fs
    .readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
