/** SARIF 2.1.0 output. Rule metadata comes from the registry, so it can never drift from the rules. */
import { allRules } from './rules/index';
import type { Diagnostic, Locale, Severity } from './types';

export interface FileReport {
  path: string;
  uri: string;
  kind: string;
  diagnostics: Diagnostic[];
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(files: FileReport[], opts: { version: string; locale: Locale; docUri: (id: string) => string | undefined }) {
  const rules = allRules.map((r) => {
    const d = r.docs[opts.locale];
    const help = [
      d.details,
      d.bad ? `\nFails:\n\n    ${d.bad.trimEnd().split('\n').join('\n    ')}` : '',
      d.good ? `\nPasses:\n\n    ${d.good.trimEnd().split('\n').join('\n    ')}` : '',
    ].join('\n');
    return {
      id: r.id,
      name: r.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
      shortDescription: { text: d.summary },
      fullDescription: { text: d.details },
      help: { text: help, markdown: help },
      ...(opts.docUri(r.id) ? { helpUri: opts.docUri(r.id) } : {}),
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
  const results = files.flatMap((f) =>
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
