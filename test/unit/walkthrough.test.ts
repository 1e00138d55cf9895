/**
 * The "Get started" walkthrough (package.json `contributes.walkthroughs`, client/walkthrough.ts, walkthrough/):
 * its texts are translated, its pages exist and ship in the VSIX, its links and completion events name commands
 * and views that exist, and what it shows (the examples, the workflow, the tables) agrees with the files and the
 * engine.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { ciWorkflow, EXAMPLES, LANGUAGES, WALKTHROUGH_ID, WORKFLOW_PATH, WORKFLOW_PLACEHOLDERS } from '../../client/walkthrough-content';
import { kindForLanguage } from '../../server/engine/kinds/index';
import { LOCALES } from '../../server/engine/l10n/index';
import { lint } from '../../server/engine/lint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; svg?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}
const pkg = JSON.parse(read('package.json')) as {
  publisher: string;
  name: string;
  contributes: { commands: { command: string; title: string; category?: string }[]; walkthroughs: Walkthrough[]; menus?: Record<string, unknown> };
};
const nls: Record<string, Record<string, string>> = { en: JSON.parse(read('package.nls.json')) };
for (const l of LOCALES.filter((x) => x !== 'en')) nls[l] = JSON.parse(read(`package.nls.${l}.json`));
const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === WALKTHROUGH_ID)!;
const contributed = new Set(pkg.contributes.commands.map((c) => c.command));

/** VS Code commands the walkthrough may name (links, completion events) besides ours. */
const BUILTIN_COMMANDS = new Set([
  'workbench.actions.view.problems',
  'workbench.action.openWalkthrough',
  'workbench.action.openSettingsJson',
  'editor.action.quickFix',
  'editor.action.autoFix',
  'editor.action.sourceAction',
  'editor.action.fixAll',
  'markdown.showPreview',
]);
/** VS Code views `onView:` may name: the Problems panel. */
const BUILTIN_VIEWS = new Set(['workbench.panel.markers.view']);

/** `%key%` → the key. */
const key = (s: string) => {
  const m = /^%([^%]+)%$/.exec(s);
  assert.ok(m, `${s} is a %key%`);
  return m[1];
};
/** The Markdown links of a walkthrough text ([label](target)), as VS Code's parseLinkedText finds them. */
const links = (text: string) => [...text.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)\)/g)].map((m) => m[2]);
/** A `command:` link → command id and arguments (a JSON array in the query, URI-encoded). */
function commandLink(href: string): { id: string; args: unknown[] } {
  const m = /^command:(?:toSide:)?([A-Za-z0-9_.-]+)(?:\?(.*))?$/.exec(href);
  assert.ok(m, `${href} is a command link`);
  const args = m[2] === undefined ? [] : (JSON.parse(decodeURIComponent(m[2])) as unknown);
  assert.ok(Array.isArray(args), `${href}: the arguments are a JSON array`);
  return { id: m[1], args };
}
/** The fenced code blocks of a Markdown page: language and text. */
const fences = (md: string) => [...md.matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));

/** Whether vsce packs `rel`, by .vscodeignore: the last pattern that matches decides (`!` = packed). */
function shipped(rel: string): boolean {
  let packed = true;
  for (const raw of read('.vscodeignore').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    if (picomatch(pattern, { dot: true })(rel)) packed = negated;
  }
  return packed;
}

test('the walkthrough is contributed once, with steps in a fixed order', () => {
  assert.ok(walkthrough, `contributes.walkthroughs has ${WALKTHROUGH_ID}`);
  assert.equal(pkg.contributes.walkthroughs.filter((w) => w.id === WALKTHROUGH_ID).length, 1);
  assert.deepEqual(
    walkthrough.steps.map((s) => s.id),
    ['openExample', 'fixProblem', 'writeMeta', 'setupCi'],
  );
  assert.equal(new Set(walkthrough.steps.map((s) => s.id)).size, walkthrough.steps.length);
});

test("every title and description is a %key% with a text in every locale's package.nls", () => {
  const keys = [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((s) => [s.title, s.description])].map(key);
  for (const [locale, texts] of Object.entries(nls)) {
    for (const k of keys) assert.ok(texts[k]?.trim(), `package.nls${locale === 'en' ? '' : '.' + locale}.json: ${k}`);
    for (const k of Object.keys(texts).filter((x) => x.startsWith('walkthrough.'))) assert.ok(keys.includes(k), `${locale}: ${k} is used`);
  }
  // The nls keys the walkthrough adds sit before the generated rule.* keys (scripts/docgen.ts appends those).
  for (const texts of Object.values(nls)) {
    const names = Object.keys(texts);
    const firstRule = names.findIndex((k) => k.startsWith('rule.'));
    assert.ok(names.filter((k) => k.startsWith('walkthrough.') || k.startsWith('command.')).every((k) => names.indexOf(k) < firstRule));
  }
});

test('every translation keeps the links of the English text, and every command link names a command that exists', () => {
  for (const step of walkthrough.steps) {
    const k = key(step.description);
    const en = links(nls.en[k]);
    assert.ok(en.length >= 1, `${step.id} has a button`);
    for (const [locale, texts] of Object.entries(nls)) assert.deepEqual(links(texts[k]), en, `${locale}: ${k} has the same links, in the same order`);
    for (const href of en.filter((h) => h.startsWith('command:'))) {
      const { id, args } = commandLink(href);
      assert.ok(contributed.has(id) || BUILTIN_COMMANDS.has(id), `${step.id}: ${id} is contributed or a VS Code command`);
      if (id === 'upgradeLint.openExample') {
        assert.equal(args.length, 1, href);
        assert.ok(
          EXAMPLES.some((e) => e.language === args[0]),
          `${href}: an example of ${String(args[0])}`,
        );
      } else assert.deepEqual(args, [], `${href} takes no arguments`);
    }
    // The button lines (a link alone on its line) are what VS Code renders as buttons: each step has one.
    assert.ok(
      nls.en[k].split('\n').some((line) => /^\[[^\]]+\]\([^)]+\)$/.test(line.trim())),
      `${step.id}: a button`,
    );
  }
});

test('completion events are well-formed and name commands and views that exist', () => {
  const TYPES = ['onCommand', 'onLink', 'onView', 'onSettingChanged', 'onContext', 'onExtensionInstalled', 'onStepSelected'];
  for (const step of walkthrough.steps) {
    assert.ok(step.completionEvents?.length, `${step.id} has completion events`);
    for (const event of step.completionEvents!) {
      const m = /^([A-Za-z]+)(?::(.+))?$/.exec(event);
      assert.ok(m && TYPES.includes(m[1]), `${step.id}: ${event} is an event VS Code knows (onLanguage is not one)`);
      const [, type, arg] = m;
      if (type === 'onStepSelected') assert.equal(arg, undefined, event);
      else assert.ok(arg, `${event} has an argument`);
      if (type === 'onCommand') assert.ok(contributed.has(arg!) || BUILTIN_COMMANDS.has(arg!), `${step.id}: ${arg} is contributed or a VS Code command`);
      if (type === 'onView') assert.ok(BUILTIN_VIEWS.has(arg!), `${step.id}: ${arg} is a view`);
    }
    assert.equal(new Set(step.completionEvents).size, step.completionEvents!.length, `${step.id}: no event twice`);
  }
});

test("every step's media page exists in every locale and ships in the VSIX", () => {
  // The ignore rules as this test reads them: what must ship does, what must not doesn't.
  assert.ok(shipped('dist/client.js') && shipped('package.json') && !shipped('examples/acns/broken/ACNS-5.1.3-lab.meta') && !shipped('client/walkthrough.ts'));
  for (const step of walkthrough.steps) {
    assert.deepEqual(Object.keys(step.media), ['markdown'], `${step.id}: Markdown media`);
    const md = step.media.markdown!;
    assert.match(md, /^walkthrough\/[a-z-]+\.md$/, md);
    // VS Code shows <page>.nls.<language>.md instead of <page>.md when it exists (as its own walkthroughs do).
    const pages = [md, ...LOCALES.filter((l) => l !== 'en').map((l) => md.replace(/\.md$/, `.nls.${l}.md`))];
    for (const page of pages) {
      assert.ok(fs.existsSync(path.join(ROOT, page)), `${page} exists`);
      assert.ok(shipped(page), `${page} ships (.vscodeignore)`);
      assert.match(read(page), /^# \S/, `${page} starts with a heading`);
      for (const href of links(read(page)).filter((h) => h.startsWith('command:'))) {
        const { id } = commandLink(href);
        assert.ok(contributed.has(id) || BUILTIN_COMMANDS.has(id), `${page}: ${id}`);
      }
    }
    // The translated page shows the same code as the English one (the comments of shell lines may be translated).
    const code = (page: string) => fences(read(page)).map((f) => (f.lang === 'sh' ? { ...f, text: f.text.replace(/[ \t]+#.*$/gm, '') } : f));
    for (const page of pages.slice(1)) assert.deepEqual(code(page), code(md), `${page} has the code blocks of ${md}`);
  }
  for (const f of fs.readdirSync(path.join(ROOT, 'walkthrough')))
    assert.ok(
      walkthrough.steps.some((s) => [s.media.markdown, ...LOCALES.map((l) => s.media.markdown!.replace(/\.md$/, `.nls.${l}.md`))].includes(`walkthrough/${f}`)),
      `walkthrough/${f} is a step's page`,
    );
});

test('the walkthrough commands are contributed with a title in every locale, in the Upgrade Lint category, and registered', () => {
  const source = read('client/walkthrough.ts');
  const registered = [...source.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]);
  assert.ok(registered.length >= 6, registered.join(', '));
  for (const id of registered) {
    const c = pkg.contributes.commands.find((x) => x.command === id);
    assert.ok(c, `${id} is contributed`);
    assert.equal(c.category, 'Upgrade Lint', id);
    for (const texts of Object.values(nls)) assert.ok(texts[key(c.title)], `${id}: ${c.title}`);
  }
  const everywhere = fs
    .readdirSync(path.join(ROOT, 'client'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read(`client/${f}`))
    .concat(read('server/protocol/index.ts')) // commands named once in the shared protocol module
    .join('\n');
  for (const c of pkg.contributes.commands) assert.ok(everywhere.includes(`'${c.command}'`), `${c.command} is registered by the client`);
  // The walkthrough is opened by its full id: <publisher>.<name>#<id>.
  assert.match(source, /workbench\.action\.openWalkthrough', `\$\{context\.extension\.id\}#\$\{WALKTHROUGH_ID\}`/);
  assert.equal(`${pkg.publisher}.${pkg.name}`, 'upgrade-lint.upgrade-lint');
});

test("the client's walkthrough messages have their translation in each locale's client bundle", () => {
  const source = read('client/walkthrough.ts');
  const used = [...[...source.matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1]), ...EXAMPLES.map((e) => e.label)];
  assert.ok(used.length >= 8, used.join(' | '));
  for (const l of LOCALES.filter((x) => x !== 'en')) {
    const bundle = JSON.parse(read(`l10n/bundle.l10n.${l}.json`)) as Record<string, string>;
    assert.deepEqual(
      used.filter((u) => !bundle[u]),
      [],
      `l10n/bundle.l10n.${l}.json`,
    );
    for (const u of used) assert.deepEqual(bundle[u].match(/\{\d+\}/g) ?? [], u.match(/\{\d+\}/g) ?? [], `${l}: placeholders of ${u}`);
  }
});

test('each embedded example is the file in examples/ it was copied from, and has problems', () => {
  assert.deepEqual(
    EXAMPLES.map((e) => e.language),
    [...LANGUAGES],
    'one example per language',
  );
  for (const e of EXAMPLES) {
    assert.equal(e.text, read(e.file), `${e.file}: copy it into client/walkthrough-content.ts again`);
    const kind = kindForLanguage(e.language);
    assert.ok(kind, e.language);
    assert.ok(
      lint({ text: e.text, kind }, {}).diagnostics.some((d) => d.severity === 'error'),
      `${e.file} has an error to fix`,
    );
  }
});

test("open-example's table lists exactly the rules the meta example breaks, with their lines", () => {
  const meta = EXAMPLES.find((e) => e.language === 'acns-meta')!;
  const diagnostics = lint({ text: meta.text, kind: 'acns-meta' }, {}).diagnostics;
  const expected = [...new Set(diagnostics.map((d) => d.rule))].sort();
  for (const page of ['walkthrough/open-example.md', 'walkthrough/open-example.nls.ja.md']) {
    const md = read(page);
    assert.ok(
      fences(md).some((f) => f.lang === 'acns-meta' && f.text === meta.text),
      `${page} shows the example as it is`,
    );
    const rows = [...md.matchAll(/^\| ([\d、, ]+) \|.*\| `([a-z]+\/[a-z-]+)` \|$/gm)].map((m) => ({ lines: m[1].split(/[、,]\s*/).map(Number), rule: m[2] }));
    assert.deepEqual([...new Set(rows.map((r) => r.rule))].sort(), expected, page);
    for (const r of rows)
      assert.deepEqual(r.lines, [...new Set(diagnostics.filter((d) => d.rule === r.rule).map((d) => d.range.start.line + 1))], `${page}: lines of ${r.rule}`);
  }
});

test("write-meta's sample meta file has every required key and no problem", () => {
  for (const page of ['walkthrough/write-meta.md', 'walkthrough/write-meta.nls.ja.md']) {
    const sample = fences(read(page)).find((f) => f.lang === 'acns-meta');
    assert.ok(sample, page);
    assert.deepEqual(
      lint({ text: sample.text, kind: 'acns-meta' }, {}).diagnostics.map((d) => d.rule),
      [],
      page,
    );
    for (const k of ['updateFileSize', 'version', 'updateFileUrl']) assert.match(sample.text, new RegExp(`^${k}=`, 'm'), `${page}: ${k}`);
  }
  // The step's description names the three required keys in every locale.
  for (const texts of Object.values(nls))
    for (const k of ['updateFileSize', 'version', 'updateFileUrl']) assert.ok(texts['walkthrough.writeMeta.description'].includes(`\`${k}\``));
});

test("the CI page shows the workflow the button creates, whose inputs are the action's; it names only options the CLI has", () => {
  const args = read('server/cli/args.ts');
  for (const page of ['walkthrough/ci.md', 'walkthrough/ci.nls.ja.md']) {
    const md = read(page);
    assert.ok(
      fences(md).some((f) => f.lang === 'yaml' && f.text === ciWorkflow()),
      `${page} shows ciWorkflow()`,
    );
    assert.ok(md.includes(WORKFLOW_PATH), `${page} names ${WORKFLOW_PATH}`);
    for (const opt of new Set([...md.matchAll(/(?<![\w-])(--[a-z][a-z-]+|-o)(?![\w-])/g)].map((m) => m[1])))
      assert.ok(args.includes(`case '${opt}'`), `${page}: ${opt} is a CLI option`);
    for (const format of [...md.matchAll(/--format (\w+)/g)].map((m) => m[1])) assert.ok(args.includes(`'${format}'`), `${page}: --format ${format}`);
  }
  // upgrade-lint is not on the npm registry (docs/ci.md): nothing the walkthrough shows runs it through npx.
  for (const f of fs.readdirSync(path.join(ROOT, 'walkthrough'))) assert.ok(!/\bnpx\b/.test(read(`walkthrough/${f}`)), `walkthrough/${f}: no npx`);
  for (const texts of Object.values(nls)) assert.ok(!/\bnpx\b/.test(texts['walkthrough.setupCi.description']), 'setupCi: no npx');
  assert.ok(!ciWorkflow().includes('npx'));

  const wf = parseYaml(ciWorkflow()) as {
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
  };
  assert.deepEqual(wf.permissions, { contents: 'read' });
  const steps = wf.jobs['upgrade-lint'].steps;
  assert.deepEqual(
    steps.map((x) => x.uses),
    ['actions/checkout@v4', `${WORKFLOW_PLACEHOLDERS[0]}/upgrade-lint@${WORKFLOW_PLACEHOLDERS[1]}`],
  );
  for (const p of WORKFLOW_PLACEHOLDERS) assert.equal(ciWorkflow().split(p).length, 2, `${p} once (a tab stop)`);
  // The inputs under `with:`, and the one commented out there, are the action's (action.yml at the repository root).
  const action = parseYaml(read('action.yml')) as { inputs: Record<string, unknown> };
  for (const input of [...Object.keys(steps[1].with!), ...[...ciWorkflow().matchAll(/^ {10}# (\w[\w-]*):/gm)].map((m) => m[1])])
    assert.ok(input in action.inputs, `action.yml has the input ${input}`);
  for (const opt of String(steps[1].with!.args)
    .split(' ')
    .filter((a) => a.startsWith('-')))
    assert.ok(args.includes(`case '${opt}'`), opt);
  // "Open the CI guide" opens docs/ci.md, which ships.
  assert.match(read('client/walkthrough.ts'), /joinPath\(context\.extensionUri, 'docs', 'ci\.md'\)/);
  assert.ok(fs.existsSync(path.join(ROOT, 'docs', 'ci.md')) && shipped('docs/ci.md'));
});
