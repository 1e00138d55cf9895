/**
 * YAML syntax problems in the user's words and language. The parser's codes are mapped to catalog messages
 * that say what to do, with a fix where one is certain; a code (or a case) without one keeps the parser's own
 * English text inside a translated sentence.
 */
import { msg, type Message } from '../l10n/index';
import type { YamlFile, YamlProblem } from '../parse/yaml';
import type { LocalizedFix } from '../rule';
import type { LineIndex } from '../text';

export interface SyntaxFinding {
  message: Message;
  fixes: LocalizedFix[];
}

const MAX_LINE = 2000;

/** The double-quoted scalar around `at` on its line: offsets of the two quotes, or undefined. */
function doubleQuotedAround(index: LineIndex, at: number): { open: number; close: number } | undefined {
  const text = index.text;
  const line = index.positionAt(at).line;
  const start = index.lineStarts[line];
  const end = index.lineEnd(line);
  // Every bad escape of a line would scan it again: a long line (a flood of them) gets the message without the fix.
  if (end - start > MAX_LINE) return undefined;
  let open = -1;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (open < 0) {
      if (c === '"') open = i;
      else if (c === "'" || c === '#') return undefined; // a single-quoted value or a comment comes first: not ours
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') return open < at && at < i ? { open, close: i } : undefined;
  }
  return undefined;
}

function badEscape(file: YamlFile, p: YamlProblem): SyntaxFinding {
  const text = file.index.text;
  const seq = text.slice(p.start, p.start + 2);
  const q = doubleQuotedAround(file.index, p.start);
  const inner = q ? text.slice(q.open + 1, q.close) : '';
  // Single quotes keep every backslash as it is, which is what a Windows path means. Not offered when the value
  // holds a quote or an escape that is valid (`\\`, `\"`, `\n`…): their meaning would change.
  const safe = q && !inner.includes("'") && [...inner.matchAll(/\\(.)/g)].every((m) => !/["\\/0abtnvfreN_LP xuU\t ]/.test(m[1]));
  const fixes: LocalizedFix[] = safe
    ? [
        {
          title: msg('yaml/syntax.fix.singleQuote'),
          preferred: true,
          edits: [{ range: file.index.range(q.open, q.close + 1), newText: `'${inner}'` }],
        },
      ]
    : [];
  return { message: msg('yaml/syntax.BAD_DQ_ESCAPE', { seq, value: q ? `"${inner}"` : seq, quoted: q ? `'${inner}'` : `'…${seq}…'` }), fixes };
}

/** `key:value` (no blank after the colon) on the line of the problem: the one place a blank is certainly missing. */
function missingBlankAfterColon(file: YamlFile, p: YamlProblem): SyntaxFinding | undefined {
  const idx = file.index;
  const line = idx.positionAt(p.start).line;
  const start = idx.lineStarts[line];
  const lineText = idx.text.slice(start, idx.lineEnd(line));
  const m = /^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_.-]*):([^\s:/\\])/.exec(lineText);
  if (!m) return undefined;
  const at = start + m[1].length + m[2].length + 1;
  const pos = idx.positionAt(at);
  return {
    message: msg('yaml/syntax.colonBlank', { key: m[2] }),
    fixes: [{ title: msg('yaml/syntax.fix.colonBlank'), preferred: true, edits: [{ range: { start: pos, end: pos }, newText: ' ' }] }],
  };
}

export function syntaxFinding(file: YamlFile, p: YamlProblem): SyntaxFinding {
  const none = (message: Message): SyntaxFinding => ({ message, fixes: [] });
  switch (p.code) {
    case 'BAD_DQ_ESCAPE':
      return badEscape(file, p);
    case 'TAB_AS_INDENT':
      return none(msg('yaml/syntax.TAB_AS_INDENT'));
    case 'DUPLICATE_KEY':
      return none(msg('yaml/syntax.DUPLICATE_KEY', { key: file.index.text.slice(p.start, p.end).slice(0, 80) }));
    case 'BAD_INDENT':
      return none(/Flow (sequence|mapping)/.test(p.message) ? msg('yaml/syntax.unclosedFlow') : msg('yaml/syntax.BAD_INDENT'));
    case 'MISSING_CHAR':
      if (/closing "/.test(p.message)) return none(msg('yaml/syntax.unclosedQuote', { quote: '"' }));
      if (/closing '/.test(p.message)) return none(msg('yaml/syntax.unclosedQuote', { quote: "'" }));
      return missingBlankAfterColon(file, p) ?? none(msg('yaml/syntax.noColon'));
    case 'MULTILINE_IMPLICIT_KEY':
      return missingBlankAfterColon(file, p) ?? none(msg('yaml/syntax.noColon'));
    case 'BLOCK_AS_IMPLICIT_KEY':
      return none(msg('yaml/syntax.BLOCK_AS_IMPLICIT_KEY'));
    case 'BAD_SCALAR_START':
      return none(msg('yaml/syntax.BAD_SCALAR_START', { char: file.index.text.slice(p.start, p.start + 1) }));
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_ALIAS':
      return none(msg('yaml/syntax.BAD_ALIAS', { detail: p.message }));
    default:
      return none(msg('yaml/syntax.message', { message: p.message }));
  }
}
