/**
 * Where the engine's findings become diagnostics: rendered in the user's language, with credentials in URLs
 * masked whatever a rule quoted, and the severity setting in force for each rule.
 */
import { render, type Message } from './l10n/index';
import type { Finding, LocalizedFix, RuleMeta } from './rule';
import { ruleMeta } from './rules/index';
import { redactSecrets } from './util';
import type { Diagnostic, Fix, Locale, SeveritySetting } from './types';

const pick = (l: Locale, m: Message) => render(m, l);

export class Collector {
  readonly out: Diagnostic[] = [];
  /** Problems found but not made into diagnostics (beyond the parser's limit): they count for `file/too-many-problems`. */
  hidden = 0;
  constructor(private locale: Locale) {}
  add(rule: RuleMeta | string, f: Finding): void {
    const meta = typeof rule === 'string' ? ruleMeta(rule) : rule;
    const id = typeof rule === 'string' ? rule : rule.id;
    // Every sentence leaves the engine with credentials in URLs masked, whatever the rule quoted.
    this.out.push({
      rule: id,
      severity: f.severity ?? meta?.severity ?? 'error',
      message: redactSecrets(pick(this.locale, f.message)),
      range: f.range,
      fixes: (f.fixes ?? []).map((x: LocalizedFix): Fix => ({ title: redactSecrets(pick(this.locale, x.title)), preferred: !!x.preferred, edits: x.edits })),
      ...(f.related?.length
        ? { related: f.related.map((r) => ({ message: redactSecrets(pick(this.locale, r.message)), range: r.range, ...(r.path ? { path: r.path } : {}) })) }
        : {}),
    });
  }
}

/** The severity setting in force for a rule: exact id first, then its family wildcard. */
export function severityFor(id: string, rules: Record<string, SeveritySetting>): SeveritySetting | undefined {
  const own = rules[id];
  if (own !== undefined) return own;
  return rules[familyWildcard(id)];
}

/** A rule id's family wildcard (`meta/http-port` → `meta/*`), remembered: asked for every rule of every document. */
export function familyWildcard(id: string): string {
  let family = FAMILY_WILDCARD.get(id);
  if (family === undefined) FAMILY_WILDCARD.set(id, (family = id.slice(0, id.indexOf('/') + 1) + '*'));
  return family;
}
const FAMILY_WILDCARD = new Map<string, string>();
