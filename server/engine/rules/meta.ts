/** Rules for ACNS meta files (`*.meta`). Facts: reference 002, table 7-1 and the two sample files. */
import * as path from 'node:path';
import { deleteEntryLines, entryRange, insertLineAfter, type KvContext } from '../kvcontext';
import type { Rule } from '../rule';
import { splitUrl, urlFileName } from '../url';
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

const urlOf = (ctx: KvContext) => {
  const e = get(ctx, 'updateFileUrl');
  const parts = e ? splitUrl(e.value) : undefined;
  return e && parts ? { e, parts } : undefined;
};

const syntax: MetaRule = {
  id: 'meta/syntax', kind: 'acns-meta', severity: 'error', source: '002 table 7-1',
  docs: {
    en: { summary: 'Every line is `key=value`, a `#` comment or blank.', details: 'The CDM reads a meta file line by line and splits each line at its first `=`. A line without `=` is not a setting; it is most often a value that slipped onto its own line or a comment missing its `#`.', bad: 'updateFileSize=97205475\nversion 5.1.3\n', good: 'updateFileSize=97205475\nversion=5.1.3\n' },
    ja: { summary: '各行は `key=value`、`#` コメント、空行のいずれかであること。', details: 'CDM はメタファイルを 1 行ずつ読み、最初の `=` でキーと値に分けます。`=` のない行は設定として扱われません。多くの場合、値が別の行に折り返されたか、コメントの `#` が抜けています。', bad: 'updateFileSize=97205475\nversion 5.1.3\n', good: 'updateFileSize=97205475\nversion=5.1.3\n' },
  },
  check(ctx, report) {
    for (const p of ctx.doc.syntax) report({ range: p.range, message: p.message });
  },
};

const duplicateKey: MetaRule = {
  id: 'meta/duplicate-key', kind: 'acns-meta', severity: 'error', fix: 'preferred', source: '002 table 7-1',
  docs: {
    en: { summary: 'A key appears only once (letter case does not make it a different key).', details: 'With two lines for the same key it is unclear which one the CDM uses, and the one you edited may be the one ignored. upgrade-lint treats the first line as the setting and flags the later ones.', bad: 'version=5.1.3\nversion=5.1.4\n', good: 'version=5.1.3\n' },
    ja: { summary: 'キーは 1 回だけ書くこと（大文字・小文字が違っても同じキーとみなす）。', details: '同じキーの行が 2 つあると、CDM がどちらを使うか分からず、編集した方の行が無視されるおそれがあります。upgrade-lint は最初の行を設定とみなし、後の行を指摘します。', bad: 'version=5.1.3\nversion=5.1.4\n', good: 'version=5.1.3\n' },
  },
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e)!;
      const first = ctx.effective.get(key)!;
      if (first === e) continue;
      report({
        range: e.keyRange,
        message: { en: `\`${key}\` is already set on line ${first.line + 1}; remove one of the two lines.`, ja: `\`${key}\` は ${first.line + 1} 行目ですでに設定されています。どちらかの行を削除してください。` },
        fixes: [{ title: { en: `Remove this duplicate \`${e.key}\` line`, ja: `重複した \`${e.key}\` の行を削除` }, preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const keyCase: MetaRule = {
  id: 'meta/key-case', kind: 'acns-meta', severity: 'warning', fix: 'preferred', source: '002 (the guide spells the URL key three ways)',
  docs: {
    en: { summary: 'Keys use their canonical spelling, e.g. `updateFileUrl`.', details: 'The upgrade guide writes the URL key as `updateFileUrl`, `updateFileURL` and `UpdateFileUrl` in different places. The samples, which are known to work, use `updateFileUrl`. upgrade-lint accepts the other spellings (and checks their values as usual) but asks for the canonical one so that every meta file reads the same.', bad: 'UpdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n', good: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
    ja: { summary: 'キーは正式な綴り（例: `updateFileUrl`）で書くこと。', details: 'アップグレード ガイドでは URL のキーが `updateFileUrl`、`updateFileURL`、`UpdateFileUrl` と箇所によって異なる綴りで書かれています。動作が確認されているサンプルは `updateFileUrl` です。upgrade-lint は他の綴りも受け付けて値を通常どおり検査しますが、すべてのメタファイルを同じ書き方にそろえるため正式な綴りを求めます。', bad: 'UpdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n', good: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
  },
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e)!;
      if (key === e.key || !META_KEYS.includes(key)) continue;
      report({
        range: e.keyRange,
        message: { en: `Write \`${key}\` instead of \`${e.key}\` (canonical spelling).`, ja: `\`${e.key}\` ではなく正式な綴りの \`${key}\` と書いてください。` },
        fixes: [{ title: { en: `Rename to \`${key}\``, ja: `\`${key}\` に変更` }, preferred: true, edits: [{ range: e.keyRange, newText: key }] }],
      });
    }
  },
};

const httpPort: MetaRule = {
  id: 'meta/http-port', kind: 'acns-meta', severity: 'error', fix: 'preferred', source: '002 (note under table 7-1: HTTP only on port 80)',
  docs: {
    en: { summary: 'An `http://` image URL uses port 80.', details: 'Devices fetch images over HTTP on port 80 only. A URL such as `http://host:8080/…` is accepted by the GUI but the download fails on the devices during the maintenance window. Serve the image on port 80, or use FTP.', bad: 'updateFileUrl= http://files.example.com:8080/ACNS-5.1.3-K9.bin\n', good: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\n' },
    ja: { summary: '`http://` のイメージ URL はポート 80 を使うこと。', details: 'デバイスが HTTP でイメージを取得できるのはポート 80 だけです。`http://host:8080/…` のような URL は GUI では受け付けられますが、メンテナンス ウィンドウ中のデバイスでのダウンロードが失敗します。ポート 80 でイメージを公開するか、FTP を使ってください。', bad: 'updateFileUrl= http://files.example.com:8080/ACNS-5.1.3-K9.bin\n', good: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\n' },
  },
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u || u.parts.scheme !== 'http' || !u.parts.port) return;
    const port = u.parts.port;
    if (port.value === '' || /^0*80$/.test(port.value)) return;
    const idx = ctx.doc.index;
    const base = u.e.valueStart;
    report({
      range: u.e.valueRange,
      message: { en: `HTTP image URLs must use port 80, not ${port.value}: devices cannot download from another port.`, ja: `HTTP のイメージ URL はポート 80 を使う必要があります（${port.value} は不可）。デバイスは他のポートからダウンロードできません。` },
      fixes: [{ title: { en: `Remove \`${port.text}\` (use port 80)`, ja: `\`${port.text}\` を削除（ポート 80 を使用）` }, preferred: true, edits: [{ range: idx.range(base + port.start, base + port.end), newText: '' }] }],
    });
  },
};

const httpCredentials: MetaRule = {
  id: 'meta/http-credentials', kind: 'acns-meta', severity: 'error', fix: 'preferred', source: '002 table 7-1 (user/password are for FTP; authenticating HTTP servers are not supported)',
  docs: {
    en: { summary: 'No credentials with an `http://` image URL.', details: '`user` and `password` are used for FTP logins only, and HTTP servers that ask for authentication are not supported. With an HTTP URL, credentials do nothing except publish a password: remove them and serve the image without authentication, or switch to FTP.', bad: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\nuser=admin\npassword=secret\n', good: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\n' },
    ja: { summary: '`http://` のイメージ URL には資格情報を付けないこと。', details: '`user` と `password` は FTP のログインにだけ使われ、認証を要求する HTTP サーバはサポートされません。HTTP の URL では資格情報は役に立たず、パスワードを公開するだけです。削除して認証なしでイメージを公開するか、FTP に切り替えてください。', bad: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\nuser=admin\npassword=secret\n', good: 'updateFileUrl= http://files.example.com/ACNS-5.1.3-K9.bin\n' },
  },
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u || u.parts.scheme !== 'http') return;
    const idx = ctx.doc.index;
    if (u.parts.userinfo) {
      const ui = u.parts.userinfo;
      report({
        range: idx.range(u.e.valueStart + ui.start, u.e.valueStart + ui.end),
        message: { en: 'HTTP image URLs cannot carry a user name or password: authenticating HTTP servers are not supported.', ja: 'HTTP のイメージ URL にはユーザ名やパスワードを含められません。認証を要求する HTTP サーバはサポートされません。' },
        fixes: [{ title: { en: 'Remove the credentials from the URL', ja: 'URL から資格情報を削除' }, preferred: true, edits: [{ range: idx.range(u.e.valueStart + ui.start, u.e.valueStart + ui.end), newText: '' }] }],
      });
    }
    for (const e of ctx.doc.entries) {
      const key = ctx.canonical.get(e);
      if (key !== 'user' && key !== 'password') continue;
      report({
        range: entryRange(e),
        message: { en: `\`${key}\` is for FTP logins only; with an http:// URL it is not used and only exposes a credential.`, ja: `\`${key}\` は FTP ログイン専用です。http:// の URL では使われず、資格情報を公開するだけです。` },
        fixes: [{ title: { en: `Remove the \`${e.key}\` line`, ja: `\`${e.key}\` の行を削除` }, preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const urlTarget: MetaRule = {
  id: 'meta/url-target', kind: 'acns-meta', severity: 'warning', source: '002 (step 4 note: register the meta file, which points at the image)',
  docs: {
    en: { summary: 'The image URL names a `.bin` or `.upg` file.', details: 'The meta file is what you register in the CDM; `updateFileUrl` inside it must point at the software image itself. A URL to another `.meta` file, a folder or a web page makes the update fail only when the devices try to install it.', bad: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3.meta\n', good: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
    ja: { summary: 'イメージ URL は `.bin` または `.upg` ファイルを指すこと。', details: 'CDM に登録するのはメタファイルで、その中の `updateFileUrl` はソフトウェア イメージそのものを指す必要があります。別の `.meta` ファイルやフォルダ、Web ページを指していると、デバイスがインストールしようとした時点で初めて更新が失敗します。', bad: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3.meta\n', good: 'updateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
  },
  check(ctx, report) {
    const u = urlOf(ctx);
    if (!u) return;
    const name = urlFileName(u.parts);
    if (/\.(bin|upg)$/i.test(name)) return;
    const isMeta = /\.meta$/i.test(name);
    report({
      range: u.e.valueRange,
      message: isMeta
        ? { en: `The URL points at a meta file (\`${name}\`). updateFileUrl must name the image (.bin/.upg); it is the meta file that you register in the CDM.`, ja: `URL がメタファイル（\`${name}\`）を指しています。updateFileUrl にはイメージ（.bin/.upg）を指定します。CDM に登録するのがメタファイルです。` }
        : { en: `The URL does not name a .bin or .upg image file${name ? ` (it ends in \`${name}\`)` : ''}.`, ja: `URL が .bin または .upg のイメージ ファイルを指していません${name ? `（末尾は \`${name}\`）` : ''}。` },
    });
  },
};

const cdmIpNotDowngrade: MetaRule = {
  id: 'meta/cdm-ip-not-downgrade', kind: 'acns-meta', severity: 'warning', fix: 'preferred', source: '002 (CDM-IP applies only to downgrades to 4.x)',
  docs: {
    en: { summary: '`CDM-IP` appears only in meta files for a downgrade to 4.x.', details: '`CDM-IP` tells a Content Engine which ACNS 4.x CDM to register with after it has been downgraded to 4.x. In a meta file whose `version` is 5.x or later it has no effect, and usually means a downgrade file was copied as the starting point.', bad: 'version= 5.1.3\nCDM-IP=10.1.0.2\n', good: 'version= 5.1.3\n' },
    ja: { summary: '`CDM-IP` は 4.x へのダウングレード用メタファイルにだけ書くこと。', details: '`CDM-IP` は、4.x にダウングレードした Content Engine がどの ACNS 4.x CDM に登録するかを示します。`version` が 5.x 以降のメタファイルでは効果がなく、多くはダウングレード用ファイルを元にコピーしたことを意味します。', bad: 'version= 5.1.3\nCDM-IP=10.1.0.2\n', good: 'version= 5.1.3\n' },
  },
  check(ctx, report) {
    const ip = get(ctx, 'CDM-IP');
    const v = get(ctx, 'version');
    const ver = v && parseMetaVersion(v.value);
    if (!ip || !ver || ver.major === 4) return;
    report({
      range: entryRange(ip),
      message: { en: `CDM-IP only applies to a downgrade to ACNS 4.x; this meta file installs ${v!.value}.`, ja: `CDM-IP は ACNS 4.x へのダウングレードでのみ使われます。このメタファイルがインストールするのは ${v!.value} です。` },
      fixes: [{ title: { en: 'Remove the CDM-IP line', ja: 'CDM-IP の行を削除' }, preferred: true, edits: [deleteEntryLines(ctx.doc, ip)] }],
    });
  },
};

const cdmIpMissing: MetaRule = {
  id: 'meta/cdm-ip-missing', kind: 'acns-meta', severity: 'information', fix: 'suggestion', source: '002 (downgrade sample)',
  docs: {
    en: { summary: 'A downgrade to 4.x names the 4.x CDM with `CDM-IP`.', details: 'After a downgrade to ACNS 4.x, a Content Engine registers with the 4.x CDM at the `CDM-IP` address. Without it the engine has to be registered by hand on its console. The field is optional, hence information only.', bad: 'version= 4.2.0.b.1\n', good: 'version= 4.2.0.b.1\nCDM-IP=10.1.0.2\n' },
    ja: { summary: '4.x へのダウングレードでは `CDM-IP` で 4.x の CDM を指定すること。', details: 'ACNS 4.x へのダウングレード後、Content Engine は `CDM-IP` のアドレスの 4.x CDM に登録されます。指定がないと、各エンジンのコンソールから手作業で登録し直す必要があります。このフィールドは任意のため、情報レベルです。', bad: 'version= 4.2.0.b.1\n', good: 'version= 4.2.0.b.1\nCDM-IP=10.1.0.2\n' },
  },
  check(ctx, report) {
    const v = get(ctx, 'version');
    const ver = v && parseMetaVersion(v.value);
    if (!ver || ver.major !== 4 || get(ctx, 'CDM-IP')) return;
    const last = ctx.doc.entries[ctx.doc.entries.length - 1];
    report({
      range: v!.valueRange,
      message: { en: `This meta file downgrades to ${v!.value} but has no CDM-IP: engines will not know which 4.x CDM to register with.`, ja: `このメタファイルは ${v!.value} へのダウングレード用ですが CDM-IP がありません。エンジンは登録先の 4.x CDM が分かりません。` },
      fixes: [{ title: { en: 'Add a CDM-IP= line', ja: 'CDM-IP= の行を追加' }, preferred: false, edits: [insertLineAfter(ctx.doc, last?.endLine, 'CDM-IP=')] }],
    });
  },
};

/** MAJOR.MINOR of the target version in an image file name, e.g. ACNS-5.1.3-K9.bin → 5.1, ACNS-5.x.x-TO-4.2.1-K9.bin → 4.2. */
export function imageTargetVersion(fileName: string): { major: number; minor: number } | undefined {
  const to = /-TO-(\d+)\.(\d+)/i.exec(fileName);
  const m = to ?? /(?:^|[^0-9.])(\d+)\.(\d+)(?:\.[0-9x]+)*/i.exec(fileName);
  return m ? { major: +m[1], minor: +m[2] } : undefined;
}

const versionFileMismatch: MetaRule = {
  id: 'meta/version-file-mismatch', kind: 'acns-meta', severity: 'information', source: '002 (the samples name the target version in the image file)',
  docs: {
    en: { summary: '`version` agrees with the version in the image file name.', details: 'Cisco image names carry the version they install: `ACNS-5.1.3-K9.bin` installs 5.1, `ACNS-5.x.x-TO-4.2.1-K9.bin` goes to 4.2. When MAJOR.MINOR of `version` differs, one of the two lines was probably copied from another meta file and not updated.', bad: 'version= 5.0.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n', good: 'version= 5.1.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
    ja: { summary: '`version` がイメージ ファイル名のバージョンと一致すること。', details: 'Cisco のイメージ名にはインストール先のバージョンが含まれます。`ACNS-5.1.3-K9.bin` は 5.1、`ACNS-5.x.x-TO-4.2.1-K9.bin` は 4.2 です。`version` の MAJOR.MINOR が異なる場合、どちらかの行が別のメタファイルからコピーされたまま更新されていない可能性があります。', bad: 'version= 5.0.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n', good: 'version= 5.1.3\nupdateFileUrl= ftp://files.example.com/ACNS-5.1.3-K9.bin\n' },
  },
  check(ctx, report) {
    const v = get(ctx, 'version');
    const ver = v && parseMetaVersion(v.value);
    const u = urlOf(ctx);
    if (!ver || !u) return;
    const name = urlFileName(u.parts);
    if (!/\.(bin|upg)$/i.test(name)) return; // not an image name: meta/url-target says so
    const target = imageTargetVersion(name);
    if (!target || (target.major === ver.major && target.minor === ver.minor)) return;
    report({
      range: v!.valueRange,
      message: { en: `version ${v!.value} does not match the image \`${name}\`, which installs ${target.major}.${target.minor}.`, ja: `version ${v!.value} がイメージ \`${name}\`（${target.major}.${target.minor} をインストール）と一致しません。` },
    });
  },
};

const passwordExposed: MetaRule = {
  id: 'meta/password-exposed', kind: 'acns-meta', severity: 'information', source: '002 (meta files are published on a web server)',
  docs: {
    en: { summary: '`password` is an e-mail address (anonymous FTP), not a real password.', details: 'The meta file is served by a web server so that the CDM can fetch it, which means anyone who can reach that server can read the password in it. The documented convention is anonymous FTP with an e-mail address as password. If the FTP server needs a real account, give it read access to the images only.', bad: 'user=cdmupdate\npassword=Winter2026!\n', good: 'user=anonymous\npassword=noc@example.com\n' },
    ja: { summary: '`password` は実際のパスワードではなく電子メール アドレス（匿名 FTP）にすること。', details: 'メタファイルは CDM が取得できるよう Web サーバで公開されるため、そのサーバにアクセスできる人は誰でも中のパスワードを読めます。文書化されている慣例は、パスワードに電子メール アドレスを使う匿名 FTP です。実アカウントが必要な FTP サーバでは、そのアカウントにイメージの読み取り権限だけを与えてください。', bad: 'user=cdmupdate\npassword=Winter2026!\n', good: 'user=anonymous\npassword=noc@example.com\n' },
  },
  check(ctx, report) {
    const p = get(ctx, 'password');
    if (!p || p.value === '' || isEmailAddress(p.value)) return;
    report({
      range: p.valueRange,
      message: { en: 'This password is readable by anyone who can fetch the meta file from its web server; prefer anonymous FTP with an e-mail address.', ja: 'このパスワードは、Web サーバからメタファイルを取得できる人なら誰でも読めます。電子メール アドレスを使う匿名 FTP を推奨します。' },
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
  id: 'meta/image-size-mismatch', kind: 'acns-meta', severity: 'error', fix: 'preferred', source: '002 table 7-1 (updateFileSize is the size of the image)',
  docs: {
    en: { summary: '`updateFileSize` equals the size of the image, when the image is at hand.', details: 'When the image named by `updateFileUrl` exists locally — next to the meta file or in one of the `imageSearchPaths` — upgrade-lint compares its size in bytes with `updateFileSize`. A mismatch means the meta file describes another build than the one you are about to publish, and the devices reject the download.', bad: 'updateFileSize=97205474\n', good: 'updateFileSize=97205475\n' },
    ja: { summary: 'イメージが手元にある場合、`updateFileSize` がそのサイズと一致すること。', details: '`updateFileUrl` が指すイメージがローカルに存在する場合（メタファイルと同じフォルダ、または `imageSearchPaths` のいずれか）、upgrade-lint はそのバイト数を `updateFileSize` と比較します。一致しない場合、メタファイルは公開しようとしているものとは別のビルドを記述しており、デバイスはダウンロードを拒否します。', bad: 'updateFileSize=97205474\n', good: 'updateFileSize=97205475\n' },
  },
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
          message: { en: `updateFileSize is ${size.value} but the image ${shownFile} is ${actual} bytes.`, ja: `updateFileSize は ${size.value} ですが、イメージ ${shownFile} は ${actual} バイトです。` },
          fixes: [{ title: { en: `Set updateFileSize to ${actual}`, ja: `updateFileSize を ${actual} に設定` }, preferred: true, edits: [{ range: size.valueRange, newText: String(actual) }] }],
        });
      }
      return;
    }
  },
};

export const metaRules: MetaRule[] = [
  syntax, duplicateKey, keyCase, httpPort, httpCredentials, urlTarget, cdmIpNotDowngrade, cdmIpMissing,
  versionFileMismatch, passwordExposed, imageSizeMismatch,
];
