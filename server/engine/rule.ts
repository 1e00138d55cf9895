/** What a rule is. Each rule is a small object; the registry (rules/index.ts) lists them all. */
import type { Message } from './l10n/index';
import type { FileKind, Locale, Range, Severity, TextEdit } from './types';

export interface RuleDoc {
  /** One line: what the rule checks. */
  summary: string;
  /** Why it matters, in a few sentences. */
  details: string;
  /** A file that fails (text). */
  bad?: string;
  /** The same file, fixed. */
  good?: string;
}

export interface RuleMeta {
  id: string;
  kind: FileKind | 'any';
  severity: Severity;
  /** `preferred`: a ★ fix that `--fix` applies; `suggestion`: a quick fix offered, never applied alone. */
  fix?: 'preferred' | 'suggestion';
  /** The reference document and what in it the rule rests on. */
  source: string;
  /** From the catalogs (`ruleDocs(id)`): summary, details and examples in every locale. */
  docs: Record<Locale, RuleDoc>;
}

export interface LocalizedFix {
  title: Message;
  preferred?: boolean;
  edits: TextEdit[];
  /**
   * A fix that moves steps (server/engine/order.ts): the step indices in their order after it. The engine makes it
   * the preferred fix when that order satisfies every order rule of the manifest, i.e. when it is the only sensible
   * one; otherwise it stays a suggestion (and "Sort steps into the documented order" is the way out).
   */
  order?: number[];
}

export interface Finding {
  range: Range;
  message: Message;
  fixes?: LocalizedFix[];
  /** Overrides the rule's default severity for this finding (e.g. an error on one node, a warning elsewhere). */
  severity?: Severity;
  /** Other places that explain the problem, e.g. the step this one must follow. */
  related?: { range: Range; message: Message; path?: string }[];
}

export type Report = (finding: Finding) => void;

export interface Rule<Ctx> extends RuleMeta {
  check(ctx: Ctx, report: Report): void;
}
