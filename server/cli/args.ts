/** The command line of `upgrade-lint`: options, their checks, and the mistakes reported with the usage (exit 2). */
import { SEVERITY_SETTINGS } from '../engine/config';
import { LOCALES, msg, type Message } from '../engine/l10n/index';
import { ruleMeta } from '../engine/rules/index';
import type { Locale, SeveritySetting } from '../engine/types';

/** The language of what the CLI prints before its options are read: `--locale ja` anywhere on the line. */
export const earlyLocale = (argv: string[]): Locale => (argv.some((a, i) => a === '--locale=ja' || (a === '--locale' && argv[i + 1] === 'ja')) ? 'ja' : 'en');

/** A mistake on the command line: said in the user's language, with the usage (exit 2). */
export class UsageError extends Error {
  constructor(readonly why: Message) {
    super(why.key);
  }
}

export interface CliOptions {
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  rules: Record<string, SeveritySetting>;
  locale: Locale;
  maxWarnings?: number;
  remoteChecks: boolean;
  allowPaths: string[];
  inputs: string[];
}

export function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { format: 'text', fix: false, rules: {}, locale: 'en', remoteChecks: false, allowPaths: [], inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
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
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(msg('cli.error.format', { value: v }));
        o.format = v;
        break;
      }
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
        o.inputs.push(argv[i]);
    }
  }
  if (!o.inputs.length) throw new UsageError(msg('cli.error.noInput'));
  return o;
}
