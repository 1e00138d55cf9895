/**
 * The language server in Emacs through Eglot, headless (`emacs --batch`; `npm run test:emacs`; needs Debian's
 * emacs-nox and elpa-eglot, which scripts/e2e-setup.sh installs). The setup is test/emacs/init.el, the one the README
 * shows; check.el plays the user: opens files, reads Flymake's diagnostics, hovers, applies a quick fix and saves.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ACNS_CDM_FIRST_PLAN } from '../helpers/editor-samples';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HERE = path.join(ROOT, 'test', 'emacs');

interface EmacsDiagnostic {
  code: string;
  line: number;
  column: number;
  type: string;
  text: string;
}
interface EmacsFile {
  file: string;
  mode: string;
  managed: boolean;
  languageId: string | null;
  diagnostics: EmacsDiagnostic[];
}
interface EmacsResult {
  error?: string;
  emacs: string;
  eglot: string;
  files: EmacsFile[];
  servers: number;
  hover: string | null;
  fix: { titles: string[]; applied: string | null; text: string; diagnostics: EmacsDiagnostic[] };
}

/** `upgrade-lint-server` on PATH, as `npm install -g upgrade-lint` puts it: the setup names the command, not a path. */
function serverOnPath(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-bin-'));
  fs.symlinkSync(path.join(ROOT, 'bin', 'upgrade-lint-server.js'), path.join(bin, 'upgrade-lint-server'));
  return bin;
}

function runEmacs(files: Record<string, string>, hover: { line: number; character: number }): EmacsResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ul-emacs-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const result = path.join(dir, 'result.json');
  const r = spawnSync('emacs', ['--batch', '-l', path.join(HERE, 'init.el'), '-l', path.join(HERE, 'check.el')], {
    cwd: dir,
    env: {
      ...process.env,
      PATH: `${serverOnPath()}${path.delimiter}${process.env.PATH}`,
      UL_FILES: Object.keys(files)
        .map((n) => path.join(dir, n))
        .join(':'),
      UL_HOVER: `${hover.line}:${hover.character}`,
      UL_RESULT: result,
    },
    encoding: 'utf8',
    timeout: 60000,
  });
  assert.ok(fs.existsSync(result), `emacs wrote no result (status ${r.status}): ${r.stderr}${r.stdout}`);
  const res = JSON.parse(fs.readFileSync(result, 'utf8')) as EmacsResult;
  assert.equal(res.error, undefined, `${res.error}\n${r.stderr}`);
  return res;
}

const LAB_META = 'updateFileSize=97205475\nversion= 5.1.3\nupdateFileUrl= http://lab.example.com:8080/ACNS-5.1.3-K9.bin\n';
const MANIFEST = ACNS_CDM_FIRST_PLAN;
const UNITY_META = 'fileFormatVersion: 2\nguid: 3c9a1e7f5b2d4e8a6c0f9b1d3e5a7c9f\nMonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n  userData: \n';

test('emacs and eglot are available (Debian: emacs-nox, elpa-eglot)', () => {
  const r = spawnSync('emacs', ['--batch', '--eval', '(progn (require (quote eglot)) (princ emacs-version))'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `emacs with eglot not found: bash scripts/e2e-setup.sh installs them (${r.stderr})`);
  assert.match(r.stdout, /^\d+\.\d+/);
});

test('one Emacs, four files: diagnostics with rule ids and lines, a hover, and a quick fix that is applied and saved', () => {
  const t0 = Date.now();
  const res = runEmacs(
    { 'lab.meta': LAB_META, 'dfc.properties': 'dfc.webport=80\ndfc.jboss.port=80\n', 'plan.upgrade.yaml': MANIFEST, 'Player.cs.meta': UNITY_META },
    {
      line: 0,
      character: 3,
    },
  );
  const ms = Date.now() - t0;
  assert.ok(ms < 60000, `${ms} ms`);
  const byName = new Map(res.files.map((f) => [f.file, f]));
  const seen = (name: string) => {
    const f = byName.get(name)!;
    return [f.mode, f.managed, f.languageId, f.diagnostics.map((d) => [d.code, d.line, d.column, d.type])];
  };
  // Each mode has its server, so each buffer goes with its own language id: a dfc.properties is not read as a meta file.
  assert.deepEqual(seen('lab.meta'), ['acns-meta-mode', true, 'acns-meta', [['meta/http-port', 3, 15, 'eglot-error']]]);
  assert.deepEqual(seen('dfc.properties'), ['cupm-properties-mode', true, 'cupm-properties', [['dfc/port-conflict', 2, 15, 'eglot-error']]]);
  assert.deepEqual(seen('plan.upgrade.yaml'), ['upgrade-manifest-mode', true, 'upgrade-manifest', [['acns/cdm-last', 11, 10, 'eglot-error']]]);
  // A Unity .meta opens in the same mode and server as an ACNS one, and gets nothing.
  assert.deepEqual(seen('Player.cs.meta'), ['acns-meta-mode', true, 'acns-meta', []]);
  assert.equal(res.servers, 3, 'one server per mode: lab.meta and Player.cs.meta share theirs');
  assert.match(byName.get('lab.meta')!.diagnostics[0].text, /^upgrade-lint \[meta\/http-port\]: HTTP image URLs must use port 80/);
  assert.match(res.hover ?? '', /updateFileSize/);
  assert.match(res.hover ?? '', /bytes/);
  assert.deepEqual(res.fix.titles, ['Remove `:8080` (use port 80)', 'Disable meta/http-port for this line', 'Show documentation for meta/http-port']);
  assert.equal(res.fix.applied, 'Remove `:8080` (use port 80)');
  assert.equal(res.fix.text, LAB_META.replace(':8080', ''));
  assert.deepEqual(res.fix.diagnostics, [], 'after the fix and a save, the server has nothing left to say');
  console.log(`emacs ${res.emacs}, eglot ${res.eglot}: ${ms} ms`);
});

test('the README shows init.el as it is tested', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(fs.readFileSync(path.join(HERE, 'init.el'), 'utf8')), 'README.md has test/emacs/init.el verbatim');
});
