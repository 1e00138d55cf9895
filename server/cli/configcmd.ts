/**
 * The two configuration commands of the CLI: `--print-config <file>` (what is in force for a file, as JSON) and
 * `--init` (a commented starter `.upgrade-lint.json` in the working folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, imagePathsOf, rulesForFile } from '../engine/config';
import { KINDS } from '../engine/kinds/index';
import { kindForPath, severityFor } from '../engine/lint';
import { msg, render, type Message, type MessageKey } from '../engine/l10n/index';
import { allRules } from '../engine/rules/index';
import type { Locale, SeveritySetting } from '../engine/types';
import { Roots } from '../node/files';
import { ConfigCache } from '../node/host';
import type { CliOptions } from './args';
import { shown } from './collect';

/** A path as reports show it: relative to the working folder, `/`-separated (`.` for the folder itself). */
const rel = (abs: string, cwd: string) => shown(path.relative(cwd, abs)) || '.';

/**
 * The configuration in force for `file` (which need not exist: like ESLint, everything is computed from its
 * path): every rule that can report on a file of its kind with its severity after the configuration file, its
 * overrides and --rule, and the settings. `error` when the path is not of a kind upgrade-lint checks.
 */
export function effectiveConfig(o: CliOptions, file: string, cwd = process.cwd()): { json: string } | { error: Message } {
  const kind = kindForPath(file);
  if (!kind) return { error: msg('cli.error.notChecked', { path: file, patterns: KINDS.flatMap((x) => x.patterns).join(', ') }) };
  const abs = path.resolve(cwd, file);
  const roots = Roots.forCli([abs], o.allowPaths, cwd);
  const loaded = new ConfigCache(roots, o.locale).forFile(abs);
  // As the CLI lints the file: the configuration's rules and matching overrides, then --rule.
  const settings: Record<string, SeveritySetting> = { ...rulesForFile(loaded, abs), ...o.rules };
  const rules: Record<string, SeveritySetting> = {};
  for (const r of [...allRules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    if ((r.kind === kind || r.kind === 'any') && r.id !== 'config/invalid') rules[r.id] = severityFor(r.id, settings) ?? r.severity;
  const out = {
    file: shown(file),
    kind,
    configFile: loaded.path ? rel(loaded.path, cwd) : null,
    locale: o.locale,
    rules,
    imageSearchPaths: imagePathsOf(loaded).map((p) => rel(p, cwd)),
    ignorePatterns: loaded.config.ignorePatterns,
    /** Minutes per step action for the runbook's estimates. */
    defaultDurations: loaded.config.defaultDurations ?? {},
    /** What is wrong in the configuration file (the parts that are valid apply, as printed). */
    configProblems: loaded.problems,
  };
  return { json: JSON.stringify(out, null, 2) + '\n' };
}

/** The comment groups of the starter (one catalog entry each: the file is written in the run's language). */
type StarterComment = Extract<MessageKey, `cli.init.${'header' | 'rules' | 'overrides' | 'ignorePatterns' | 'imageSearchPaths' | 'defaultDurations'}`>;

/** The starter `.upgrade-lint.json` (JSON with comments) in `locale`: every key present, empty, and explained. */
export function starterConfig(locale: Locale): string {
  const comment = (key: StarterComment, indent: string) =>
    render(msg(key), locale)
      .split('\n')
      .map((l) => `${indent}// ${l}`.trimEnd())
      .join('\n');
  // The commented-out entries are examples of the syntax (code, not prose): uncomment and edit them.
  return [
    comment('cli.init.header', ''),
    '{',
    comment('cli.init.rules', '  '),
    '  "rules": {',
    '    // "meta/key-case": "warning"',
    '  },',
    comment('cli.init.overrides', '  '),
    '  "overrides": [',
    '    // { "files": ["lab/**"], "rules": { "meta/*": "warning" } }',
    '  ],',
    comment('cli.init.ignorePatterns', '  '),
    '  "ignorePatterns": [',
    '    // "archive/**"',
    '  ],',
    comment('cli.init.imageSearchPaths', '  '),
    '  "imageSearchPaths": [',
    '    // "images"',
    '  ],',
    comment('cli.init.defaultDurations', '  '),
    '  "defaultDurations": {',
    '    // "upgrade": "1h30m"',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Writes the starter into `dir`; never over an existing file (or a link: the file is created exclusively).
 * Returns what to say and the exit code.
 */
export function writeStarter(dir: string, locale: Locale): { code: 0 | 2; say: Message } {
  const file = path.join(dir, CONFIG_FILE);
  try {
    fs.writeFileSync(file, starterConfig(locale), { flag: 'wx', mode: 0o644 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      code: 2,
      say: code === 'EEXIST' ? msg('cli.error.initExists', { path: CONFIG_FILE }) : msg('cli.error.initWrite', { path: CONFIG_FILE, code: code ?? 'error' }),
    };
  }
  return { code: 0, say: msg('cli.init.written', { path: CONFIG_FILE }) };
}
