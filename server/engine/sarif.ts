/**
 * SARIF 2.1.0 output. Rule metadata comes from the registry, so it can never drift from the rules. Each rule's
 * `help.markdown` is its documentation page (rule-page.ts: the text of docs/rules/<id>.md) in the run's language,
 * `help.text` its summary and explanation as plain text; a link to the page (`helpUri`) only when the run was given
 * the base address where the pages are published — never a path of the machine that ran it.
 */
import type * as Sarif from 'sarif';
import { ruleDocPath } from './docs';
import { rulePage } from './rule-page';
import { allRules } from './rules/index';
import type { Diagnostic, Locale, Severity } from './types';

export interface FileReport {
  path: string;
  uri: string;
  kind: string;
  diagnostics: Diagnostic[];
}

export interface SarifOptions {
  version: string;
  locale: Locale;
  /**
   * The absolute http(s) address of the published docs/ folder, ending in `/` (`https://example.com/ul/`): rule
   * pages are `<docsBase>rules/<id>.md`. Without it no result or rule links anywhere.
   */
  docsBase?: string;
}

const LEVEL: Record<Severity, Sarif.ReportingConfiguration['level']> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(files: FileReport[], opts: SarifOptions): Sarif.Log {
  const base = opts.docsBase;
  const rules: Sarif.ReportingDescriptor[] = allRules.map((r) => {
    const d = r.docs[opts.locale];
    const help = rulePage(r, [opts.locale], base ? (row) => `${base}guide-coverage.md#${row}` : undefined);
    return {
      id: r.id,
      name: r.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: d.summary },
      fullDescription: { text: d.details },
      help: { text: `${d.summary}\n\n${d.details}`, markdown: help },
      ...(base ? { helpUri: base + ruleDocPath(r.id) } : {}),
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { tags: [r.kind], source: r.source },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const region = (rg: Diagnostic['range']) => ({
    startLine: rg.start.line + 1,
    startColumn: rg.start.character + 1,
    endLine: rg.end.line + 1,
    endColumn: rg.end.character + 1,
  });
  const results: Sarif.Result[] = files.flatMap((f) =>
    f.diagnostics.map((d) => ({
      ruleId: d.rule,
      ...(index.has(d.rule) ? { ruleIndex: index.get(d.rule) } : {}),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: f.uri }, region: region(d.range) } }],
      ...(d.related?.length
        ? {
            relatedLocations: d.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: { artifactLocation: { uri: r.path ?? f.uri }, region: region(r.range) },
            })),
          }
        : {}),
      ...(d.fixes.length
        ? {
            fixes: d.fixes.map((fx) => ({
              description: { text: fx.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: f.uri },
                  replacements: fx.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
                },
              ],
            })),
          }
        : {}),
    })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'upgrade-lint', version: opts.version, rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
