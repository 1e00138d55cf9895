/** iPlanet Messaging Server manifest rules (product: iplanet-messaging). Facts: reference 004. */
import { firstUpgrade, firstUpgradeOf, hasStep, isUpgrade, lastUpgrade, related, type ManifestContext } from '../manifest';
import { compareVersions, parseVersion, v } from '../versions';
import { doc, trimTrailingSlashes } from '../util';
import { yamlScalar } from '../parse/yaml';
import type { ManifestRule } from './manifest';

const P = ['iplanet-messaging'];

/** The step that upgrades the messaging server (a messaging node), or the first upgrade. */
const messagingUpgrade = (ctx: ManifestContext) => firstUpgradeOf(ctx, 'messaging') ?? firstUpgrade(ctx);

const stopDispatcher: ManifestRule = {
  id: 'ims/stop-dispatcher', kind: 'upgrade-manifest', severity: 'error', products: P, source: '004 (stop the MTA dispatcher)',
  docs: doc('The MTA dispatcher is stopped before the upgrade.', 'Stop the MTA dispatcher (`imsimta stop dispatcher`; a `stop-service` step with `service: dispatcher`) first, so that no mail arrives while the server is upgraded.', 'アップグレード前に MTA ディスパッチャを停止すること。', '最初に MTA ディスパッチャを停止し（`imsimta stop dispatcher`、`service: dispatcher` の `stop-service` 手順）、アップグレード中にメールを受信しないようにします。'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'stop-service', service: 'dispatcher' }, { before: f })) return;
    report({ range: f.range, message: { en: 'The MTA dispatcher is not stopped before this first upgrade step (stop-service, service: dispatcher).', ja: 'この最初のアップグレード手順の前に MTA ディスパッチャが停止されていません（stop-service、service: dispatcher）。' } });
  },
};

const directoryRunning: ManifestRule = {
  id: 'ims/directory-running', kind: 'upgrade-manifest', severity: 'error', products: P, source: '004 (do not stop the Directory Server)',
  docs: doc('The Directory Server keeps running while Messaging Server is upgraded.', 'Stop the messaging services but not the Directory Server: the upgrade of Messaging Server reads its configuration from the directory.', 'Messaging Server のアップグレード中は Directory Server を稼働させておくこと。', 'メッセージング サービスは停止しますが、Directory Server は停止しません。Messaging Server のアップグレードはディレクトリから構成を読み取ります。'),
  check(ctx, report) {
    const mu = messagingUpgrade(ctx);
    if (!mu) return;
    for (const s of ctx.steps) {
      if (s.index >= mu.index || s.action !== 'stop-service' || s.data.service !== 'directory') continue;
      const restarted = hasStep(ctx, { action: 'start-service', service: 'directory' }, { after: s, before: mu });
      if (restarted) continue;
      report({ range: s.range, message: { en: 'This step stops the Directory Server before the messaging upgrade; it must keep running.', ja: 'この手順はメッセージングのアップグレード前に Directory Server を停止します。Directory Server は稼働させておく必要があります。' }, related: [related(mu.range, 'the messaging server is upgraded here', 'メッセージング サーバはここでアップグレードされます')] });
    }
  },
};

const NEEDED = ['server-root', 'message-queue', 'db2ldif'];

const backup: ManifestRule = {
  id: 'ims/backup', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '004 (backups before the upgrade)',
  docs: doc('server-root, the message queue and the directory (db2ldif) are backed up before the upgrade.', 'Before upgrading, back up the whole server-root, save the message queue if it holds messages, and export each directory instance with db2ldif. The message names what is missing.', 'アップグレード前に server-root、メッセージ キュー、ディレクトリ（db2ldif）をバックアップすること。', 'アップグレード前に server-root 全体をバックアップし、メッセージ キューにメッセージがあれば保存し、各ディレクトリ インスタンスを db2ldif でエクスポートします。メッセージに不足分を示します。'),
  check(ctx, report) {
    const f = firstUpgrade(ctx);
    if (!f) return;
    const done = new Set(ctx.steps.filter((s) => s.index < f.index && s.action === 'backup').map((s) => s.data.target));
    const missing = NEEDED.filter((t) => !done.has(t));
    if (!missing.length) return;
    report({ range: f.range, message: { en: `Missing backups before the first upgrade: ${missing.join(', ')}.`, ja: `最初のアップグレード前のバックアップが不足しています: ${missing.join(', ')}。` } });
  },
};

const sameServerRoot: ManifestRule = {
  id: 'ims/same-server-root', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', products: P, source: '004 (same machine, same server-root)',
  docs: doc('The upgrade uses the same server-root.', 'Messaging Server 5.2 is upgraded in place: on the same machine and into the same server-root as the current installation. The quick fix sets `targetServerRoot` to `serverRoot`.', 'アップグレードは同じ server-root で行うこと。', 'Messaging Server 5.2 はその場でアップグレードします。現在のインストールと同じマシン、同じ server-root に対して行います。クイック フィックスで `targetServerRoot` を `serverRoot` にします。'),
  check(ctx, report) {
    const a = ctx.m.serverRoot, b = ctx.m.targetServerRoot;
    if (typeof b !== 'string' || typeof a !== 'string' || trimTrailingSlashes(a) === trimTrailingSlashes(b)) return;
    report({
      range: ctx.range('/targetServerRoot'),
      message: { en: `targetServerRoot ${b} differs from serverRoot ${a}; the upgrade must use the same server-root.`, ja: `targetServerRoot ${b} が serverRoot ${a} と異なります。アップグレードは同じ server-root で行う必要があります。` },
      fixes: [{ title: { en: `Set targetServerRoot to ${a}`, ja: `targetServerRoot を ${a} に設定` }, preferred: true, edits: [{ range: ctx.range('/targetServerRoot'), newText: yamlScalar(a) }] }],
    });
  },
};

const directoryUpgrade: ManifestRule = {
  id: 'ims/directory-upgrade', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '004 (Directory Server 4.13 → 4.16)',
  docs: doc('A Directory Server older than 4.16 is upgraded before the messaging server.', 'iPlanet Messaging Server 5.2 comes with Directory Server 4.16. When the directory runs an older version (such as 4.13), upgrade the directory node first.', '4.16 より古い Directory Server はメッセージング サーバより先にアップグレードすること。', 'iPlanet Messaging Server 5.2 には Directory Server 4.16 が付属しています。ディレクトリが古いバージョン（4.13 など）の場合は、先にディレクトリ ノードをアップグレードします。'),
  check(ctx, report) {
    const dv = parseVersion(ctx.m.directoryServerVersion);
    if (!dv || compareVersions(dv, v('4.16'), 2) >= 0) return;
    const mu = messagingUpgrade(ctx);
    const dirUp = ctx.steps.some((s) => isUpgrade(s) && (!mu || s.index < mu.index) && s.nodes.some((r) => ctx.byName.get(r.name)?.role === 'directory'));
    if (dirUp) return;
    report({ range: ctx.range('/directoryServerVersion'), message: { en: `Directory Server ${dv.text} is older than 4.16 and no directory node is upgraded before the messaging server.`, ja: `Directory Server ${dv.text} は 4.16 より古いですが、メッセージング サーバより前にディレクトリ ノードがアップグレードされていません。` } });
  },
};

const restart: ManifestRule = {
  id: 'ims/restart', kind: 'upgrade-manifest', severity: 'information', products: P, source: '004 (processes are not started after the upgrade)',
  docs: doc('Messaging services are started after the upgrade.', 'The upgrade does not start the messaging processes; add a `start-service` step with `service: msg` after the last upgrade.', 'アップグレード後にメッセージング サービスを開始すること。', 'アップグレードではメッセージング プロセスは開始されません。最後のアップグレードの後に `service: msg` の `start-service` 手順を追加します。'),
  check(ctx, report) {
    const l = lastUpgrade(ctx);
    if (!l || hasStep(ctx, { action: 'start-service', service: 'msg' }, { after: l })) return;
    report({ range: l.range, message: { en: 'No start-service step for msg comes after the last upgrade: the messaging processes stay down.', ja: '最後のアップグレードの後に msg の start-service 手順がありません。メッセージング プロセスは停止したままです。' } });
  },
};

export const imsRules: ManifestRule[] = [stopDispatcher, directoryRunning, backup, sameServerRoot, directoryUpgrade, restart];
