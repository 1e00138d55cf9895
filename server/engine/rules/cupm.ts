/** CUPM manifest rules (product: cupm). Facts: reference 001. */
import { firstUpgrade, hasStep, lastUpgrade, related } from '../manifest';
import { ruleMeta } from './index';
import { compareVersions, v } from '../versions';
import { doc } from '../util';
import type { ManifestRule } from './manifest';
import type { Severity } from '../types';

const P = ['cupm'];

const upgradePath: ManifestRule = {
  id: 'cupm/upgrade-path', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (upgrade from 2.1 or 2.2)',
  docs: doc('Upgrades to 8.5 start from 2.1 or 2.2.', 'Provisioning Manager 8.5 can be upgraded to only from 2.1 or 2.2. From another release, upgrade to 2.2 first.', '8.5 へのアップグレードは 2.1 または 2.2 から行うこと。', 'Provisioning Manager 8.5 へアップグレードできるのは 2.1 または 2.2 からだけです。それ以外のリリースからは、先に 2.2 へアップグレードします。'),
  check(ctx, report) {
    if (!ctx.to || !ctx.from || ctx.to.parts[0] !== 8 || ctx.to.parts[1] !== 5) return;
    if (compareVersions(ctx.from, v('2.1'), 2) === 0 || compareVersions(ctx.from, v('2.2'), 2) === 0) return;
    report({ range: ctx.range('/from'), message: { en: `CUPM ${ctx.to.text} can be upgraded to from 2.1 or 2.2 only, not from ${ctx.from.text}.`, ja: `CUPM ${ctx.to.text} へアップグレードできるのは 2.1 または 2.2 からだけです（${ctx.from.text} からは不可）。` } });
  },
};

const sizeMemory: ManifestRule = {
  id: 'cupm/size-memory', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (size models, 4 GB memory)',
  docs: doc('Medium and large systems have at least 4 GB on the application server.', 'For the medium and large size models, the application (or all-in-one) server needs at least 4 GB (4096 MB) of memory.', 'medium と large ではアプリケーション サーバに 4 GB 以上のメモリがあること。', 'medium と large の規模モデルでは、アプリケーション（またはオールインワン）サーバに 4 GB（4096 MB）以上のメモリが必要です。'),
  check(ctx, report) {
    if (ctx.m.size !== 'medium' && ctx.m.size !== 'large') return;
    for (const n of ctx.nodes) {
      const mem = n.data.memoryMB;
      if ((n.role !== 'application' && n.role !== 'all-in-one') || typeof mem !== 'number' || mem >= 4096) continue;
      report({ range: ctx.range(`/nodes/${n.index}/memoryMB`), message: { en: `${n.name} has ${mem} MB; a ${String(ctx.m.size)} CUPM needs at least 4096 MB on the application server.`, ja: `${n.name} のメモリは ${mem} MB です。${String(ctx.m.size)} 規模の CUPM では、アプリケーション サーバに 4096 MB 以上が必要です。` } });
    }
  },
};

const sizeTiny: ManifestRule = {
  id: 'cupm/size-tiny', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '001 (tiny is not supported in production)',
  docs: doc('`size: tiny` is not used in production.', 'The tiny size model can be selected but is not a supported configuration for production systems.', '実稼動では `size: tiny` を使わないこと。', 'tiny 規模モデルは選択できますが、実稼動環境でサポートされる構成ではありません。'),
  check(ctx, report) {
    if (ctx.m.size !== 'tiny') return;
    report({ range: ctx.range('/size'), message: { en: 'The tiny size model is not supported in production.', ja: 'tiny 規模モデルは実稼動環境ではサポートされません。' } });
  },
};

const installDirSpace: ManifestRule = {
  id: 'cupm/install-dir-space', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (installation directory)',
  docs: doc('The installation directory has no spaces.', 'CUPM cannot be installed in a directory whose path contains a space (such as `C:\\Program Files\\CUPM`). Use a path like `C:\\CUPM`.', 'インストール ディレクトリに空白を含めないこと。', 'CUPM は、パスに空白を含むディレクトリ（`C:\\Program Files\\CUPM` など）にはインストールできません。`C:\\CUPM` のようなパスを使ってください。'),
  check(ctx, report) {
    const d = ctx.m.installDir;
    if (typeof d !== 'string' || !/\s/.test(d)) return;
    report({ range: ctx.range('/installDir'), message: { en: `The installation directory \`${d}\` contains a space.`, ja: `インストール ディレクトリ \`${d}\` に空白が含まれています。` } });
  },
};

const windowsUserLength: ManifestRule = {
  id: 'cupm/windows-user-length', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (user-name limits)',
  docs: doc('The Windows user name has at most 20 characters.', 'Windows limits user names to 20 characters; CUPM\'s database user (default `cupmuser`) must fit.', 'Windows ユーザ名は 20 文字以内であること。', 'Windows のユーザ名は 20 文字までです。CUPM のデータベース ユーザ（デフォルト `cupmuser`）もこれに収まる必要があります。'),
  check(ctx, report) {
    const u = ctx.m.windowsUser;
    if (typeof u !== 'string' || u.length <= 20) return;
    report({ range: ctx.range('/windowsUser'), message: { en: `windowsUser \`${u}\` has ${u.length} characters; the limit is 20.`, ja: `windowsUser \`${u}\` は ${u.length} 文字です。上限は 20 文字です。` } });
  },
};

const sameOs: ManifestRule = {
  id: 'cupm/same-os', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (distributed installation)',
  docs: doc('In a distributed install, database and application servers run the same OS.', 'A distributed CUPM needs the same operating system on the database and the application server.', '分散インストールでは、データベースとアプリケーション サーバの OS を同じにすること。', '分散構成の CUPM では、データベース サーバとアプリケーション サーバで同じオペレーティング システムが必要です。'),
  check(ctx, report) {
    if (ctx.m.deployment !== 'distributed') return;
    const db = ctx.nodes.find((n) => n.role === 'database' && typeof n.data.os === 'string');
    if (!db) return;
    for (const n of ctx.nodes) {
      if (n.role !== 'application' || typeof n.data.os !== 'string' || n.data.os === db.data.os) continue;
      report({ range: ctx.range(`/nodes/${n.index}/os`), message: { en: `${n.name} runs ${n.data.os} but the database server ${db.name} runs ${String(db.data.os)}.`, ja: `${n.name} は ${n.data.os} ですが、データベース サーバ ${db.name} は ${String(db.data.os)} です。` }, related: [related(ctx.range(`/nodes/${db.index}/os`), 'OS of the database server', 'データベース サーバの OS')] });
    }
  },
};

const windows2008: ManifestRule = {
  id: 'cupm/windows-2008', kind: 'upgrade-manifest', severity: 'error', products: P, source: '001 (supported operating systems)',
  docs: doc('Windows Server 2008 only with CUPM 8.5 or later.', 'Windows Server 2008 is supported from Provisioning Manager 8.5 on; earlier releases need Windows Server 2003.', 'Windows Server 2008 は CUPM 8.5 以降でのみ使うこと。', 'Windows Server 2008 がサポートされるのは Provisioning Manager 8.5 以降です。それ以前のリリースでは Windows Server 2003 が必要です。'),
  check(ctx, report) {
    if (!ctx.to || compareVersions(ctx.to, v('8.5'), 2) >= 0) return;
    for (const n of ctx.nodes) {
      if (n.data.os !== 'windows-2008') continue;
      report({ range: ctx.range(`/nodes/${n.index}/os`), message: { en: `${n.name} runs Windows Server 2008, which CUPM ${ctx.to.text} does not support (8.5 or later needed).`, ja: `${n.name} は Windows Server 2008 ですが、CUPM ${ctx.to.text} はこれをサポートしません（8.5 以降が必要）。` } });
    }
  },
};

const backup: ManifestRule = {
  id: 'cupm/backup', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '001 (pg_dumpall backup before the upgrade)',
  docs: doc('The database is backed up with pg_dumpall before the upgrade.', 'Back up the CUPM PostgreSQL database with `pg_dumpall` (a `backup` step with `target: pg_dumpall`) before the first upgrade step; the restore procedure starts from that dump.', 'アップグレード前に pg_dumpall でデータベースをバックアップすること。', '最初のアップグレード手順の前に、CUPM の PostgreSQL データベースを `pg_dumpall` でバックアップします（`target: pg_dumpall` の `backup` 手順）。復元手順はそのダンプから始まります。'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'backup', target: 'pg_dumpall' }, { before: f })) return;
    report({ range: f.range, message: { en: 'No pg_dumpall backup comes before this first upgrade step.', ja: 'この最初のアップグレード手順の前に pg_dumpall のバックアップがありません。' } });
  },
};

const postSync: ManifestRule = {
  id: 'cupm/post-sync', kind: 'upgrade-manifest', severity: 'information', products: P, source: '001 (synchronise after the upgrade)',
  docs: doc('A sync step follows the last upgrade.', 'After the upgrade, synchronise Provisioning Manager with the call processors and unified messaging processors so that its data is current.', '最後のアップグレードの後に同期手順があること。', 'アップグレード後、Provisioning Manager のデータを最新にするため、コール プロセッサやユニファイド メッセージ プロセッサと同期します。'),
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || hasStep(ctx, { action: 'sync' }, { after: l })) return;
    report({ range: l.range, message: { en: 'No sync step comes after the last upgrade step.', ja: '最後のアップグレード手順の後に同期（sync）手順がありません。' } });
  },
};

const ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

const properties: ManifestRule = {
  id: 'cupm/properties', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '001 (dfc.properties)',
  docs: doc('The `propertiesFile` has no problems.', 'When `propertiesFile` exists, its `dfc/*` diagnostics are summarised on the `propertiesFile` line of the manifest, with the severity of the worst one, so a plan is not approved with a broken dfc.properties.', '`propertiesFile` に問題がないこと。', '`propertiesFile` が存在する場合、その `dfc/*` の診断をマニフェストの `propertiesFile` の行に、最も重いものの重大度でまとめて表示します。これにより、壊れた dfc.properties のまま計画が承認されるのを防ぎます。'),
  check(ctx, report) {
    const p = ctx.m.propertiesFile;
    if (typeof p !== 'string' || !ctx.lintReferenced) return;
    const abs = ctx.resolve(p);
    const diags = abs ? ctx.lintReferenced(abs, 'cupm-properties') : undefined;
    if (!diags?.length) return;
    const worst = diags.map((d) => d.severity).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0];
    // Another file's problems are named by line and rule only, with the rule's own summary: its messages quote
    // its values, and the referenced file may be anything (a manifest in a pull request can point anywhere).
    const summary = (rule: string, l: 'en' | 'ja') => ruleMeta(rule)?.docs[l].summary ?? rule;
    const shown = diags.slice(0, 3).map((d) => `line ${d.range.start.line + 1} (${d.rule})`).join(', ');
    const shownJa = diags.slice(0, 3).map((d) => `${d.range.start.line + 1} 行目（${d.rule}）`).join('、');
    report({
      range: ctx.range('/propertiesFile'),
      severity: worst,
      message: { en: `${p} has ${diags.length} problem${diags.length === 1 ? '' : 's'}: ${shown}${diags.length > 3 ? ', …' : ''}.`, ja: `${p} に ${diags.length} 件の問題があります: ${shownJa}${diags.length > 3 ? '、…' : ''}。` },
      related: diags.slice(0, 10).map((d) => ({ range: d.range, path: abs, message: { en: `${d.rule}: ${summary(d.rule, 'en')}`, ja: `${d.rule}: ${summary(d.rule, 'ja')}` } })),
    });
  },
};

export const cupmRules: ManifestRule[] = [upgradePath, sizeMemory, sizeTiny, installDirSpace, windowsUserLength, sameOs, windows2008, backup, postSync, properties];
