/**
 * Rules for ACNS meta files (`*.meta`). Facts: reference 002, table 7-1 and the two sample files; the row ids in each
 * rule's `source` are those of docs/guide-coverage.md.
 */
import { msg, ruleDocs } from '../l10n/index';
import * as path from 'node:path';
import { deleteEntryLines, entryRange, insertLineAfter, type KvContext } from '../kvcontext';
import type { Rule } from '../rule';
import { splitUrl, urlFileName } from '../url';
import { acns } from '../products/index';
import type { Entry } from '../parse/kv';

export const META_KEYS = ['updateFileSize', 'version', 'description', 'updateFileUrl', 'user', 'password', 'CDM-IP'];

type MetaRule = Rule<KvContext>;

export function parseMetaVersion(v: string): { major: number; minor: number; maint: number; build?: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:\.b\.(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], maint: +m[3], build: m[4] === undefined ? undefined : +m[4] };
}

function get(ctx: KvContext, key: string): Entry | undefined {
  return ctx.effective.get(key);
}

const { IMAGE } = acns;

const urlOf = (ctx: KvContext) => {
  const e = get(ctx, 'updateFileUrl');
  const parts = e ? splitUrl(e.value) : undefined;
  return e && parts ? { e, parts } : undefined;
};

const syntax: MetaRule = {
  id: 'meta/syntax',
  kind: 'acns-meta',
  severity: 'error',
  fix: 'preferred',
  source: '002-08 (key=value lines, blanks after = allowed as in the samples)',
  docs: ruleDocs('meta/syntax'),
  check(ctx, report) {
    for (const p of ctx.doc.syntax) report({ range: p.range, message: p.message, fixes: p.fix ? [{ ...p.fix, preferred: true }] : [] });
  },
};

const duplicateKey: MetaRule = {
  id: 'meta/duplicate-key',
  kind: 'acns-meta',
  severity: 'error',
  fix: 'preferred',
  source: '002-15 (keys that differ only in letter case are one key; a second line for a key is flagged by upgrade-lint itself)',
  docs: ruleDocs('meta/duplicate-key'),
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e)!;
      const first = ctx.effective.get(key)!;
      if (first === e) continue;
      report({
        range: e.keyRange,
        message: msg('meta/duplicate-key.message', { key, line: first.line + 1 }),
        fixes: [{ title: msg('meta/duplicate-key.fix', { key: e.key }), preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const keyCase: MetaRule = {
  id: 'meta/key-case',
  kind: 'acns-meta',
  severity: 'warning',
  fix: 'preferred',
  source: '002-15 (the guide spells the URL key three ways)',
  docs: ruleDocs('meta/key-case'),
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e)!;
      if (key === e.key || !META_KEYS.includes(key)) continue;
      report({
        range: e.keyRange,
        // 002-15: the guide itself writes `updateFileURL` (table 7-1) and `UpdateFileUrl` (the downgrade steps):
        // those spellings are only a hint; any other is the warning.
        ...(GUIDE_SPELLINGS.has(e.key) ? { severity: 'hint' as const } : {}),
        message: msg('meta/key-case.message', { key, written: e.key }),
        fixes: [{ title: msg('meta/key-case.fix', { key }), preferred: true, edits: [{ range: e.keyRange, newText: key }] }],
      });
    }
  },
};

const GUIDE_SPELLINGS = new Set(['updateFileURL', 'UpdateFileUrl']);

const httpPort: MetaRule = {
  id: 'meta/http-port',
  kind: 'acns-meta',
  severity: 'error',
  fix: 'preferred',
  source: '002-17 (note under table 7-1: HTTP only on port 80)',
  docs: ruleDocs('meta/http-port'),
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u || u.parts.scheme !== 'http' || !u.parts.port) return;
    const port = u.parts.port;
    if (port.value === '' || /^0*80$/.test(port.value)) return;
    const idx = ctx.doc.index;
    const base = u.e.valueStart;
    report({
      range: u.e.valueRange,
      message: msg('meta/http-port.message', { port: port.value }),
      fixes: [
        {
          title: msg('meta/http-port.fix', { port: port.text }),
          preferred: true,
          edits: [{ range: idx.range(base + port.start, base + port.end), newText: '' }],
        },
      ],
    });
  },
};

const httpCredentials: MetaRule = {
  id: 'meta/http-credentials',
  kind: 'acns-meta',
  severity: 'error',
  fix: 'preferred',
  source: '002-16, 002-18 (user/password are for FTP; authenticating HTTP servers are not supported)',
  docs: ruleDocs('meta/http-credentials'),
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u || u.parts.scheme !== 'http') return;
    const idx = ctx.doc.index;
    if (u.parts.userinfo) {
      const ui = u.parts.userinfo;
      report({
        range: idx.range(u.e.valueStart + ui.start, u.e.valueStart + ui.end),
        message: msg('meta/http-credentials.message'),
        fixes: [
          {
            title: msg('meta/http-credentials.fix'),
            preferred: true,
            edits: [{ range: idx.range(u.e.valueStart + ui.start, u.e.valueStart + ui.end), newText: '' }],
          },
        ],
      });
    }
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e);
      if (key !== 'user' && key !== 'password') continue;
      report({
        range: entryRange(e),
        message: msg('meta/http-credentials.message2', { key }),
        fixes: [{ title: msg('meta/http-credentials.fix2', { key: e.key }), preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const urlTarget: MetaRule = {
  id: 'meta/url-target',
  kind: 'acns-meta',
  severity: 'warning',
  source: '002-06 (the meta file points at the .bin/.upg image)',
  docs: ruleDocs('meta/url-target'),
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u) return;
    const name = urlFileName(u.parts);
    if (IMAGE.test(name)) return;
    const isMeta = /\.meta$/i.test(name);
    report({
      range: u.e.valueRange,
      message: isMeta ? msg('meta/url-target.message', { name }) : name ? msg('meta/url-target.notImageEnds', { name }) : msg('meta/url-target.notImage'),
    });
  },
};

const cdmIpNotDowngrade: MetaRule = {
  id: 'meta/cdm-ip-not-downgrade',
  kind: 'acns-meta',
  severity: 'warning',
  fix: 'preferred',
  source: '002-22 (CDM-IP applies only to downgrades to 4.x)',
  docs: ruleDocs('meta/cdm-ip-not-downgrade'),
  check(ctx, report) {
    const ip = get(ctx, 'CDM-IP');
    const v = get(ctx, 'version');
    const ver = v && parseMetaVersion(v.value);
    if (!ip || !ver || ver.major === 4) return;
    report({
      range: entryRange(ip),
      message: msg('meta/cdm-ip-not-downgrade.message', { value: v!.value }),
      fixes: [{ title: msg('meta/cdm-ip-not-downgrade.fix'), preferred: true, edits: [deleteEntryLines(ctx.doc, ip)] }],
    });
  },
};

const cdmIpMissing: MetaRule = {
  id: 'meta/cdm-ip-missing',
  kind: 'acns-meta',
  severity: 'information',
  fix: 'suggestion',
  source: '002-23 (CDM-IP lets the engines register with the 4.x CDM after the downgrade)',
  docs: ruleDocs('meta/cdm-ip-missing'),
  check(ctx, report) {
    const v = get(ctx, 'version');
    const ver = v && parseMetaVersion(v.value);
    if (!ver || ver.major !== 4 || get(ctx, 'CDM-IP')) return;
    const last = ctx.doc.entries[ctx.doc.entries.length - 1];
    report({
      range: v!.valueRange,
      message: msg('meta/cdm-ip-missing.message', { value: v!.value }),
      fixes: [{ title: msg('meta/cdm-ip-missing.fix'), preferred: false, edits: [insertLineAfter(ctx.doc, last?.endLine, 'CDM-IP=')] }],
    });
  },
};

/** The meta file's `version` and the image its URL names, when both are there (the rules about the pair). */
function versionAndImage(ctx: KvContext) {
  const v = get(ctx, 'version');
  const ver = v && parseMetaVersion(v.value);
  const u = urlOf(ctx);
  if (!v || !ver || !u) return undefined;
  const name = urlFileName(u.parts);
  if (!IMAGE.test(name)) return undefined; // not an image name: meta/url-target says so
  const img = acns.imageVersion(name);
  return { v, ver, u, name, target: img && { major: img.parts[0], minor: img.parts[1] } };
}

const versionFileMismatch: MetaRule = {
  id: 'meta/version-file-mismatch',
  kind: 'acns-meta',
  severity: 'information',
  source: '002-12 (the samples name the target release in the image file)',
  docs: ruleDocs('meta/version-file-mismatch'),
  check(ctx, report) {
    const pair = versionAndImage(ctx);
    if (!pair) return;
    const { v, ver, name, target } = pair;
    if (!target || (target.major === ver.major && target.minor === ver.minor)) return;
    report({
      range: v.valueRange,
      message: msg('meta/version-file-mismatch.message', { value: v.value, name, major: target.major, minor: target.minor }),
    });
  },
};

const ftpLoginMissing: MetaRule = {
  id: 'meta/ftp-login-missing',
  kind: 'acns-meta',
  severity: 'information',
  source: '002-19 (the FTP login is the pair user and password)',
  docs: ruleDocs('meta/ftp-login-missing'),
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u || u.parts.scheme !== 'ftp' || u.parts.userinfo) return;
    // Half a login only: the guide does not make the two fields required (a server may need no login). An empty
    // value counts as absent (schema/minLength reports an empty `user=`).
    const missing = ['user', 'password'].filter((k) => !get(ctx, k)?.value);
    if (missing.length !== 1) return;
    report({ range: u.e.valueRange, message: msg('meta/ftp-login-missing.message', { key: missing[0] }) });
  },
};

const downgradeImage: MetaRule = {
  id: 'meta/downgrade-image',
  kind: 'acns-meta',
  severity: 'information',
  source: '002-32 (a downgrade to 4.2 installs the ACNS-5.x-TO-4.2.x image)',
  docs: ruleDocs('meta/downgrade-image'),
  check(ctx, report) {
    const pair = versionAndImage(ctx);
    if (!pair || pair.ver.major !== 4 || /-TO-\d/i.test(pair.name)) return;
    const { v, ver, u, name, target } = pair;
    if (target && (target.major !== ver.major || target.minor !== ver.minor)) return; // meta/version-file-mismatch
    report({ range: u.e.valueRange, message: msg('meta/downgrade-image.message', { name, value: v.value }) });
  },
};

const passwordExposed: MetaRule = {
  id: 'meta/password-exposed',
  kind: 'acns-meta',
  severity: 'information',
  source: '002-20 (anonymous FTP with an e-mail address in the samples; the meta file sits on a web server)',
  docs: ruleDocs('meta/password-exposed'),
  check(ctx, report) {
    const p = get(ctx, 'password');
    if (!p || p.value === '' || isEmailAddress(p.value)) return;
    report({
      range: p.valueRange,
      message: msg('meta/password-exposed.message'),
    });
  },
};

/**
 * `local@domain.tld`: one `@`, no blanks, a dot inside the domain. A loop, not `/^[^\s@]+@[^\s@]+\.[^\s@]+$/`,
 * which backtracks quadratically on a long value with many dots (`a@a.a.a.….a ` took 25 s at 99 KB).
 */
function isEmailAddress(v: string): boolean {
  const at = v.indexOf('@');
  if (at <= 0 || at !== v.lastIndexOf('@') || /\s/.test(v)) return false;
  const dot = v.indexOf('.', at + 2);
  return dot > 0 && dot < v.length - 1;
}

const imageSizeMismatch: MetaRule = {
  id: 'meta/image-size-mismatch',
  kind: 'acns-meta',
  severity: 'error',
  fix: 'preferred',
  source: '002-09 (updateFileSize is the size of the image in bytes)',
  docs: ruleDocs('meta/image-size-mismatch'),
  check(ctx, report) {
    const size = get(ctx, 'updateFileSize');
    const u = urlOf(ctx);
    if (!size || !u || !ctx.fs || !/^[1-9][0-9]*$/.test(size.value)) return;
    const name = urlFileName(u.parts);
    if (!name || name.includes('/') || name.includes('\\') || name === '.' || name === '..') return;
    const dirs = [...(ctx.path ? [path.dirname(ctx.path)] : []), ...ctx.imageSearchPaths];
    for (const dir of dirs) {
      const file = path.join(dir, name);
      const actual = ctx.fs.fileSize(file);
      if (actual === undefined) continue;
      if (String(actual) !== size.value) {
        const shownFile = ctx.path ? path.relative(path.dirname(ctx.path), file) : file;
        report({
          range: size.valueRange,
          message: msg('meta/image-size-mismatch.message', { size: size.value, shownFile, actual }),
          fixes: [{ title: msg('meta/image-size-mismatch.fix', { actual }), preferred: true, edits: [{ range: size.valueRange, newText: String(actual) }] }],
        });
      }
      return;
    }
  },
};

export const metaRules: MetaRule[] = [
  syntax,
  duplicateKey,
  keyCase,
  httpPort,
  httpCredentials,
  urlTarget,
  cdmIpNotDowngrade,
  cdmIpMissing,
  versionFileMismatch,
  passwordExposed,
  imageSizeMismatch,
  ftpLoginMissing,
  downgradeImage,
];
