/** Unified CM IM and Presence manifest rules (product: cucm-im-presence). Facts: reference 000. */
import { asArr, asObj, checkUpgradedAfter, firstUpgrade, hasStep, insertStepBefore, related, type ManifestContext } from '../manifest';
import { compareVersions, inRange, parseVersion, sameMajorMinor, v, type Version } from '../versions';
import { doc } from '../util';
import { yamlScalar } from '../parse/yaml';
import type { ManifestRule } from './manifest';

const P = ['cucm-im-presence'];
const is90 = (x?: Version) => !!x && x.parts[0] === 9 && x.parts[1] === 0;

/** The upgrade type the path requires when going to 9.0: refresh from 8.0(1)–8.6(3), standard from 8.6(4). */
export function requiredUpgradeType(from?: Version, to?: Version): 'refresh' | 'standard' | undefined {
  if (!from || !is90(to)) return undefined;
  if (inRange(from, v('8.0(1)'), v('8.6(3)'))) return 'refresh';
  if (compareVersions(from, v('8.6(4)'), 3) === 0) return 'standard';
  return undefined;
}
/** What the server will actually do: the path decides; `upgradeType` counts only where the path does not. */
const effectiveType = (ctx: ManifestContext) => requiredUpgradeType(ctx.from, ctx.to) ?? (ctx.m.upgradeType === 'refresh' || ctx.m.upgradeType === 'standard' ? ctx.m.upgradeType : undefined);

const upgradePath: ManifestRule = {
  id: 'imp/upgrade-path', kind: 'upgrade-manifest', severity: 'error', products: P, source: '000 (supported upgrade paths to 9.0(1))',
  docs: doc('Upgrades to 9.0 start from 8.0(1)–8.6(4).', 'IM and Presence 9.0 can be reached directly only from Cisco Unified Presence 8.0(1) up to 8.6(4). From anything older, upgrade to a supported release first.', '9.0 へのアップグレードは 8.0(1)〜8.6(4) から行うこと。', 'IM and Presence 9.0 へ直接アップグレードできるのは Cisco Unified Presence 8.0(1) から 8.6(4) までです。それより古い場合は、先にサポートされるリリースへアップグレードします。'),
  check(ctx, report) {
    if (!is90(ctx.to) || !ctx.from || inRange(ctx.from, v('8.0(1)'), v('8.6(4)'))) return;
    report({ range: ctx.range('/from'), message: { en: `There is no direct upgrade from ${ctx.from.text} to ${ctx.to!.text}: start from 8.0(1)–8.6(4).`, ja: `${ctx.from.text} から ${ctx.to!.text} への直接アップグレードはできません。8.0(1)〜8.6(4) から開始してください。` } });
  },
};

const upgradeType: ManifestRule = {
  id: 'imp/upgrade-type', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', products: P, source: '000 (standard and refresh upgrades)',
  docs: doc('`upgradeType` matches the path.', 'The server decides the kind of upgrade: from 8.0(1)–8.6(3) to 9.0 it is a refresh upgrade (the system is down for its duration); from 8.6(4) a standard upgrade. A plan written for the other kind gets the downtime wrong.', '`upgradeType` がアップグレード パスと一致すること。', 'アップグレードの種類はサーバが決めます。8.0(1)〜8.6(3) から 9.0 へはリフレッシュ アップグレード（実行中はシステム停止）、8.6(4) からは標準アップグレードです。別の種類を前提にした計画では停止時間の見積もりが誤ります。'),
  check(ctx, report) {
    const want = requiredUpgradeType(ctx.from, ctx.to);
    const have = ctx.m.upgradeType;
    if (!want || typeof have !== 'string' || have === want) return;
    report({
      range: ctx.range('/upgradeType'),
      message: { en: `${ctx.from!.text} → ${ctx.to!.text} is a ${want} upgrade, not ${have}.`, ja: `${ctx.from!.text} → ${ctx.to!.text} は ${have} ではなく ${want} アップグレードです。` },
      fixes: [{ title: { en: `Set upgradeType: ${want}`, ja: `upgradeType: ${want} に設定` }, preferred: true, edits: [{ range: ctx.range('/upgradeType'), newText: yamlScalar(want) }] }],
    });
  },
};

const COP = 'ciscocm.cup.refresh_upgrade_v<latest_version>.cop';

const copFileRequired: ManifestRule = {
  id: 'imp/cop-file-required', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', products: P, source: '000 (COP file for 8.0(1)–8.6(1))',
  docs: doc('From 8.0(1)–8.6(1), a COP file is installed on every node before the upgrade.', 'Upgrades from Cisco Unified Presence 8.0(1) to 8.6(1) need the refresh-upgrade COP file (`ciscocm.cup.refresh_upgrade_v<latest_version>.cop`) on every node first; otherwise the upgrade is refused early and rolled back. The quick fix inserts an `install-cop` step for all nodes before the first upgrade.', '8.0(1)〜8.6(1) からは、アップグレード前にすべてのノードへ COP ファイルをインストールすること。', 'Cisco Unified Presence 8.0(1)〜8.6(1) からのアップグレードでは、先にすべてのノードにリフレッシュ アップグレード用 COP ファイル（`ciscocm.cup.refresh_upgrade_v<latest_version>.cop`）が必要です。ないとアップグレードは初期段階で拒否され、元に戻されます。クイック フィックスで、最初のアップグレードの前に全ノード向けの `install-cop` 手順を挿入します。'),
  check(ctx, report) {
    if (!ctx.from || !inRange(ctx.from, v('8.0(1)'), v('8.6(1)'))) return;
    const f = firstUpgrade(ctx);
    if (!f) return;
    const covered = new Set(ctx.steps.filter((s) => s.index < f.index && s.action === 'install-cop').flatMap((s) => s.nodes.map((r) => r.name)));
    const missing = ctx.nodes.map((n) => n.name).filter((n) => !covered.has(n));
    if (!missing.length) return;
    const edit = insertStepBefore(ctx, f, ['id: install-cop', 'action: install-cop', `nodes: [${ctx.nodes.map((n) => yamlScalar(n.name)).join(', ')}]`, `file: ${COP}`]);
    report({
      range: f.range,
      message: { en: `Upgrading from ${ctx.from.text} needs the COP file on every node first; missing on ${missing.join(', ')}.`, ja: `${ctx.from.text} からのアップグレードには、先にすべてのノードへの COP ファイルのインストールが必要です。未実施: ${missing.join(', ')}。` },
      fixes: edit ? [{ title: { en: 'Insert an install-cop step for all nodes', ja: '全ノード向けの install-cop 手順を挿入' }, preferred: true, edits: [edit] }] : [],
    });
  },
};

const cucmVersionMatch: ManifestRule = {
  id: 'imp/cucm-version-match', kind: 'upgrade-manifest', severity: 'error', products: P, source: '000 (Unified CM and IM and Presence major.minor must match)',
  docs: doc('Unified CM runs the same major.minor as the target.', 'IM and Presence works only with a Unified CM of the same major.minor release. Upgrade Unified CM first, then IM and Presence.', 'Unified CM が目標と同じメジャー.マイナーで動作していること。', 'IM and Presence は、メジャー.マイナーが同じ Unified CM でのみ動作します。先に Unified CM をアップグレードし、その後 IM and Presence をアップグレードします。'),
  check(ctx, report) {
    const u = parseVersion(ctx.m.unifiedCmVersion);
    if (!u || !ctx.to || sameMajorMinor(u, ctx.to)) return;
    report({ range: ctx.range('/unifiedCmVersion'), message: { en: `Unified CM runs ${u.text} but IM and Presence goes to ${ctx.to.text}: upgrade Unified CM to ${ctx.to.parts[0]}.${ctx.to.parts[1]} first.`, ja: `Unified CM は ${u.text} ですが、IM and Presence は ${ctx.to.text} になります。先に Unified CM を ${ctx.to.parts[0]}.${ctx.to.parts[1]} にアップグレードしてください。` } });
  },
};


const publisherFirst: ManifestRule = {
  id: 'imp/publisher-first', kind: 'upgrade-manifest', severity: 'error', products: P, source: '000 (upgrade the publisher before the subscribers)',
  docs: doc('The publisher is upgraded before any subscriber.', 'In a multi-node cluster the publisher node is upgraded first; subscribers follow in later steps.', 'パブリッシャはどのサブスクライバよりも先にアップグレードすること。', 'マルチノード クラスタでは、最初にパブリッシャ ノードをアップグレードし、サブスクライバはその後の手順で続けます。'),
  check(ctx, report) {
    checkUpgradedAfter(ctx, report, 'subscriber', 'publisher', {
      early: (subs, together) => ({ en: `Subscriber ${subs} is upgraded ${together ? 'together with' : 'before'} the publisher; upgrade the publisher first.`, ja: `サブスクライバ ${subs} がパブリッシャ${together ? 'と同時に' : 'より先に'}アップグレードされます。先にパブリッシャをアップグレードしてください。` }),
      never: (subs) => ({ en: `Subscriber ${subs} is upgraded but the publisher never is.`, ja: `サブスクライバ ${subs} はアップグレードされますが、パブリッシャがアップグレードされません。` }),
      here: { en: 'the publisher is upgraded here', ja: 'パブリッシャはここでアップグレードされます' },
    });
  },
};

const peerVersion: ManifestRule = {
  id: 'imp/peer-version', kind: 'upgrade-manifest', severity: 'error', products: P, source: '000 (intercluster peers)',
  docs: doc('Intercluster peers run 8.6(x) or 9.0(1).', 'IM and Presence 9.0(1) interoperates with intercluster peers on 8.6(x) or 9.0(1) only. Upgrade other peers first, or remove the peering for the window.', 'クラスタ間ピアが 8.6(x) または 9.0(1) で動作していること。', 'IM and Presence 9.0(1) が相互運用できるクラスタ間ピアは 8.6(x) または 9.0(1) だけです。他のバージョンのピアは先にアップグレードするか、ウィンドウ中はピアリングを外します。'),
  check(ctx, report) {
    asArr(ctx.m.interclusterPeers).forEach((p, i) => {
      const pv = parseVersion(asObj(p).version);
      if (!pv) return;
      if ((pv.parts[0] === 8 && pv.parts[1] === 6) || compareVersions(pv, v('9.0(1)'), 3) === 0) return;
      const name = asObj(p).name;
      report({ range: ctx.range(`/interclusterPeers/${i}/version`), message: { en: `Intercluster peer ${String(name ?? i + 1)} runs ${pv.text}; peers must run 8.6(x) or 9.0(1).`, ja: `クラスタ間ピア ${String(name ?? i + 1)} は ${pv.text} です。ピアは 8.6(x) または 9.0(1) である必要があります。` } });
    });
  },
};

const haEnabled: ManifestRule = {
  id: 'imp/ha-enabled', kind: 'upgrade-manifest', severity: 'error', products: P, source: '000 (disable high availability before upgrading)',
  docs: doc('High availability is disabled before the first upgrade.', 'With IM and Presence high availability enabled, disable it (`disable-ha` step) before upgrading and enable it again afterwards.', '最初のアップグレードの前にハイ アベイラビリティを無効にすること。', 'IM and Presence のハイ アベイラビリティが有効な場合、アップグレード前に無効にし（`disable-ha` 手順）、終了後に再び有効にします。'),
  check(ctx, report) {
    if (ctx.m.highAvailability !== 'enabled') return;
    const f = firstUpgrade(ctx);
    if (!f || hasStep(ctx, { action: 'disable-ha' }, { before: f })) return;
    report({ range: ctx.range('/highAvailability'), message: { en: `High availability is enabled but no disable-ha step comes before the first upgrade (\`${f.id}\`).`, ja: `ハイ アベイラビリティが有効ですが、最初のアップグレード（\`${f.id}\`）の前に disable-ha 手順がありません。` }, related: [related(f.range, 'first upgrade', '最初のアップグレード')] });
  },
};

const maintenanceWindow: ManifestRule = {
  id: 'imp/maintenance-window', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '000 (the system is unavailable during a refresh upgrade)',
  docs: doc('A refresh upgrade has a maintenance window.', 'During a refresh upgrade the system is unavailable; plan it in a maintenance window (`maintenanceWindow`).', 'リフレッシュ アップグレードにはメンテナンス ウィンドウを設定すること。', 'リフレッシュ アップグレード中はシステムを使用できません。メンテナンス ウィンドウ（`maintenanceWindow`）の中で計画してください。'),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh' || ctx.m.maintenanceWindow !== undefined) return;
    report({ range: ctx.at('/upgradeType') ? ctx.range('/upgradeType') : ctx.range('/to'), message: { en: 'This is a refresh upgrade (the system is down while it runs) but the manifest has no maintenanceWindow.', ja: 'これはリフレッシュ アップグレード（実行中はシステム停止）ですが、マニフェストに maintenanceWindow がありません。' } });
  },
};

const noRevertHardware: ManifestRule = {
  id: 'imp/no-revert-hardware', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '000 (MCS-7825-H3 / MCS-7828-H3)',
  docs: doc('MCS-7825-H3 and MCS-7828-H3 have a USB backup before a refresh upgrade.', 'A refresh upgrade reformats the disk of MCS-7825-H3 and MCS-7828-H3 servers: there is no way back to the old version. Take a DRS backup to a USB drive (`backup`, `target: usb`) first.', 'MCS-7825-H3 と MCS-7828-H3 では、リフレッシュ アップグレードの前に USB バックアップを取ること。', 'リフレッシュ アップグレードでは MCS-7825-H3 と MCS-7828-H3 のディスクが再フォーマットされ、旧バージョンに戻せません。先に USB ドライブへの DRS バックアップ（`backup`、`target: usb`）を取ってください。'),
  check(ctx, report) {
    if (effectiveType(ctx) !== 'refresh') return;
    const f = firstUpgrade(ctx);
    const hasUsb = hasStep(ctx, { action: 'backup', target: 'usb' }, { before: f });
    if (hasUsb) return;
    for (const n of ctx.nodes) {
      const hw = n.data.hardware;
      if (typeof hw !== 'string' || !/^MCS-78(25|28)-H3$/i.test(hw.trim())) continue;
      report({ range: ctx.range(`/nodes/${n.index}/hardware`), message: { en: `${n.name} is an ${hw}: the refresh upgrade reformats its disk and cannot be reverted. Add a backup step with target: usb first.`, ja: `${n.name} は ${hw} です。リフレッシュ アップグレードでディスクが再フォーマットされ、元に戻せません。先に target: usb のバックアップ手順を追加してください。` } });
    }
  },
};

export const impRules: ManifestRule[] = [upgradePath, upgradeType, copFileRequired, cucmVersionMatch, publisherFirst, peerVersion, haEnabled, maintenanceWindow, noRevertHardware];
