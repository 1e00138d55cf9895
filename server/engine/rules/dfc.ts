/** Rules for CUPM `dfc.properties`. Facts: reference 001 (ports tables 2-3/2-4, database restore steps). */
import { isIP } from 'node:net';
import { deleteEntryLines, type KvContext } from '../kvcontext';
import type { Rule } from '../rule';
import type { Entry } from '../parse/kv';

type DfcRule = Rule<KvContext>;

/** Ports CUPM uses itself that are not set in dfc.properties (001 tables 2-3, 2-4). */
export const RESERVED_PORTS: Record<string, { en: string; ja: string }> = {
  '46009': { en: 'JBoss AJP', ja: 'JBoss AJP' },
  '46083': { en: 'JBoss web services', ja: 'JBoss Web サービス' },
  '46098': { en: 'JBoss RMI', ja: 'JBoss RMI' },
  '46099': { en: 'JBoss JNP service', ja: 'JBoss JNP サービス' },
  '46443': { en: 'Apache HTTPS, set in ssl.conf', ja: 'Apache HTTPS、ssl.conf で設定' },
  '46444': { en: 'JBoss JRMP', ja: 'JBoss JRMP' },
  '46445': { en: 'JBoss transaction manager', ja: 'JBoss トランザクション マネージャ' },
  '46446': { en: 'JBoss remoting server', ja: 'JBoss リモーティング サーバ' },
  '46457': { en: 'JBoss bisocket transport', ja: 'JBoss バイソケット トランスポート' },
};

export const isPortKey = (key: string) => key === 'dfc.webport' || key.endsWith('.port');

/** The entries that count: the last one of each key, in file order. */
function effectiveEntries(ctx: KvContext): Entry[] {
  return ctx.doc.entries.filter((e) => ctx.effective.get(e.key) === e);
}

export function isHost(s: string): boolean {
  if (isIP(s) !== 0) return true;
  if (/^[0-9.]+$/.test(s)) return false; // looks like an IPv4 address but is not one
  if (s.length > 253) return false;
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(s);
}

const syntax: DfcRule = {
  id: 'dfc/syntax', kind: 'cupm-properties', severity: 'error', source: '001 (dfc.properties is a Java properties file)',
  docs: {
    en: { summary: 'Every line is valid Java-properties syntax.', details: 'CUPM reads dfc.properties with Java. A malformed `\\uXXXX` escape makes Java refuse the whole file; a key with no `=` and no value, a value with no key, or a continuation backslash on the last line almost always come from a bad edit.', bad: 'dfc.webport\ndfc.postgres.database=cupm\\u00\n', good: 'dfc.webport=80\ndfc.postgres.database=cupm\n' },
    ja: { summary: '各行が Java プロパティ形式として正しいこと。', details: 'CUPM は dfc.properties を Java で読み込みます。不正な `\\uXXXX` エスケープがあると Java はファイル全体を読み込めません。`=` も値もないキー、キーのない値、最終行の継続バックスラッシュは、ほとんどが編集ミスです。', bad: 'dfc.webport\ndfc.postgres.database=cupm\\u00\n', good: 'dfc.webport=80\ndfc.postgres.database=cupm\n' },
  },
  check(ctx, report) {
    for (const p of ctx.doc.syntax) report({ range: p.range, message: p.message });
  },
};

const duplicateKey: DfcRule = {
  id: 'dfc/duplicate-key', kind: 'cupm-properties', severity: 'warning', fix: 'preferred', source: '001 (Java keeps the last value)',
  docs: {
    en: { summary: 'A key is set once.', details: 'When a key appears twice, Java keeps the last value and silently ignores the earlier line. If you change the earlier one during an upgrade, nothing happens. The warning is on the line that has no effect.', bad: 'dfc.webport=80\ndfc.webport=8080\n', good: 'dfc.webport=8080\n' },
    ja: { summary: 'キーは 1 回だけ設定すること。', details: 'キーが 2 回現れると、Java は最後の値を採用し、前の行は黙って無視されます。アップグレード中に前の行を変更しても何も起こりません。警告は効果のない方の行に出ます。', bad: 'dfc.webport=80\ndfc.webport=8080\n', good: 'dfc.webport=8080\n' },
  },
  check(ctx, report) {
    for (const e of ctx.doc.entries) {
      const winner = ctx.effective.get(e.key)!;
      if (winner === e) continue;
      report({
        range: e.keyRange,
        message: { en: `\`${e.key}\` is set again on line ${winner.line + 1}; Java uses that later value, so this line has no effect.`, ja: `\`${e.key}\` は ${winner.line + 1} 行目で再設定されています。Java は後の値を使うため、この行は効果がありません。` },
        fixes: [{ title: { en: `Remove this earlier \`${e.key}\` line`, ja: `前にある \`${e.key}\` の行を削除` }, preferred: true, edits: [deleteEntryLines(ctx.doc, e)] }],
      });
    }
  },
};

const portFormat: DfcRule = {
  id: 'dfc/port-format', kind: 'cupm-properties', severity: 'error', source: '001 (port tables)',
  docs: {
    en: { summary: 'Port values are whole numbers from 1 to 65535.', details: '`dfc.webport` and every key ending in `.port` hold a TCP port. Anything else — a host:port pair, a number out of range, a stray character — makes the service fail to start after the upgrade.', bad: 'dfc.postgres.port=5432x\n', good: 'dfc.postgres.port=5432\n' },
    ja: { summary: 'ポートの値は 1〜65535 の整数であること。', details: '`dfc.webport` と `.port` で終わるすべてのキーには TCP ポートを書きます。それ以外の値（host:port の組、範囲外の数値、余分な文字など）では、アップグレード後にサービスが起動しません。', bad: 'dfc.postgres.port=5432x\n', good: 'dfc.postgres.port=5432\n' },
  },
  check(ctx, report) {
    for (const e of effectiveEntries(ctx)) {
      if (!isPortKey(e.key) || (e.value === '' && e.key.startsWith('dfc.') && isKnown(e.key))) continue;
      const n = /^[0-9]+$/.test(e.value) ? Number(e.value) : NaN;
      if (n >= 1 && n <= 65535) continue;
      report({
        range: e.value === '' ? e.keyRange : e.valueRange,
        message: e.value === ''
          ? { en: `\`${e.key}\` has no port number.`, ja: `\`${e.key}\` にポート番号がありません。` }
          : { en: `\`${e.value}\` is not a TCP port: \`${e.key}\` takes a whole number from 1 to 65535.`, ja: `\`${e.value}\` は TCP ポートではありません。\`${e.key}\` には 1〜65535 の整数を指定します。` },
      });
    }
  },
};

const KNOWN = new Set(['dfc.webport', 'dfc.jboss.port', 'dfc.postgres.port', 'dfc.nice.rmi.registry.internal.port']);
const isKnown = (k: string) => KNOWN.has(k);

const portConflict: DfcRule = {
  id: 'dfc/port-conflict', kind: 'cupm-properties', severity: 'error', source: '001 (each service needs its own free port)',
  docs: {
    en: { summary: 'No two port keys share a value.', details: 'Apache, JBoss, PostgreSQL and the NICE engine each listen on their own port. When two keys name the same port, the second service cannot bind it and CUPM does not come up after the upgrade.', bad: 'dfc.webport=46008\ndfc.jboss.port=46008\n', good: 'dfc.webport=80\ndfc.jboss.port=46008\n' },
    ja: { summary: '複数のポート キーが同じ値を共有しないこと。', details: 'Apache、JBoss、PostgreSQL、NICE エンジンはそれぞれ専用のポートで待ち受けます。2 つのキーが同じポートを指定すると、後から起動するサービスがポートを使えず、アップグレード後に CUPM が起動しません。', bad: 'dfc.webport=46008\ndfc.jboss.port=46008\n', good: 'dfc.webport=80\ndfc.jboss.port=46008\n' },
  },
  check(ctx, report) {
    const seen = new Map<number, Entry>();
    for (const e of effectiveEntries(ctx)) {
      if (!isPortKey(e.key) || !/^[0-9]+$/.test(e.value)) continue;
      const n = Number(e.value);
      const first = seen.get(n);
      if (!first) { seen.set(n, e); continue; }
      report({
        range: e.valueRange,
        message: { en: `Port ${n} is already used by \`${first.key}\` (line ${first.line + 1}); two services cannot listen on the same port.`, ja: `ポート ${n} は \`${first.key}\`（${first.line + 1} 行目）ですでに使われています。2 つのサービスが同じポートで待ち受けることはできません。` },
      });
    }
  },
};

const reservedPort: DfcRule = {
  id: 'dfc/reserved-port', kind: 'cupm-properties', severity: 'warning', source: '001 tables 2-3 and 2-4',
  docs: {
    en: { summary: 'Port keys avoid the ports CUPM uses internally.', details: 'Besides the configurable ports, CUPM uses fixed ports for JBoss (46009, 46083, 46098, 46099, 46444, 46445, 46446, 46457) and for HTTPS (46443, set in ssl.conf). A configurable port set to one of them collides once the whole product runs.', bad: 'dfc.jboss.port=46009\n', good: 'dfc.jboss.port=46008\n' },
    ja: { summary: 'ポート キーに CUPM が内部で使うポートを使わないこと。', details: '設定可能なポートのほかに、CUPM は JBoss（46009、46083、46098、46099、46444、46445、46446、46457）と HTTPS（ssl.conf で設定する 46443）に固定ポートを使います。設定可能なポートをこれらのいずれかにすると、製品全体が動き出したときに衝突します。', bad: 'dfc.jboss.port=46009\n', good: 'dfc.jboss.port=46008\n' },
  },
  check(ctx, report) {
    for (const e of effectiveEntries(ctx)) {
      if (!isPortKey(e.key) || !/^[0-9]+$/.test(e.value)) continue;
      const owner = RESERVED_PORTS[String(Number(e.value))];
      if (!owner) continue;
      report({
        range: e.valueRange,
        message: { en: `Port ${e.value} is used by CUPM itself (${owner.en}); choose another port for \`${e.key}\`.`, ja: `ポート ${e.value} は CUPM 自身が使用しています（${owner.ja}）。\`${e.key}\` には別のポートを選んでください。` },
      });
    }
  },
};

const hostFormat: DfcRule = {
  id: 'dfc/host-format', kind: 'cupm-properties', severity: 'error', source: '001 (database restore steps)',
  docs: {
    en: { summary: 'Database hosts are host names or IP addresses.', details: '`dfc.postgres.host` and each comma-separated entry of `dfc.postgres.hostlist` must be a DNS host name, an IPv4 or an IPv6 address. Underscores, URLs, `host:port` pairs and empty list entries keep the application server from reaching its database.', bad: 'dfc.postgres.host=db_01.example.com\ndfc.postgres.hostlist=db1,,db2\n', good: 'dfc.postgres.host=db01.example.com\n' },
    ja: { summary: 'データベース ホストはホスト名または IP アドレスであること。', details: '`dfc.postgres.host` と `dfc.postgres.hostlist` のカンマ区切りの各要素は、DNS ホスト名、IPv4 アドレス、IPv6 アドレスのいずれかである必要があります。アンダースコア、URL、`host:port` の組、空の要素があると、アプリケーション サーバがデータベースに接続できません。', bad: 'dfc.postgres.host=db_01.example.com\ndfc.postgres.hostlist=db1,,db2\n', good: 'dfc.postgres.host=db01.example.com\n' },
  },
  check(ctx, report) {
    const idx = ctx.doc.index;
    const host = ctx.effective.get('dfc.postgres.host');
    if (host && host.value !== '' && !isHost(host.value)) {
      report({ range: host.valueRange, message: hostMessage(host.value) });
    }
    const list = ctx.effective.get('dfc.postgres.hostlist');
    if (!list || list.value === '') return;
    // Offsets of the items are exact when the value is written on one line without escapes.
    const raw = idx.text.slice(list.valueStart, list.valueEnd);
    const exact = raw === list.value;
    let pos = 0;
    for (const item of list.value.split(',')) {
      const start = pos + (item.length - item.trimStart().length);
      const trimmed = item.trim();
      pos += item.length + 1;
      if (trimmed !== '' && isHost(trimmed)) continue;
      const itemStart = pos - item.length - 1;
      // An empty entry is shown on the commas around it; a bad one on its own characters.
      const range = !exact ? list.valueRange : trimmed === ''
        ? idx.range(list.valueStart + Math.max(0, itemStart - 1), list.valueStart + Math.min(list.value.length, pos))
        : idx.range(list.valueStart + start, list.valueStart + start + trimmed.length);
      report({
        range,
        message: trimmed === ''
          ? { en: 'dfc.postgres.hostlist has an empty entry (two commas in a row, or a comma at an end).', ja: 'dfc.postgres.hostlist に空の要素があります（カンマの連続、または先頭・末尾のカンマ）。' }
          : hostMessage(trimmed),
      });
    }
  },
};

function hostMessage(v: string) {
  const why = v.includes('_')
    ? { en: ' (underscores are not allowed in host names)', ja: '（ホスト名にアンダースコアは使えません）' }
    : /:\d+$/.test(v) && isIP(v) === 0
      ? { en: ' (put the port in dfc.postgres.port, not in the host)', ja: '（ポートはホストではなく dfc.postgres.port に書きます）' }
      : { en: '', ja: '' };
  return {
    en: `\`${v}\` is not a host name or IP address${why.en}.`,
    ja: `\`${v}\` はホスト名でも IP アドレスでもありません${why.ja}。`,
  };
}

const hostAndHostlist: DfcRule = {
  id: 'dfc/host-and-hostlist', kind: 'cupm-properties', severity: 'warning', source: '001 (single-system vs. distributed database)',
  docs: {
    en: { summary: 'Either `dfc.postgres.host` or `dfc.postgres.hostlist`, not both.', details: '`dfc.postgres.host` is for a database on one system, `dfc.postgres.hostlist` for a database on several systems. With both set it is unclear which one the application uses, and a restore may point at the wrong system.', bad: 'dfc.postgres.host=db01\ndfc.postgres.hostlist=db01,db02\n', good: 'dfc.postgres.hostlist=db01,db02\n' },
    ja: { summary: '`dfc.postgres.host` と `dfc.postgres.hostlist` はどちらか一方だけにすること。', details: '`dfc.postgres.host` はデータベースが 1 台のシステムにある場合、`dfc.postgres.hostlist` は複数のシステムにある場合に使います。両方が設定されているとアプリケーションがどちらを使うか分からず、復元時に誤ったシステムを指すおそれがあります。', bad: 'dfc.postgres.host=db01\ndfc.postgres.hostlist=db01,db02\n', good: 'dfc.postgres.hostlist=db01,db02\n' },
  },
  check(ctx, report) {
    const host = ctx.effective.get('dfc.postgres.host');
    const list = ctx.effective.get('dfc.postgres.hostlist');
    if (!host || !list) return;
    const later = host.line > list.line ? host : list;
    const other = later === host ? list : host;
    report({
      range: later.keyRange,
      message: { en: `Both dfc.postgres.host and dfc.postgres.hostlist are set (the other on line ${other.line + 1}); keep only the one that matches your database layout.`, ja: `dfc.postgres.host と dfc.postgres.hostlist の両方が設定されています（もう一方は ${other.line + 1} 行目）。データベース構成に合う方だけを残してください。` },
    });
  },
};

export const dfcRules: DfcRule[] = [syntax, duplicateKey, portFormat, portConflict, reservedPort, hostFormat, hostAndHostlist];
