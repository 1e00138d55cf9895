/** ACNS manifest rules (product: acns). Facts: reference 002. */
import { parseMeta } from '../parse/kv';
import { asArr, asObj, checkUpgradedAfter, firstUpgradeOf, hasStep, isUpgrade, related, type ManifestContext, type StepInfo } from '../manifest';
import { compareVersions, parseVersion } from '../versions';
import { doc } from '../util';
import { yamlScalar } from '../parse/yaml';
import type { ManifestRule } from './manifest';
import { META_KEYS } from './meta';

const CDM = new Set(['cdm-primary', 'cdm-standby']);
const EDGE = new Set(['content-engine', 'content-router']);
const P = ['acns'];

const roleOf = (ctx: ManifestContext, name: string) => ctx.byName.get(name)?.role;
const namesWith = (ctx: ManifestContext, s: StepInfo, roles: Set<string>) => s.nodes.filter((r) => roles.has(roleOf(ctx, r.name) ?? '')).map((r) => r.name);
const isDowngrade = (ctx: ManifestContext) => !!ctx.from && !!ctx.to && compareVersions(ctx.to, ctx.from) < 0;

/** The meta file named by `metaFile`, parsed, when it can be read. */
function metaOf(ctx: ManifestContext) {
  const p = ctx.m.metaFile;
  if (typeof p !== 'string' || !ctx.fs?.readText) return undefined;
  const abs = ctx.resolve(p);
  const text = abs ? ctx.fs.readText(abs) : undefined;
  if (text === undefined) return undefined;
  const d = parseMeta(text);
  const get = (k: string) => d.entries.find((e) => e.key.toLowerCase() === k.toLowerCase() && META_KEYS.some((m) => m.toLowerCase() === k.toLowerCase()));
  return { abs: abs!, doc: d, get };
}

const metaVersionMismatch: ManifestRule = {
  id: 'acns/meta-version-mismatch', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', products: P, source: '002 table 7-1 (version = software version after the update)',
  docs: doc('`to` equals the `version` of the meta file.', 'The meta file decides what the devices install; the manifest\'s `to` says what you plan. When they differ (MAJOR.MINOR.MAINT; the `.b.BUILD` part is ignored), one of them is stale. The quick fix sets `to` to the meta file\'s version.', '`to` がメタファイルの `version` と一致すること。', 'デバイスが何をインストールするかはメタファイルが決め、マニフェストの `to` は計画を表します。両者が異なる場合（MAJOR.MINOR.MAINT で比較し、`.b.BUILD` は無視）、どちらかが古いままです。クイック フィックスで `to` をメタファイルのバージョンに合わせます。'),
  check(ctx, report) {
    const meta = metaOf(ctx);
    const e = meta?.get('version');
    const mv = e ? parseVersion(e.value) : undefined;
    if (!mv || !ctx.to || compareVersions(mv, ctx.to, 3) === 0) return;
    const target = mv.parts.slice(0, 3).join('.');
    report({
      range: ctx.range('/to'),
      message: { en: `to is ${ctx.to.text} but the meta file installs ${mv.text}.`, ja: `to は ${ctx.to.text} ですが、メタファイルがインストールするのは ${mv.text} です。` },
      related: [{ range: e!.valueRange, path: meta!.abs, message: { en: 'version in the meta file', ja: 'メタファイルの version' } }],
      fixes: [{ title: { en: `Set to to ${target}`, ja: `to を ${target} に設定` }, preferred: true, edits: [{ range: ctx.range('/to'), newText: yamlScalar(target) }] }],
    });
  },
};

const cdmLast: ManifestRule = {
  id: 'acns/cdm-last', kind: 'upgrade-manifest', severity: 'error', products: P, source: '002 (upgrade the Content Distribution Manager last)',
  docs: doc('Content Distribution Managers are upgraded after every content engine and router.', 'A CDM on a newer release than the engines it manages cannot manage them. Upgrade all content engines and content routers first, then the CDMs.', 'Content Distribution Manager は、すべての Content Engine と Content Router の後にアップグレードすること。', '管理対象のエンジンより新しいリリースになった CDM はそれらを管理できません。先にすべての Content Engine と Content Router をアップグレードし、最後に CDM をアップグレードします。'),
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    for (const s of ups) {
      const cdms = namesWith(ctx, s, CDM);
      if (!cdms.length) continue;
      const later = ups.find((t) => t.index >= s.index && namesWith(ctx, t, EDGE).length);
      if (!later) continue;
      const edge = namesWith(ctx, later, EDGE)[0];
      report({
        range: s.range,
        message: { en: `CDM ${cdms.join(', ')} is upgraded before ${edge} (${roleOf(ctx, edge)}): upgrade the CDMs last.`, ja: `CDM ${cdms.join(', ')} が ${edge}（${roleOf(ctx, edge)}）より先にアップグレードされます。CDM は最後にアップグレードしてください。` },
        related: [related(later.range, `${edge} is upgraded here`, `${edge} はここでアップグレードされます`)],
      });
    }
  },
};

const standbyAfterPrimary: ManifestRule = {
  id: 'acns/standby-after-primary', kind: 'upgrade-manifest', severity: 'error', products: P, source: '002 (upgrading the primary and standby CDM)',
  docs: doc('The standby CDM is upgraded after the primary CDM.', 'Upgrade the primary CDM first and the standby CDM after it, in a later step. Upgrading the standby first (or both at once) leaves no working CDM to fall back to.', 'スタンバイ CDM はプライマリ CDM の後にアップグレードすること。', '先にプライマリ CDM を、その後の手順でスタンバイ CDM をアップグレードします。スタンバイを先に（または同時に）アップグレードすると、切り戻せる CDM がなくなります。'),
  check(ctx, report) {
    checkUpgradedAfter(ctx, report, 'cdm-standby', 'cdm-primary', {
      early: (sb, together) => ({ en: `Standby CDM ${sb} is upgraded ${together ? 'together with' : 'before'} the primary CDM; upgrade it in a later step.`, ja: `スタンバイ CDM ${sb} がプライマリ CDM ${together ? 'と同時に' : 'より先に'}アップグレードされます。後の手順でアップグレードしてください。` }),
      never: (sb) => ({ en: `Standby CDM ${sb} is upgraded but the primary CDM never is.`, ja: `スタンバイ CDM ${sb} はアップグレードされますが、プライマリ CDM がアップグレードされません。` }),
      here: { en: 'the primary CDM is upgraded here', ja: 'プライマリ CDM はここでアップグレードされます' },
    });
  },
};

const standbyNotUpgraded: ManifestRule = {
  id: 'acns/standby-not-upgraded', kind: 'upgrade-manifest', severity: 'error', products: P, source: '002 (primary and standby CDM must run the same version)',
  docs: doc('When the primary CDM is upgraded, the standby CDM is too.', 'Primary and standby CDMs must run the same software version. A plan that upgrades only the primary leaves the standby unable to take over.', 'プライマリ CDM をアップグレードする場合、スタンバイ CDM もアップグレードすること。', 'プライマリとスタンバイの CDM は同じソフトウェア バージョンで動作する必要があります。プライマリだけをアップグレードする計画では、スタンバイが引き継げなくなります。'),
  check(ctx, report) {
    const ups = ctx.steps.filter(isUpgrade);
    const primary = firstUpgradeOf(ctx, 'cdm-primary');
    if (!primary) return;
    for (const n of ctx.nodes.filter((x) => x.role === 'cdm-standby')) {
      if (ups.some((s) => s.nodes.some((r) => r.name === n.name))) continue;
      report({ range: n.nameRange, message: { en: `Standby CDM \`${n.name}\` is never upgraded, but the primary is: both must run the same version.`, ja: `スタンバイ CDM \`${n.name}\` がアップグレードされませんが、プライマリはアップグレードされます。両者は同じバージョンである必要があります。` }, related: [related(primary.range, 'the primary CDM is upgraded here', 'プライマリ CDM はここでアップグレードされます')] });
    }
  },
};

const cdmViaGui: ManifestRule = {
  id: 'acns/cdm-via-gui', kind: 'upgrade-manifest', severity: 'error', fix: 'preferred', products: P, source: '002 (ACNS 5.1 does not upgrade a CDM from the CDM GUI)',
  docs: doc('CDMs are upgraded from the CLI.', 'ACNS 5.1 does not support upgrading a Content Distribution Manager from the CDM GUI; install the software file on the CDM from its command line. The quick fix sets `method: cli`.', 'CDM は CLI からアップグレードすること。', 'ACNS 5.1 では、CDM GUI からの Content Distribution Manager のアップグレードはサポートされていません。CDM のコマンド ラインからソフトウェア ファイルをインストールします。クイック フィックスで `method: cli` にします。'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.method !== 'gui') continue;
      const cdms = namesWith(ctx, s, CDM);
      if (!cdms.length) continue;
      const p = `/steps/${s.index}/method`;
      report({
        range: ctx.range(p),
        message: { en: `CDM ${cdms.join(', ')} cannot be upgraded from the GUI; use the CLI.`, ja: `CDM ${cdms.join(', ')} は GUI からアップグレードできません。CLI を使ってください。` },
        fixes: [{ title: { en: 'Set method: cli', ja: 'method: cli に設定' }, preferred: true, edits: [{ range: ctx.range(p), newText: 'cli' }] }],
      });
    }
  },
};

const cmsNotStopped: ManifestRule = {
  id: 'acns/cms-not-stopped', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '002 (upgrading the standby CDM)',
  docs: doc('With a standby CDM, CMS is stopped on both CDMs before the first CDM upgrade.', 'When a standby CDM exists, stop the CMS service (`stop-service`, `service: cms`) on the standby and on the primary CDM before upgrading either, so the two do not replicate across versions.', 'スタンバイ CDM がある場合、最初の CDM アップグレードの前に両方の CDM で CMS を停止すること。', 'スタンバイ CDM がある場合、どちらかをアップグレードする前に、スタンバイとプライマリの両方の CDM で CMS サービスを停止します（`stop-service`、`service: cms`）。これにより、異なるバージョン間で複製が行われるのを防ぎます。'),
  check(ctx, report) {
    const cdmNodes = ctx.nodes.filter((n) => CDM.has(n.role ?? ''));
    if (!cdmNodes.some((n) => n.role === 'cdm-standby')) return;
    const first = firstUpgradeOf(ctx, ...CDM);
    if (!first) return;
    const stopped = new Set(ctx.steps.filter((s) => s.index < first.index && s.action === 'stop-service' && s.data.service === 'cms').flatMap((s) => s.nodes.map((r) => r.name)));
    const missing = cdmNodes.filter((n) => !stopped.has(n.name)).map((n) => n.name);
    if (!missing.length) return;
    report({ range: first.range, message: { en: `CMS is not stopped on ${missing.join(', ')} before this first CDM upgrade.`, ja: `この最初の CDM アップグレードの前に、${missing.join(', ')} で CMS が停止されていません。` } });
  },
};

const deviceGroupMembers: ManifestRule = {
  id: 'acns/device-group-members', kind: 'upgrade-manifest', severity: 'error', products: P, source: '002 (device groups hold content engines)',
  docs: doc('Device groups list content engines only.', 'ACNS device groups are groups of Content Engines. A member that is a CDM, a content router or an undeclared name is a mistake in the plan.', 'デバイス グループには Content Engine だけを含めること。', 'ACNS のデバイス グループは Content Engine のグループです。CDM、Content Router、または宣言されていない名前がメンバーにあるのは計画の誤りです。'),
  check(ctx, report) {
    asArr(ctx.m.deviceGroups).forEach((g, i) => {
      asArr(asObj(g).members).forEach((mm, j) => {
        if (typeof mm !== 'string') return;
        const role = roleOf(ctx, mm);
        if (role === 'content-engine') return;
        report({ range: ctx.range(`/deviceGroups/${i}/members/${j}`), message: role ? { en: `\`${mm}\` is a ${role}, not a content engine.`, ja: `\`${mm}\` は ${role} であり、Content Engine ではありません。` } : { en: `\`${mm}\` is not a declared node.`, ja: `\`${mm}\` は宣言されたノードではありません。` } });
      });
    });
  },
};

const downgradeCdmIp: ManifestRule = {
  id: 'acns/downgrade-cdm-ip', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '002 (downgrade to 4.x, CDM-IP)',
  docs: doc('A downgrade to 4.x uses a meta file with `CDM-IP`.', 'After a downgrade to ACNS 4.x the content engines register with the 4.x CDM named by `CDM-IP` in the meta file. Without it they must be re-registered by hand, one by one.', '4.x へのダウングレードでは `CDM-IP` を含むメタファイルを使うこと。', 'ACNS 4.x へダウングレードした後、Content Engine はメタファイルの `CDM-IP` が示す 4.x CDM に登録されます。これがないと、1 台ずつ手作業で登録し直す必要があります。'),
  check(ctx, report) {
    if (!isDowngrade(ctx) || ctx.to!.parts[0] !== 4) return;
    const meta = metaOf(ctx);
    if (!meta || meta.get('CDM-IP')) return;
    report({ range: ctx.range('/metaFile'), message: { en: `This is a downgrade to ${ctx.to!.text} but the meta file has no CDM-IP line.`, ja: `${ctx.to!.text} へのダウングレードですが、メタファイルに CDM-IP の行がありません。` } });
  },
};

const downgradeRestore: ManifestRule = {
  id: 'acns/downgrade-restore', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '002 (downgrading the CDM)',
  docs: doc('A CDM downgrade is preceded by a restore of its database.', 'A CDM database written by the newer release cannot be used by the older one. Before downgrading a CDM, restore the database backup taken on the old release (`restore`, `target: cdm-database`, on that CDM).', 'CDM のダウングレードの前に、そのデータベースを復元すること。', '新しいリリースが書き込んだ CDM データベースは、古いリリースでは使えません。CDM をダウングレードする前に、旧リリースで取得したデータベースのバックアップを復元します（その CDM で `restore`、`target: cdm-database`）。'),
  check(ctx, report) {
    if (!isDowngrade(ctx)) return;
    for (const s of ctx.steps.filter(isUpgrade)) {
      for (const name of namesWith(ctx, s, CDM)) {
        const restored = hasStep(ctx, { action: 'restore', target: 'cdm-database', node: name }, { before: s });
        if (restored) continue;
        report({ range: s.range, message: { en: `CDM ${name} is downgraded without restoring its database first (restore, target: cdm-database).`, ja: `CDM ${name} がデータベースを先に復元せずにダウングレードされます（restore、target: cdm-database）。` } });
      }
    }
  },
};

export const acnsRules: ManifestRule[] = [metaVersionMismatch, cdmLast, standbyAfterPrimary, standbyNotUpgraded, cdmViaGui, cmsNotStopped, deviceGroupMembers, downgradeCdmIp, downgradeRestore];
