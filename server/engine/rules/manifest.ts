/** Rules for upgrade manifests of every product. */
import { firstUpgrade, hasStep, isUpgrade, related, type ManifestContext } from '../manifest';
import type { Rule } from '../rule';
import { doc, escapePointer, SECRET_KEY, Suggester } from '../util';
import { yamlScalar } from '../parse/yaml';
import { compareVersions } from '../versions';

export type ManifestRule = Rule<ManifestContext> & { products?: string[] };

const ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

const duplicateNode: ManifestRule = {
  id: 'manifest/duplicate-node', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint manifest format',
  docs: doc('Node names are unique.', 'Steps refer to nodes by name; with two nodes of the same name it is ambiguous which machine a step acts on.', 'ノード名は一意であること。', '手順はノードを名前で参照します。同じ名前のノードが 2 つあると、手順がどのマシンに作用するか曖昧になります。'),
  check(ctx, report) {
    const seen = new Map<string, (typeof ctx.nodes)[number]>();
    for (const n of ctx.nodes) {
      const first = seen.get(n.name);
      if (!first) { seen.set(n.name, n); continue; }
      report({ range: n.nameRange, message: { en: `Node \`${n.name}\` is declared twice.`, ja: `ノード \`${n.name}\` が 2 回宣言されています。` }, related: [related(first.nameRange, 'first declared here', '最初の宣言')] });
    }
  },
};

const duplicateStep: ManifestRule = {
  id: 'manifest/duplicate-step', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint manifest format',
  docs: doc('Step ids are unique.', 'Step ids name the steps in reports and logs during the window; two steps with one id make the runbook hard to follow and to resume.', '手順 ID は一意であること。', '手順 ID はウィンドウ中のレポートやログで手順を示します。同じ ID の手順が 2 つあると、ランブックを追ったり再開したりするのが難しくなります。'),
  check(ctx, report) {
    const seen = new Map<string, (typeof ctx.steps)[number]>();
    for (const s of ctx.steps) {
      if (typeof s.data.id !== 'string') continue;
      const first = seen.get(s.id);
      if (!first) { seen.set(s.id, s); continue; }
      report({ range: s.range, message: { en: `Step id \`${s.id}\` is used twice.`, ja: `手順 ID \`${s.id}\` が 2 回使われています。` }, related: [related(first.range, 'first used here', '最初の使用箇所')] });
    }
  },
};

const unknownNode: ManifestRule = {
  id: 'manifest/unknown-node', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', source: 'upgrade-lint manifest format',
  docs: doc('Steps name declared nodes only.', 'A step that names a node missing from `nodes` cannot be carried out as written: usually a typo. The quick fix renames it to the closest declared node (at most two letters apart).', '手順は宣言済みのノードだけを指定すること。', '`nodes` にないノードを指定した手順は、書かれたとおりに実行できません。多くは入力ミスです。クイック フィックスで、最も近い宣言済みノード名（2 文字差以内）に変更できます。'),
  check(ctx, report) {
    const names = new Suggester(ctx.nodes.map((n) => n.name), 2);
    for (const s of ctx.steps) {
      for (const r of s.nodes) {
        if (ctx.byName.has(r.name)) continue;
        const near = names.near(r.name);
        report({
          range: r.range,
          message: { en: `Step \`${s.id}\` names node \`${r.name}\`, which is not declared in nodes${near ? ` (did you mean \`${near}\`?)` : ''}.`, ja: `手順 \`${s.id}\` のノード \`${r.name}\` は nodes で宣言されていません${near ? `（\`${near}\` の誤りですか?）` : ''}。` },
          fixes: near ? [{ title: { en: `Change to \`${near}\``, ja: `\`${near}\` に変更` }, preferred: true, edits: [{ range: r.range, newText: yamlScalar(near) }] }] : [],
        });
      }
    }
  },
};

const windowOrder: ManifestRule = {
  id: 'manifest/window-order', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint manifest format',
  docs: doc('The maintenance window ends after it starts.', '`maintenanceWindow.end` at or before `start` is usually a wrong date or a missing day change for a window that crosses midnight, or a wrong UTC offset.', 'メンテナンス ウィンドウの終了は開始より後であること。', '`maintenanceWindow.end` が `start` 以前になっているのは、多くの場合、日付の誤り、日付をまたぐウィンドウでの日付の書き忘れ、または UTC オフセットの誤りです。'),
  check(ctx, report) {
    const w = ctx.m.maintenanceWindow as { start?: unknown; end?: unknown } | undefined;
    if (!w || typeof w !== 'object' || typeof w.start !== 'string' || typeof w.end !== 'string') return;
    const a = Date.parse(w.start), b = Date.parse(w.end);
    if (Number.isNaN(a) || Number.isNaN(b) || b > a) return;
    report({ range: ctx.range('/maintenanceWindow/end'), message: { en: `The maintenance window ends (${w.end}) before or when it starts (${w.start}).`, ja: `メンテナンス ウィンドウの終了（${w.end}）が開始（${w.start}）以前になっています。` }, related: [related(ctx.range('/maintenanceWindow/start'), 'start of the window', 'ウィンドウの開始')] });
  },
};

const sameVersion: ManifestRule = {
  id: 'manifest/same-version', kind: 'upgrade-manifest', severity: 'warning', source: 'upgrade-lint manifest format',
  docs: doc('`from` and `to` differ.', 'An upgrade from a version to itself does nothing; one of the two was probably copied from another manifest and not updated.', '`from` と `to` が異なること。', '同じバージョンへのアップグレードは何もしません。どちらかが別のマニフェストからコピーされたまま更新されていない可能性があります。'),
  check(ctx, report) {
    if (!ctx.from || !ctx.to || compareVersions(ctx.from, ctx.to) !== 0) return;
    report({ range: ctx.range('/to'), message: { en: `from and to are the same version (${ctx.to.text}): nothing would be upgraded.`, ja: `from と to が同じバージョン（${ctx.to.text}）です。何もアップグレードされません。` } });
  },
};

const fileNotFound: ManifestRule = {
  id: 'manifest/file-not-found', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint manifest format',
  docs: doc('`metaFile` and `propertiesFile` exist.', 'Paths are relative to the manifest. A file that is not there cannot be checked against the manifest, and will not be there during the window either.', '`metaFile` と `propertiesFile` が存在すること。', 'パスはマニフェストからの相対パスです。存在しないファイルはマニフェストと照合できず、ウィンドウ中にも存在しません。'),
  check(ctx, report) {
    if (!ctx.fs || !ctx.path) return;
    for (const key of ['metaFile', 'propertiesFile']) {
      const v = ctx.m[key];
      if (typeof v !== 'string' || v === '') continue;
      const abs = ctx.resolve(v);
      if (abs && ctx.fs.refused?.(abs)) continue; // manifest/file-outside-workspace says why it is not read
      if (abs && ctx.fs.fileSize(abs) === undefined) {
        report({ range: ctx.range(`/${key}`), message: { en: `${key} \`${v}\` does not exist (looked for ${abs}).`, ja: `${key} \`${v}\` が存在しません（${abs} を確認しました）。` } });
      }
    }
  },
};

const fileOutside: ManifestRule = {
  id: 'manifest/file-outside-workspace', kind: 'upgrade-manifest', severity: 'error', source: 'upgrade-lint (what it reads)',
  docs: doc('`metaFile` and `propertiesFile` stay inside the workspace.', 'upgrade-lint reads the files a manifest references only inside the tree being linted: the workspace folders in an editor; the working folder and the folders named on the command line in the CLI (plus any `--allow-path`). A path that leaves it — `../`, an absolute path, or a symlink whose target lies outside — is not read, so that a manifest from someone else (a pull request, a vendor\'s sample) cannot make upgrade-lint open private files. Keep the referenced files next to the manifest, or allow their folder explicitly.', '`metaFile` と `propertiesFile` がワークスペースの中にあること。', 'upgrade-lint がマニフェストの参照するファイルを読むのは、検査対象のツリーの中だけです（エディタではワークスペース フォルダ、CLI では作業フォルダとコマンド ラインで指定したフォルダ、および `--allow-path`）。そこから出るパス（`../`、絶対パス、リンク先が外にあるシンボリック リンク）は読みません。他人のマニフェスト（プル リクエストやベンダーのサンプル）によって非公開のファイルが開かれることを防ぐためです。参照するファイルはマニフェストの近くに置くか、そのフォルダを明示的に許可してください。'),
  check(ctx, report) {
    if (!ctx.fs?.refused) return;
    for (const key of ['metaFile', 'propertiesFile']) {
      const v = ctx.m[key];
      const abs = typeof v === 'string' && v !== '' ? ctx.resolve(v) : undefined;
      if (!abs || ctx.fs.refused(abs) !== 'outside') continue;
      report({ range: ctx.range(`/${key}`), message: { en: `${key} \`${v}\` lies outside the tree being linted, so it is not read (allow its folder with --allow-path, or keep it in the workspace).`, ja: `${key} \`${v}\` は検査対象のツリーの外にあるため、読み取りません（--allow-path でそのフォルダを許可するか、ワークスペース内に置いてください）。` } });
    }
  },
};

const inlineSecret: ManifestRule = {
  id: 'manifest/inline-secret', kind: 'upgrade-manifest', severity: 'warning', source: '003, 001 (administrator passwords)',
  docs: doc('Secrets are `${env:NAME}` references, never literal values.', 'Manifests are shared, reviewed and kept in version control. A value of a key named like password, secret or token must be a reference such as `${env:CUPM_DB_PASSWORD}`, filled in from the environment when the step runs.', '秘密情報は `${env:NAME}` 参照にし、値を直接書かないこと。', 'マニフェストは共有・レビューされ、バージョン管理されます。password、secret、token のような名前のキーの値は、`${env:CUPM_DB_PASSWORD}` のような参照にし、手順の実行時に環境から埋め込みます。'),
  check(ctx, report) {
    // The pointer is only spelled out for a value that is reported.
    const path: string[] = [];
    const walk = (v: unknown, key: string) => {
      if (Array.isArray(v)) { v.forEach((x, i) => { path.push(String(i)); walk(x, key); path.pop(); }); return; }
      if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) { path.push(escapePointer(k)); walk(x, k); path.pop(); }
        return;
      }
      if (!SECRET_KEY.test(key) || v === null || v === undefined || v === '' || (typeof v === 'string' && ENV_REF.test(v.trim()))) return;
      const p = path.map((x) => `/${x}`).join('');
      report({ range: ctx.range(p), message: { en: `\`${key}\` holds a literal secret; write a reference such as \${env:${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}} instead.`, ja: `\`${key}\` に秘密情報がそのまま書かれています。代わりに \${env:${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}} のような参照を書いてください。` } });
    };
    walk(ctx.m, '');
  },
};

const backupBeforeUpgrade: ManifestRule = {
  id: 'manifest/backup-before-upgrade', kind: 'upgrade-manifest', severity: 'warning', source: '000 step 4, 001, 004',
  docs: doc('A backup step comes before the first upgrade.', 'Every guide asks for a backup before the upgrade starts (DRS, pg_dumpall, server-root and message store…). Without one there is no way back when the upgrade fails halfway.', '最初のアップグレードの前にバックアップ手順があること。', 'どのガイドも、アップグレード開始前のバックアップ（DRS、pg_dumpall、サーバ ルートやメッセージ ストアなど）を求めています。バックアップがないと、途中で失敗したときに元に戻せません。'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'backup' }, { before: f })) return;
    report({ range: f.range, message: { en: `No backup step comes before the first upgrade (\`${f.id}\`).`, ja: `最初のアップグレード（\`${f.id}\`）の前にバックアップ手順がありません。` } });
  },
};

const nodeNotUpgraded: ManifestRule = {
  id: 'manifest/node-not-upgraded', kind: 'upgrade-manifest', severity: 'error', products: ['cucm-im-presence', 'callmanager'], source: '000 (multi-node clusters), 003 (upgrade all the servers)',
  docs: doc('Every node of the cluster is upgraded.', 'IM and Presence and CallManager clusters must run one version on every server. A node that no `upgrade` step names is left on the old version, and the cluster stops replicating.', 'クラスタのすべてのノードをアップグレードすること。', 'IM and Presence と CallManager のクラスタでは、すべてのサーバが同じバージョンで動作する必要があります。どの `upgrade` 手順にも含まれないノードは旧バージョンのまま残り、クラスタの複製が止まります。'),
  check(ctx, report) {
    const upgraded = new Set(ctx.steps.filter(isUpgrade).flatMap((s) => s.nodes.map((r) => r.name)));
    for (const n of ctx.byName.values()) {
      if (upgraded.has(n.name)) continue;
      report({ range: n.nameRange, message: { en: `Node \`${n.name}\` is never upgraded: every server of the cluster must end on ${ctx.to?.text ?? 'the new version'}.`, ja: `ノード \`${n.name}\` がアップグレードされません。クラスタのすべてのサーバを ${ctx.to?.text ?? '新しいバージョン'} にする必要があります。` } });
    }
  },
};

export const manifestRules: ManifestRule[] = [duplicateNode, duplicateStep, unknownNode, windowOrder, sameVersion, fileNotFound, fileOutside, inlineSecret, backupBeforeUpgrade, nodeNotUpgraded];
