/**
 * Generates the rule documentation from the registry: docs/rules.md (index), docs/rules/<id>.md (one page
 * per rule, English and Japanese) and the rule table inside README.md. `npm run docs` writes them; a unit
 * test fails when the committed files differ from what this produces.
 */
import { metaSkeleton, stepSnippet } from '../server/engine/planner/skeleton';
import { STEP_ACTIONS } from '../server/engine/runbook/duration';
import { allRules } from '../server/engine/rules/index';
import { rulePage as renderRulePage } from '../server/engine/rule-page';
import type { RuleMeta } from '../server/engine/rule';
import { LOCALES, msg, render, type Message } from '../server/engine/l10n/index';
import manifestSchema from '../schemas/upgrade-manifest.schema.json';

/** One page per rule (docs/rules/<id>.md): every locale, guide-coverage rows linked (the same page SARIF's help holds). */
export const rulePage = (r: RuleMeta): string => renderRulePage(r, LOCALES, (row) => `../../guide-coverage.md#${row}`);

export function rulesTable(linkPrefix: string): string {
  const rows = ['| rule | default | fix | checks | 概要 |', '|---|---|---|---|---|'];
  for (const r of allRules) {
    rows.push(
      `| [\`${r.id}\`](${linkPrefix}${r.id}.md) | ${r.severity} | ${r.fix === 'preferred' ? '★' : r.fix === 'suggestion' ? '○' : ''} | ${r.docs.en.summary} | ${r.docs.ja.summary} |`,
    );
  }
  return rows.join('\n');
}

interface Prop {
  type?: string | string[];
  const?: unknown;
  $ref?: string;
  enum?: unknown[];
  items?: Prop;
  markdownDescription?: string;
  'x-markdownDescription-ja'?: string;
  'x-title'?: Record<string, string>;
}
interface Branch {
  if: { properties: Record<string, { const: string }> };
  then: { propertyNames: { enum: string[] }; required?: string[]; properties?: { nodes?: { items: { properties: { role: { enum: string[] } } } } } };
}
const S = manifestSchema as unknown as {
  properties: Record<string, Prop>;
  required: string[];
  allOf: Branch[];
  definitions: {
    node: { properties: Record<string, Prop>; required?: string[] };
    step: { properties: Record<string, Prop>; required: string[]; allOf: Branch[] };
  };
};
const cell = (x: string) => x.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const describe = (p: Prop, lang: string) => cell((lang === 'ja' ? p['x-markdownDescription-ja'] : undefined) ?? p.markdownDescription ?? '');
const typeOf = (p: Prop, t: (m: Message) => string): string => {
  if (p.enum) return p.enum.map((x) => `\`${String(x)}\``).join(', ');
  if (p.const !== undefined) return `\`${String(p.const)}\``;
  if (p.$ref) return t(msg('docs.format.type.object'));
  const ty = Array.isArray(p.type) ? p.type : p.type ? [p.type] : [];
  return ty
    .map(
      (x) => t(msg(`docs.format.type.${x}` as 'docs.format.type.string')) + (x === 'array' && p.items && typeOf(p.items, t) ? ` (${typeOf(p.items, t)})` : ''),
    )
    .join(' / ');
};

/** docs/manifest-format.md: every key, action and value of the manifest, from its JSON Schema (the truth of structure). */
export function manifestFormatPage(): string {
  const out: string[] = [];
  for (const [i, lang] of LOCALES.entries()) {
    const t = (m: Message) => render(m, lang);
    if (i > 0) out.push('---', '');
    out.push(`# ${t(msg('docs.format.title'))}`, '', t(msg('docs.format.intro')), '');
    // Top-level keys, with the products whose manifests may hold them.
    const products = S.allOf.map((b) => [b.if.properties.product.const, b.then.propertyNames.enum] as const);
    out.push(
      `## ${t(msg('docs.format.top'))}`,
      '',
      `| ${t(msg('docs.format.key'))} | ${t(msg('docs.format.for'))} | ${t(msg('docs.format.value'))} | ${t(msg('docs.format.meaning'))} |`,
      '|---|---|---|---|',
    );
    for (const [k, p] of Object.entries(S.properties)) {
      const users = products.filter(([, keys]) => keys.includes(k)).map(([id]) => `\`${id}\``);
      const forWhom = users.length === products.length ? t(msg('docs.format.all')) : users.join(', ');
      const req = S.required.includes(k) ? ` ${t(msg('docs.format.required'))}` : '';
      out.push(`| \`${k}\`${req} | ${forWhom} | ${typeOf(p, t)} | ${describe(p, lang)} |`);
    }
    out.push('', `## ${t(msg('docs.format.roles'))}`, '', `| ${t(msg('docs.format.product'))} | ${t(msg('docs.format.roleValues'))} |`, '|---|---|');
    for (const b of S.allOf) {
      const roles = b.then.properties?.nodes?.items.properties.role.enum ?? [];
      out.push(`| \`${b.if.properties.product.const}\` | ${roles.map((r) => `\`${r}\``).join(', ')} |`);
    }
    out.push(
      '',
      `## ${t(msg('docs.format.node'))}`,
      '',
      `| ${t(msg('docs.format.key'))} | ${t(msg('docs.format.value'))} | ${t(msg('docs.format.meaning'))} |`,
      '|---|---|---|',
    );
    for (const [k, p] of Object.entries(S.definitions.node.properties)) {
      const req = S.definitions.node.required?.includes(k) ? ` ${t(msg('docs.format.required'))}` : '';
      out.push(`| \`${k}\`${req} | ${typeOf(p, t)} | ${describe(p, lang)} |`);
    }
    // Actions: the keys each one takes.
    out.push('', `## ${t(msg('docs.format.actions'))}`, '', `| ${t(msg('docs.format.action'))} | ${t(msg('docs.format.keys'))} |`, '|---|---|');
    const common = ['id', 'action', 'node', 'nodes', 'note', 'duration'];
    for (const b of S.definitions.step.allOf) {
      const extra = b.then.propertyNames.enum.filter((k) => !common.includes(k));
      const req = new Set(b.then.required ?? []);
      const keys = extra.map((k) => `\`${k}\`${req.has(k) ? ` ${t(msg('docs.format.required'))}` : ''}`).join(', ');
      out.push(`| \`${b.if.properties.action.const}\` | ${keys || '—'} |`);
    }
    out.push('', t(msg('docs.format.commonKeys', { keys: common.map((k) => `\`${k}\``).join(', ') })), '');
    out.push(
      `## ${t(msg('docs.format.stepKeys'))}`,
      '',
      `| ${t(msg('docs.format.key'))} | ${t(msg('docs.format.value'))} | ${t(msg('docs.format.meaning'))} |`,
      '|---|---|---|',
    );
    for (const [k, p] of Object.entries(S.definitions.step.properties)) out.push(`| \`${k}\` | ${typeOf(p, t)} | ${describe(p, lang)} |`);
    out.push('');
  }
  return out.join('\n');
}

export function renderDocs(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    'docs/rules.md',
    [
      '# upgrade-lint rules',
      '',
      'Generated from the rule registry (`server/engine/rules/`) by `npm run docs`; do not edit by hand.',
      'Each rule page has the English and the Japanese text. ★ = preferred fix, applied by `--fix` and "fix all"; ○ = suggestion only.',
      '',
      rulesTable('rules/'),
      '',
    ].join('\n'),
  );
  for (const r of allRules) files.set(`docs/rules/${r.id}.md`, rulePage(r));
  files.set('docs/manifest-format.md', manifestFormatPage());
  for (const [rel, text] of snippetFiles()) files.set(rel, text);
  return files;
}

/**
 * VS Code snippets (package.json `contributes.snippets`): a step per action with the keys it requires, and the meta
 * file skeleton. Their descriptions are in English and Japanese (VS Code does not localise snippet files). The
 * product skeletons come from the language server instead (completion on an empty manifest, in the user's language).
 */
export function snippetFiles(): Map<string, string> {
  const both = (m: Parameters<typeof render>[0]) => `${render(m, 'en')} / ${render(m, 'ja')}`;
  const steps: Record<string, { prefix: string[]; body: string[]; description: string }> = {};
  for (const action of STEP_ACTIONS)
    steps[`step: ${action}`] = {
      prefix: [`step-${action}`, `- ${action}`],
      body: stepSnippet(action).split('\n'),
      description: both(msg('snippet.step.description', { action })),
    };
  const meta = {
    'ACNS meta file': { prefix: ['meta', 'updateFileSize'], body: metaSkeleton('en').split('\n'), description: both(msg('snippet.meta.detail')) },
  };
  return new Map([
    ['snippets/upgrade-manifest.code-snippets', JSON.stringify(steps, null, 2) + '\n'],
    ['snippets/acns-meta.code-snippets', JSON.stringify(meta, null, 2) + '\n'],
  ]);
}

/**
 * package.json with the `upgradeLint.rules` setting listing every rule id (and each family's `family/*`) as a
 * property, so that the settings editor and settings.json offer the ids instead of making users type them; and
 * the settings in the order of importance.
 */
export function updatePackageJson(text: string): string {
  const pkg = JSON.parse(text) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
  const props = pkg.contributes.configuration.properties;
  const rules = props['upgradeLint.rules'];
  const severity = rules.additionalProperties as Record<string, unknown>;
  const families = [...new Set(allRules.map((r) => r.id.slice(0, r.id.indexOf('/'))))].map((f) => `${f}/*`);
  rules.properties = Object.fromEntries(
    [...families, ...allRules.map((r) => r.id)].map((id) => [id, { enum: severity.enum, markdownDescription: `%rule.${id}%` }]),
  );
  const ORDER = ['run', 'rules', 'locale', 'imageSearchPaths', 'remoteChecks', 'maxDiagnostics', 'maxFileSize', 'maxAliasExpansion', 'trace.server'];
  for (const [i, key] of ORDER.entries()) if (props[`upgradeLint.${key}`]) props[`upgradeLint.${key}`].order = i + 1;
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** package.nls.json / package.nls.<locale>.json with the rule summaries the `upgradeLint.rules` setting shows. */
export function updateNls(text: string, locale: string): string {
  const nls = JSON.parse(text) as Record<string, string>;
  for (const k of Object.keys(nls)) if (k.startsWith('rule.')) delete nls[k];
  const families = [...new Set(allRules.map((r) => r.id.slice(0, r.id.indexOf('/'))))];
  const lang = (LOCALES as readonly string[]).includes(locale) ? (locale as (typeof LOCALES)[number]) : 'en';
  for (const f of families) nls[`rule.${f}/*`] = render(msg('docs.family', { family: f }), lang);
  for (const r of allRules) nls[`rule.${r.id}`] = r.docs[lang].summary;
  return JSON.stringify(nls, null, 2) + '\n';
}

export const README_START = '<!-- rules:start (generated by npm run docs) -->';
export const README_END = '<!-- rules:end -->';

export function updateReadme(readme: string): string {
  const a = readme.indexOf(README_START);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < a) return readme;
  return readme.slice(0, a + README_START.length) + '\n' + rulesTable('docs/rules/') + '\n' + readme.slice(b);
}

if (require.main === module) {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const root = path.resolve(__dirname, '..', '..');
  fs.rmSync(path.join(root, 'docs', 'rules'), { recursive: true, force: true });
  for (const [rel, text] of renderDocs()) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const readme = path.join(root, 'README.md');
  if (fs.existsSync(readme)) fs.writeFileSync(readme, updateReadme(fs.readFileSync(readme, 'utf8')));
  const pkg = path.join(root, 'package.json');
  fs.writeFileSync(pkg, updatePackageJson(fs.readFileSync(pkg, 'utf8')));
  for (const f of fs.readdirSync(root).filter((n) => /^package\.nls(\.[a-z-]+)?\.json$/.test(n))) {
    const locale = /^package\.nls\.([a-z-]+)\.json$/.exec(f)?.[1] ?? 'en';
    fs.writeFileSync(path.join(root, f), updateNls(fs.readFileSync(path.join(root, f), 'utf8'), locale));
  }
  console.log(`wrote ${renderDocs().size} doc files`);
}
