/** The command line of `upgrade-lint`: options, their checks, and the mistakes reported with the usage (exit 2). */
import { SEVERITY_SETTINGS } from '../engine/config';
import { LOCALES, msg, type Message } from '../engine/l10n/index';
import { ruleMeta } from '../engine/rules/index';
import type { Locale, SeveritySetting } from '../engine/types';
import type { NewOptions } from './newcmd';

/**
 * The language the environment asks for, as `gettext` reads it: the first of LC_ALL, LC_MESSAGES and LANG that is
 * set and not empty (`ja_JP.UTF-8` → ja); English for anything else, `C` and `POSIX` included.
 */
export function envLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const v = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((x) => x !== undefined && x !== '') ?? '';
  return (LOCALES.find((l) => v === l || v.startsWith(l + '_') || v.startsWith(l + '-') || v.startsWith(l + '.')) ?? 'en') as Locale;
}

/** The language of what the CLI prints before its options are read: `--locale <l>` anywhere on the line, else the environment's. */
export const earlyLocale = (argv: string[], env: NodeJS.ProcessEnv = process.env): Locale => {
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const v = argv[i].startsWith('--locale=') ? argv[i].slice(9) : argv[i] === '--locale' ? argv[i + 1] : undefined;
    if (v !== undefined && LOCALES.includes(v as Locale)) return v as Locale;
  }
  return envLocale(env);
};

export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type Format = (typeof FORMATS)[number];
export const RUNBOOK_FORMATS = ['html', 'md'] as const;
export type RunbookFormat = (typeof RUNBOOK_FORMATS)[number];

/** A mistake on the command line: said in the user's language, with the usage (exit 2). */
export class UsageError extends Error {
  constructor(readonly why: Message) {
    super(why.key);
  }
}

export interface CliOptions {
  format: Format;
  fix: boolean;
  rules: Record<string, SeveritySetting>;
  locale: Locale;
  maxWarnings?: number;
  remoteChecks: boolean;
  allowPaths: string[];
  /** Files, folders and globs; `-` is standard input (then `stdinFilename` names it). */
  inputs: string[];
  /** `--quiet`: errors only. */
  quiet: boolean;
  /** `-o/--output-file`: the report goes to this file. */
  outputFile?: string;
  /** `--color`/`--no-color`; undefined: when stdout is a terminal and NO_COLOR is not set. */
  color?: boolean;
  stdinFilename?: string;
  /** `--no-ignore`: .gitignore and ignorePatterns are not applied. */
  noIgnore: boolean;
  ignorePatterns: string[];
  /** `--docs-url`: the base address of the rule pages reports link to. */
  docsUrl?: string;
  /** `--jobs`: files linted in parallel; undefined: one per core. */
  jobs?: number;
  /** `--print-config <file>`: print the effective configuration for the file and exit. */
  printConfig?: string;
  /** `--init`: write a starter .upgrade-lint.json in the working folder and exit. */
  init: boolean;
  /** `--runbook html|md`: instead of the report, the runbook of each manifest linted (to stdout or the -o file). */
  runbook?: RunbookFormat;
  /**
   * `--new` (or `new` as the first argument followed by planner options): write the planner's manifest instead of
   * linting. A path named `new` without planner options is still linted: `new` is no reserved word for files.
   */
  plan?: NewOptions;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | 'help' | 'version' {
  const o: CliOptions = {
    format: 'text',
    fix: false,
    rules: {},
    locale: envLocale(env),
    remoteChecks: false,
    allowPaths: [],
    inputs: [],
    quiet: false,
    noIgnore: false,
    ignorePatterns: [],
    init: false,
  };
  let endOfOptions = false;
  let wantsNew = false;
  /** The first file argument is the word `new` (before any `--`). */
  let newWord = false;
  /** The planner options given, and the first one (for the message when --new is missing). */
  const plan: NewOptions = { nodes: [], set: [] };
  let planOption: string | undefined;
  const planOpt = (name: string) => (planOption ??= name);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (endOfOptions) {
      o.inputs.push(a);
      continue;
    }
    if (a === '--') {
      endOfOptions = true;
      continue;
    }
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(msg('cli.error.needsValue', { option: a }));
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '--fix':
        o.fix = true;
        break;
      case '--remote-checks':
        o.remoteChecks = true;
        break;
      case '--allow-path':
        o.allowPaths.push(value());
        break;
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(msg('cli.error.format', { value: v }));
        o.format = v as Format;
        break;
      }
      case '--quiet':
        o.quiet = true;
        break;
      case '-o':
      case '--output-file':
        o.outputFile = value();
        break;
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--stdin-filename':
        o.stdinFilename = value();
        break;
      case '--no-ignore':
        o.noIgnore = true;
        break;
      case '--ignore-pattern':
        o.ignorePatterns.push(value());
        break;
      case '--docs-url': {
        const v = value();
        if (!/^https?:\/\/[^\s/]+/i.test(v)) throw new UsageError(msg('cli.error.docsUrl', { value: v }));
        o.docsUrl = v;
        break;
      }
      case '--runbook': {
        const v = value();
        if (!(RUNBOOK_FORMATS as readonly string[]).includes(v)) throw new UsageError(msg('cli.error.runbook', { value: v }));
        o.runbook = v as RunbookFormat;
        break;
      }
      case '--jobs': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) throw new UsageError(msg('cli.error.jobs', { value: v }));
        o.jobs = Number(v);
        break;
      }
      case '--print-config':
        o.printConfig = value();
        break;
      case '--init':
        o.init = true;
        break;
      case '--new':
        wantsNew = true;
        break;
      case '--product':
        plan.product = value();
        planOpt(a);
        break;
      case '--from':
        plan.from = value();
        planOpt(a);
        break;
      case '--to':
        plan.to = value();
        planOpt(a);
        break;
      case '--node':
        plan.nodes.push(value());
        planOpt(a);
        break;
      case '--set':
        plan.set.push(value());
        planOpt(a);
        break;
      case '--title':
        plan.title = value();
        planOpt(a);
        break;
      case '--window':
        plan.window = value();
        planOpt(a);
        break;
      case '--locale': {
        const v = value();
        if (!LOCALES.includes(v as Locale)) throw new UsageError(msg('cli.error.locale', { value: v }));
        o.locale = v as Locale;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(msg('cli.error.maxWarnings', { value: v }));
        o.maxWarnings = Number(v);
        break;
      }
      case '--rule': {
        const v = value();
        const m = /^([^=]+)=(.+)$/.exec(v);
        if (!m) throw new UsageError(msg('cli.error.rule', { value: v }));
        const [, id, sev] = m;
        if (!ruleMeta(id) && !/^[a-z]+\/\*$/.test(id)) throw new UsageError(msg('cli.error.ruleId', { id }));
        if (!SEVERITY_SETTINGS.includes(sev as SeveritySetting))
          throw new UsageError(msg('cli.error.severity', { allowed: SEVERITY_SETTINGS.join(', '), value: sev }));
        o.rules[id] = sev as SeveritySetting;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(msg('cli.error.option', { option: a }));
        if (!o.inputs.length && argv[i] === 'new') newWord = true;
        o.inputs.push(argv[i]);
    }
  }
  // `upgrade-lint new --product …`: the subcommand form, recognised only with planner options after it.
  if (!wantsNew && planOption !== undefined && newWord) {
    wantsNew = true;
    o.inputs.shift();
  }
  if (wantsNew) {
    const other = o.inputs.length
      ? o.inputs[0]
      : o.fix
        ? '--fix'
        : o.runbook
          ? '--runbook'
          : o.format !== 'text'
            ? '--format'
            : o.stdinFilename !== undefined
              ? '--stdin-filename'
              : o.printConfig !== undefined
                ? '--print-config'
                : o.init
                  ? '--init'
                  : undefined;
    if (other !== undefined) throw new UsageError(msg('cli.new.only', { option: other }));
    o.plan = plan;
    return o;
  }
  if (planOption) throw new UsageError(msg('cli.new.without', { option: planOption }));
  if (o.printConfig !== undefined || o.init) return o;
  if (!o.inputs.length) throw new UsageError(msg('cli.error.noInput'));
  const stdin = o.inputs.filter((x) => x === '-').length;
  if (stdin && (stdin > 1 || o.inputs.length > 1)) throw new UsageError(msg('cli.error.stdinTwice'));
  if (o.stdinFilename !== undefined && !stdin) throw new UsageError(msg('cli.error.stdinFilename'));
  if (o.runbook && stdin && o.fix) throw new UsageError(msg('cli.error.runbookFix'));
  return o;
}
