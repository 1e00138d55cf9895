/**
 * The files a CLI run validates. Each input is a file (always checked when its kind is known), a folder (searched)
 * or a quoted glob (expanded here, matched by picomatch); folders and globs skip `node_modules`, `.git`, what
 * `.gitignore` files and `ignorePatterns` name (unless `--no-ignore`), and files of kinds upgrade-lint does not
 * check. Symbolic links are followed inside the tree; a link that leaves it, loops or points nowhere is reported
 * once (never skipped silently). The order is stable: inputs as given, each one's files sorted by path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { CONFIG_FILE, globLimit, globMatches, globProblem, type LoadedConfig } from '../engine/config';
import { KINDS } from '../engine/kinds/index';
import { msg, render, type Message } from '../engine/l10n/index';
import { kindForPath, unreadableResult } from '../engine/lint';
import type { FileReport } from '../engine/sarif';
import type { FileKind, Locale, SeveritySetting } from '../engine/types';
import { readRegularFile, Roots } from '../node/files';
import type { ConfigCache } from '../node/host';
import { UsageError } from './args';
import { encodeUriPath } from './output';

export const shown = (p: string) => p.split(path.sep).join('/');

/** Folders nested deeper than this below an input are reported and not searched (no real tree is that deep). */
export const WALK_LIMITS = { depth: 100 };
/**
 * A `.gitignore` larger than this is not read (nothing is ignored by it), and only its first rules are used: each
 * rule is tried on every path, so a hostile file of 100,000 rules would take minutes (a real one has hundreds).
 */
const MAX_GITIGNORE_SIZE = 256 * 1024;
const MAX_GITIGNORE_RULES = 2000;

/**
 * Something a walk found but could not search or check, reported as a file of its own: a folder that cannot be
 * read (`code`), or a link that dangles, loops or leads to a folder outside the tree (`reason`).
 */
export interface Unchecked {
  path: string;
  code?: string;
  /** The kind its name gives, or `folder` (the default). */
  kind?: FileKind | 'folder';
  reason?: 'dangling' | 'loop' | 'folder-outside' | 'too-deep';
}

export interface CollectOptions {
  /** `--no-ignore`: neither `.gitignore` nor ignore patterns apply. */
  noIgnore?: boolean;
  /** `--ignore-pattern` globs, relative to the working folder. */
  ignorePatterns?: string[];
  /** Where each folder's `.upgrade-lint.json` is read from (its `ignorePatterns`); none read without it. */
  configs?: ConfigCache;
  /** What is inside the tree (a link to a folder outside it is not searched); by default as the CLI makes it. */
  roots?: Roots;
  cwd?: string;
}

export interface Collected {
  path: string;
  kind: FileKind;
}

/** The base folder and the pattern of an input that is a glob (not an existing path), else undefined. */
export function globOf(input: string): { base: string; glob: string } | undefined {
  const text = process.platform === 'win32' ? input.replace(/\\/g, '/') : input;
  const s = picomatch.scan(text);
  if (!s.isGlob || s.negated) return undefined;
  return { base: s.base || '.', glob: s.glob };
}

/** The folders the inputs name, for Roots: a glob stands for its base folder. */
export function inputRoots(inputs: string[]): string[] {
  return inputs.map((i) => (exists(i) ? i : (globOf(i)?.base ?? i)));
}

const exists = (p: string) => {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

const isLink = (p: string) => {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

/** `p` relative to `base` with `/` separators when `p` is below it, else undefined. */
function relUnder(base: string, p: string): string | undefined {
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  if (!p.startsWith(prefix)) return undefined;
  const rel = p.slice(prefix.length);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** Paths compared folder by folder (`a/b` before `a-c`), as a sorted walk lists them. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/'),
    y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

interface IgnoreLevel {
  base: string;
  ig: Ignore;
}
interface Pattern {
  base: string;
  glob: string;
  negated: boolean;
}
/** The real folders above a folder of a walk, as the walk reached it (links followed): a link to one is a loop. */
interface Chain {
  real: string;
  up?: Chain;
}
interface Dir {
  abs: string;
  /** The path as printed: the input as typed, joined with the names below it. */
  shown: string;
  /** Below the input, `/`-separated ('' for the input itself). */
  rel: string;
  depth: number;
  real: string;
  chain: Chain;
  levels: IgnoreLevel[];
  cfg?: LoadedConfig;
}
interface Walk {
  input: string;
  files: (Collected & { rel: string })[];
  unchecked: (Unchecked & { rel: string })[];
  /** Files of a known kind (matching the glob) left out because they are ignored. */
  ignored: number;
  /** Set for a glob: whether a path below the base matches, and how deep a match can be (no `**`). */
  match?: (rel: string) => boolean;
  maxDepth?: number;
  segments?: ((name: string) => boolean)[];
}
interface Deferred {
  walk: Walk;
  dir: Dir;
  name: string;
}

/**
 * Files to validate, in a stable order. Explicit files must be of a known kind. What cannot be searched or
 * checked (a folder that cannot be read, a link that dangles, loops or leaves the tree to a folder) is returned in
 * `unchecked` to be reported. A glob that matches nothing of a known kind, or whose matches are all ignored, is a
 * usage error, as is a named folder whose files are all ignored.
 */
export function collectFiles(inputs: string[], unchecked: Unchecked[] = [], opts: CollectOptions = {}): Collected[] {
  const cwd = opts.cwd ?? process.cwd();
  const roots = opts.roots ?? Roots.forCli(inputRoots(inputs), [], cwd);
  const noIgnore = !!opts.noIgnore;
  const cliPatterns: Pattern[] = [];
  for (const g of opts.ignorePatterns ?? []) {
    const negated = g.startsWith('!');
    const why = globProblem(negated ? g.slice(1) : g);
    if (why) throw new UsageError(why);
    cliPatterns.push({ base: cwd, glob: negated ? g.slice(1) : g, negated });
  }
  const configPatterns = new Map<LoadedConfig, Pattern[]>();
  const patternsOf = (cfg: LoadedConfig | undefined): Pattern[] => {
    if (!cfg?.path || !cfg.config.ignorePatterns.length) return [];
    let ps = configPatterns.get(cfg);
    if (!ps) {
      const base = path.dirname(cfg.path);
      ps = cfg.config.ignorePatterns.map((g) => ({ base, glob: g.replace(/^!/, ''), negated: g.startsWith('!') }));
      configPatterns.set(cfg, ps);
    }
    return ps;
  };
  const configFor = (dir: string) => opts.configs?.forFile(path.join(dir, CONFIG_FILE));

  // .gitignore files apply from the repository's top (the folder holding `.git`), or the working folder outside
  // a repository, down to each folder walked; `.git/info/exclude` too.
  const gitignoreAt = (dir: string): Ignore | undefined => {
    // A linked .gitignore is not followed (as git does not since 2.32).
    if (isLink(path.join(dir, '.gitignore'))) return undefined;
    const r = readRegularFile(path.join(dir, '.gitignore'), MAX_GITIGNORE_SIZE);
    return 'bytes' in r && !r.truncated ? ignoreFrom(r.bytes.toString('utf8')) : undefined;
  };
  const ignoreFrom = (text: string): Ignore | undefined => {
    const rules = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
    try {
      return ignore({ ignorecase: process.platform === 'win32' || process.platform === 'darwin' }).add(rules.slice(0, MAX_GITIGNORE_RULES));
    } catch {
      return undefined;
    }
  };
  const levelCache = new Map<string, IgnoreLevel[]>();
  const levelsAbove = (dir: string): IgnoreLevel[] => {
    if (noIgnore) return [];
    let top: string | undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      if (exists(path.join(d, '.git'))) {
        top = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    top ??= relUnder(cwd, dir) !== undefined || dir === cwd ? cwd : dir;
    const chain: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      chain.unshift(d);
      if (d === top || path.dirname(d) === d) break;
    }
    let levels: IgnoreLevel[] = [];
    for (const d of chain) {
      const cached = levelCache.get(d);
      if (cached) {
        levels = cached;
        continue;
      }
      const own: IgnoreLevel[] = [];
      if (d === top) {
        const r = readRegularFile(path.join(d, '.git', 'info', 'exclude'), MAX_GITIGNORE_SIZE);
        const ig = 'bytes' in r && !r.truncated ? ignoreFrom(r.bytes.toString('utf8')) : undefined;
        if (ig) own.push({ base: d, ig });
      }
      const ig = gitignoreAt(d);
      if (ig) own.push({ base: d, ig });
      levels = own.length ? [...levels, ...own] : levels;
      levelCache.set(d, levels);
    }
    return levels;
  };

  /** Whether `p` (in a folder with these rules) is ignored: the deepest `.gitignore` decides, then the patterns. */
  const isIgnored = (p: string, isDir: boolean, levels: IgnoreLevel[], cfg: LoadedConfig | undefined): boolean => {
    if (noIgnore) return false;
    let ignored = false;
    for (const l of levels) {
      const rel = relUnder(l.base, p);
      if (!rel) continue;
      let r: { ignored: boolean; unignored: boolean };
      try {
        r = l.ig.test(isDir ? rel + '/' : rel);
      } catch {
        continue; // a name the ignore package refuses as a path (`...`): no rule decides it
      }
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    for (const patterns of [patternsOf(cfg), cliPatterns])
      for (const pat of patterns) {
        const rel = relUnder(pat.base, p);
        if (rel && globMatches(pat.glob, rel)) ignored = !pat.negated;
      }
    return ignored;
  };

  const walks: Walk[] = [];
  const deferred: Deferred[] = [];
  /** Real paths of the folders searched and of the files found, so that a link to one is not followed again. */
  const searched = new Set<string>();
  const found = new Set<string>();

  /** A folder named (or a glob's base) to search: undefined, and counted as ignored, when it is itself ignored. */
  const startDir = (abs: string, shownPath: string, walk: Walk): Dir | undefined => {
    const levels = levelsAbove(abs);
    const cfg = configFor(abs);
    if (
      isIgnored(
        abs,
        true,
        levels.filter((l) => l.base !== abs),
        cfg,
      )
    ) {
      walk.ignored++;
      return undefined;
    }
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch {
      real = abs;
    }
    return { abs, shown: shownPath, rel: '', depth: 0, real, chain: { real }, levels, cfg };
  };

  /** Searches `start` and the real folders below it; links are left in `deferred` (followed after every input's walk). */
  const search = (start: Dir, walk: Walk) => {
    const stack: Dir[] = [start];
    while (stack.length) {
      const dir = stack.pop()!;
      searched.add(dir.real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir.abs, { withFileTypes: true });
      } catch (e) {
        walk.unchecked.push({ path: dir.shown, code: (e as NodeJS.ErrnoException).code, kind: 'folder', rel: dir.rel });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      let levels = dir.levels;
      let cfg = dir.cfg;
      if (dir.depth > 0) {
        if (!noIgnore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
          const ig = gitignoreAt(dir.abs);
          if (ig) levels = [...levels, { base: dir.abs, ig }];
        }
        if (opts.configs && entries.some((e) => e.name === CONFIG_FILE)) cfg = configFor(dir.abs);
      }
      const inner = { ...dir, levels, cfg };
      const subdirs: Dir[] = [];
      for (const e of entries) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        if (e.isSymbolicLink()) {
          deferred.push({ walk, dir: inner, name: e.name });
          continue;
        }
        const p = path.join(dir.abs, e.name);
        if (e.isDirectory()) {
          const sub = enter(inner, walk, e.name, p, dir.real + path.sep + e.name);
          if (sub) subdirs.push(sub);
        } else addFound(inner, walk, e.name, p, dir.real + path.sep + e.name);
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  };

  /** The folder `name` of `dir` as a folder to search, or undefined when it is skipped (or reported). */
  const enter = (dir: Dir, walk: Walk, name: string, p: string, real: string): Dir | undefined => {
    const depth = dir.depth + 1;
    const rel = dir.rel ? dir.rel + '/' + name : name;
    if (walk.maxDepth !== undefined && depth >= walk.maxDepth) return undefined;
    if (walk.segments && !walk.segments[depth - 1]?.(name)) return undefined;
    if (isIgnored(p, true, dir.levels, dir.cfg)) return undefined;
    const shownPath = path.join(dir.shown, name);
    if (depth > WALK_LIMITS.depth) {
      walk.unchecked.push({ path: shownPath, kind: 'folder', reason: 'too-deep', rel });
      return undefined;
    }
    return { abs: p, shown: shownPath, rel, depth, real, chain: { real, up: dir.chain }, levels: dir.levels, cfg: dir.cfg };
  };

  /** A file the walk came to: kept when its kind is known, the glob matches and it is not ignored. */
  const wanted = (dir: Dir, walk: Walk, name: string, p: string): { kind: FileKind; rel: string } | undefined => {
    const kind = kindForPath(name);
    if (!kind) return undefined;
    const rel = dir.rel ? dir.rel + '/' + name : name;
    if (walk.match && !walk.match(rel)) return undefined;
    if (isIgnored(p, false, dir.levels, dir.cfg)) {
      walk.ignored++;
      return undefined;
    }
    return { kind, rel };
  };
  const addFound = (dir: Dir, walk: Walk, name: string, p: string, real: string | undefined) => {
    const w = wanted(dir, walk, name, p);
    if (!w) return;
    if (real) found.add(real);
    walk.files.push({ path: path.join(dir.shown, name), kind: w.kind, rel: w.rel });
  };

  /** A link met in a walk: followed inside the tree, reported when it dangles, loops or leads out to a folder. */
  const follow = ({ walk, dir, name }: Deferred) => {
    const p = path.join(dir.abs, name);
    const shownPath = path.join(dir.shown, name);
    const rel = dir.rel ? dir.rel + '/' + name : name;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const w = wanted(dir, walk, name, p);
      if (!w) return;
      if (code === 'ENOENT' || code === 'ENOTDIR') walk.unchecked.push({ path: shownPath, kind: w.kind, reason: 'dangling', rel });
      else if (code === 'ELOOP') walk.unchecked.push({ path: shownPath, kind: w.kind, reason: 'loop', rel });
      else walk.files.push({ path: shownPath, kind: w.kind, rel }); // read (and reported) as the file it is
      return;
    }
    if (!st.isDirectory()) {
      const w = wanted(dir, walk, name, p);
      if (!w) return;
      if (roots.where(p) === 'inside') {
        const real = fs.realpathSync.native(p);
        if (found.has(real)) return; // checked already, under its own name
        found.add(real);
      }
      // A link out of the tree is kept: the run reports it (file/unreadable) and never reads it.
      walk.files.push({ path: shownPath, kind: w.kind, rel });
      return;
    }
    if (walk.maxDepth !== undefined && dir.depth + 1 >= walk.maxDepth) return;
    if (walk.segments && !walk.segments[dir.depth]?.(name)) return;
    if (isIgnored(p, true, dir.levels, dir.cfg)) return;
    if (roots.where(p) !== 'inside') {
      walk.unchecked.push({ path: shownPath, kind: 'folder', reason: 'folder-outside', rel });
      return;
    }
    const real = fs.realpathSync.native(p);
    // A loop: the link leads to a folder the walk came through, or to one that holds the link (an ancestor).
    let loop = relUnder(real, dir.real) !== undefined || real === dir.real;
    for (let c: Chain | undefined = dir.chain; c && !loop; c = c.up) loop = c.real === real;
    if (loop) {
      walk.unchecked.push({ path: shownPath, kind: 'folder', reason: 'loop', rel });
      return;
    }
    if (searched.has(real)) return; // searched already, under its own name
    const sub = enter(dir, walk, name, p, real);
    if (sub) search(sub, walk);
  };

  const explicitSeen = new Set<string>();
  for (const input of inputs) {
    const walk: Walk = { input, files: [], unchecked: [], ignored: 0 };
    walks.push(walk);
    let st: fs.Stats | undefined;
    let lst: fs.Stats | undefined;
    try {
      lst = fs.lstatSync(input);
      st = fs.statSync(input);
    } catch (e) {
      if (lst) {
        // A link named on the command line that leads nowhere, or around in a loop.
        const kind = kindForPath(input);
        if (!kind) throw new UsageError(msg('cli.error.notChecked', { path: input, patterns: KINDS.flatMap((x) => x.patterns).join(', ') }));
        const code = (e as NodeJS.ErrnoException).code;
        walk.unchecked.push({ path: input, kind, reason: code === 'ELOOP' ? 'loop' : 'dangling', rel: '' });
        continue;
      }
    }
    if (st?.isDirectory()) {
      const start = startDir(path.resolve(cwd, input), input, walk);
      if (start) search(start, walk);
      continue;
    }
    if (st) {
      const k = kindForPath(input);
      if (!k) throw new UsageError(msg('cli.error.notChecked', { path: input, patterns: KINDS.flatMap((x) => x.patterns).join(', ') }));
      // A file named is checked even when ignored: naming it is asking for it.
      walk.files.push({ path: input, kind: k, rel: '' });
      try {
        explicitSeen.add(fs.realpathSync.native(input));
      } catch {
        /* read (and reported) as it is */
      }
      continue;
    }
    const g = globOf(input);
    if (!g) throw new UsageError(msg('cli.error.noSuchFile', { path: input }));
    const limit = globLimit(g.glob, input.length);
    if (limit) {
      const why =
        limit === 'syntax'
          ? msg('cli.error.globLimit.syntax')
          : limit.limit === 'length'
            ? msg('cli.error.globLimit.length', { max: limit.max })
            : limit.limit === 'globstars'
              ? msg('cli.error.globLimit.globstars', { max: limit.max })
              : limit.limit === 'starsPerSegment'
                ? msg('cli.error.globLimit.stars', { max: limit.max })
                : msg('cli.error.globLimit.groups', { max: limit.max });
      throw new UsageError(msg('cli.error.globLimit', { pattern: input, why }));
    }
    const isMatch = picomatch(g.glob, { dot: false });
    walk.match = (rel) => isMatch(rel);
    if (!/\*\*|[{(]/.test(g.glob)) {
      const parts = g.glob.split('/');
      walk.maxDepth = parts.length;
      walk.segments = parts.map((s) => picomatch(s, { dot: false }));
    }
    let baseSt: fs.Stats | undefined;
    try {
      baseSt = fs.statSync(path.resolve(cwd, g.base));
    } catch {
      baseSt = undefined;
    }
    if (baseSt?.isDirectory()) {
      const start = startDir(path.resolve(cwd, g.base), g.base === '.' ? '' : g.base, walk);
      if (start) search(start, walk);
    }
  }
  for (const real of explicitSeen) found.add(real);
  // Links last, once every real folder has been searched: one to a folder searched already adds nothing.
  for (let i = 0; i < deferred.length; i++) follow(deferred[i]);

  const out: Collected[] = [];
  const seen = new Set<string>();
  for (const walk of walks) {
    const g = walk.match !== undefined;
    if (!walk.files.length && !walk.unchecked.length && (g || walk.ignored)) {
      if (walk.ignored) throw new UsageError(msg('cli.error.allIgnored', { pattern: walk.input }));
      throw new UsageError(msg('cli.error.noMatch', { pattern: walk.input, patterns: KINDS.flatMap((x) => x.patterns).join(', ') }));
    }
    walk.files.sort((a, b) => comparePaths(a.rel, b.rel));
    walk.unchecked.sort((a, b) => comparePaths(a.rel, b.rel));
    for (const f of walk.files) {
      const abs = path.resolve(cwd, f.path);
      if (!seen.has(abs)) {
        seen.add(abs);
        out.push({ path: f.path, kind: f.kind });
      }
    }
    for (const u of walk.unchecked) unchecked.push({ path: u.path, code: u.code, kind: u.kind, reason: u.reason });
  }
  return out;
}

const WHY: Record<NonNullable<Unchecked['reason']>, Message> = {
  dangling: msg('file/unreadable.dangling'),
  loop: msg('file/unreadable.loop'),
  'folder-outside': msg('file/unreadable.folderOutside'),
  'too-deep': msg('file/unreadable.tooDeep', { max: WALK_LIMITS.depth }),
};

/** The report of something a walk could not search or check: one `file/unreadable` saying why. */
export function uncheckedReport(u: Unchecked, opts: { locale: Locale; rules?: Record<string, SeveritySetting> }): FileReport {
  const rel = shown(path.relative(process.cwd(), u.path)) || '.';
  const kind = u.kind ?? 'folder';
  const settings = { locale: opts.locale, rules: opts.rules };
  const diagnostics = u.reason
    ? unreadableResult(kind === 'folder' ? 'acns-meta' : kind, { reason: 'error' }, settings).diagnostics.map((d) => ({
        ...d,
        message: render(msg('file/unreadable.message', { why: WHY[u.reason!] }), opts.locale),
      }))
    : unreadableResult(
        'acns-meta',
        { reason: u.code === 'EACCES' || u.code === 'EPERM' ? 'denied' : u.code === 'ENOENT' ? 'missing' : 'error', code: u.code },
        settings,
      ).diagnostics;
  return { path: kind === 'folder' ? rel : shown(u.path), uri: encodeUriPath(rel), kind, diagnostics };
}
