/** CallManager manifest rules (product: callmanager). Facts: reference 003. */
import { asArr, isUpgrade, related, type StepInfo } from '../manifest';
import { compareVersions, v } from '../versions';
import { doc } from '../util';
import type { ManifestRule } from './manifest';

const P = ['callmanager'];
export const CCM_ORDER = ['publisher', 'tftp', 'services', 'secondary', 'primary', 'application'];
const CORESIDENT = ['unity', 'conference-connection', 'personal-assistant', 'emergency-responder'];

const memory: ManifestRule = {
  id: 'ccm/memory', kind: 'upgrade-manifest', severity: 'error', products: P, source: '003 (1 GB minimum memory)',
  docs: doc('Every server has at least 1 GB (1024 MB) of memory.', 'CallManager 4.1 needs at least 1 GB of memory on every server. Below that the publisher cannot be upgraded at all (error); other servers are warned.', 'すべてのサーバに 1 GB（1024 MB）以上のメモリがあること。', 'CallManager 4.1 ではすべてのサーバに 1 GB 以上のメモリが必要です。不足している場合、パブリッシャはアップグレードできません（エラー）。他のサーバには警告を出します。'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      const mem = n.data.memoryMB;
      if (typeof mem !== 'number' || mem >= 1024) continue;
      report({ range: ctx.range(`/nodes/${n.index}/memoryMB`), severity: n.role === 'publisher' ? 'error' : 'warning', message: { en: `${n.name} has ${mem} MB of memory; CallManager needs at least 1024 MB.`, ja: `${n.name} のメモリは ${mem} MB です。CallManager には 1024 MB 以上が必要です。` } });
    }
  },
};

const upgradePath: ManifestRule = {
  id: 'ccm/upgrade-path', kind: 'upgrade-manifest', severity: 'error', products: P, source: '003 (no direct path from 3.2 or earlier)',
  docs: doc('Upgrades to 4.x do not start from 3.2 or earlier.', 'There is no direct upgrade from CallManager 3.2 or earlier to 4.0 or later: upgrade to 3.3 first.', '3.2 以前から 4.x へ直接アップグレードしないこと。', 'CallManager 3.2 以前から 4.0 以降への直接アップグレードはできません。先に 3.3 へアップグレードします。'),
  check(ctx, report) {
    if (!ctx.from || !ctx.to || compareVersions(ctx.from, v('3.2'), 2) > 0 || compareVersions(ctx.to, v('4.0'), 2) < 0) return;
    report({ range: ctx.range('/from'), message: { en: `There is no direct upgrade from ${ctx.from.text} to ${ctx.to.text}: upgrade to 3.3 first.`, ja: `${ctx.from.text} から ${ctx.to.text} への直接アップグレードはできません。先に 3.3 へアップグレードしてください。` } });
  },
};

const order: ManifestRule = {
  id: 'ccm/order', kind: 'upgrade-manifest', severity: 'error', products: P, source: '003 (cluster upgrade order)',
  docs: doc('Servers are upgraded in the order publisher → TFTP → services → secondary → primary → application.', 'A CallManager cluster is upgraded publisher first, then the TFTP server, dedicated services servers, backup (secondary) servers, primary servers and finally application servers. The problem is shown on the step that comes too late, with a link to the step it must come before.', 'サーバをパブリッシャ → TFTP → サービス → セカンダリ → プライマリ → アプリケーションの順にアップグレードすること。', 'CallManager クラスタは、パブリッシャ、TFTP サーバ、専用サービス サーバ、バックアップ（セカンダリ）サーバ、プライマリ サーバ、最後にアプリケーション サーバの順にアップグレードします。問題は順番が遅すぎる手順に表示され、先に来るべき手順へのリンクが付きます。'),
  check(ctx, report) {
    let highest: { rank: number; step: StepInfo } | undefined;
    for (const s of ctx.steps.filter(isUpgrade)) {
      const ranks = s.nodes.map((r) => CCM_ORDER.indexOf(ctx.byName.get(r.name)?.role ?? '')).filter((x) => x >= 0);
      if (!ranks.length) continue;
      const low = Math.min(...ranks);
      if (highest && low < highest.rank && highest.step.index !== s.index) {
        report({
          range: s.range,
          message: { en: `This step upgrades a ${CCM_ORDER[low]} server after a ${CCM_ORDER[highest.rank]} server (\`${highest.step.id}\`); the order is ${CCM_ORDER.join(' → ')}.`, ja: `この手順は ${CCM_ORDER[highest.rank]} サーバ（\`${highest.step.id}\`）の後に ${CCM_ORDER[low]} サーバをアップグレードしています。順序は ${CCM_ORDER.join(' → ')} です。` },
          related: [related(highest.step.range, `the ${CCM_ORDER[highest.rank]} server is upgraded here; this step must come before it`, `${CCM_ORDER[highest.rank]} サーバはここでアップグレードされます。この手順はそれより前にする必要があります`)],
        });
      }
      const high = Math.max(...ranks);
      if (!highest || high > highest.rank) highest = { rank: high, step: s };
    }
  },
};

const oneAtATime: ManifestRule = {
  id: 'ccm/one-at-a-time', kind: 'upgrade-manifest', severity: 'error', products: P, source: '003 (upgrade one server at a time)',
  docs: doc('Each upgrade step upgrades one server.', 'CallManager servers are upgraded one at a time; a step that names several nodes would upgrade them at the same time.', '各アップグレード手順は 1 台のサーバだけをアップグレードすること。', 'CallManager サーバは 1 台ずつアップグレードします。複数のノードを指定した手順は、それらを同時にアップグレードすることになります。'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.nodes.length < 2) continue;
      report({ range: ctx.range(`/steps/${s.index}/nodes`), message: { en: `Step \`${s.id}\` upgrades ${s.nodes.length} servers at once; upgrade one server per step.`, ja: `手順 \`${s.id}\` は ${s.nodes.length} 台のサーバを同時にアップグレードします。1 手順につき 1 台にしてください。` } });
    }
  },
};

const nodeFlag = (id: string, key: string, bad: (v: unknown) => boolean, severity: 'error' | 'warning', d: ReturnType<typeof doc>, source: string, msg: (name: string, val: unknown) => { en: string; ja: string }): ManifestRule => ({
  id, kind: 'upgrade-manifest', severity, products: P, source, docs: d,
  check(ctx, report) {
    for (const n of ctx.nodes) {
      if (!(key in n.data) || !bad(n.data[key])) continue;
      report({ range: ctx.range(`/nodes/${n.index}/${key}`), message: msg(n.name, n.data[key]) });
    }
  },
});

const domainController = nodeFlag('ccm/domain-controller', 'domainController', (x) => x === true, 'error',
  doc('No CallManager server is a domain controller.', 'CallManager must not be installed on a Windows domain controller.', 'CallManager サーバをドメイン コントローラにしないこと。', 'CallManager を Windows ドメイン コントローラにインストールしてはいけません。'),
  '003 (workgroup, no domain controller)',
  (n) => ({ en: `${n} is a domain controller; CallManager cannot be upgraded on one.`, ja: `${n} はドメイン コントローラです。CallManager はドメイン コントローラ上ではアップグレードできません。` }));

const windowsDomain = nodeFlag('ccm/windows-domain', 'windowsDomain', (x) => typeof x === 'string' && x !== '', 'warning',
  doc('Servers leave their Windows domain before the upgrade.', 'Remove CallManager servers from the Windows domain and put them in a workgroup before upgrading; rejoin afterwards.', 'アップグレード前にサーバを Windows ドメインから外すこと。', 'アップグレード前に CallManager サーバを Windows ドメインから外してワークグループにし、終了後に再参加させます。'),
  '003 (workgroup during the installation)',
  (n, d) => ({ en: `${n} is in the Windows domain ${String(d)}: move it to a workgroup before upgrading.`, ja: `${n} は Windows ドメイン ${String(d)} に属しています。アップグレード前にワークグループに移してください。` }));

const staticIp = nodeFlag('ccm/static-ip', 'staticIp', (x) => x === false, 'warning',
  doc('Servers have static IP addresses.', 'CallManager servers need static IP addresses; a DHCP address can change during the reboots of the upgrade.', 'サーバが静的 IP アドレスを持つこと。', 'CallManager サーバには静的 IP アドレスが必要です。DHCP のアドレスはアップグレード中の再起動で変わる可能性があります。'),
  '003 (static IP address)',
  (n) => ({ en: `${n} has no static IP address; configure one before upgrading.`, ja: `${n} に静的 IP アドレスがありません。アップグレード前に設定してください。` }));

const secondaryLoad: ManifestRule = {
  id: 'ccm/secondary-load', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '003 (5,000 devices on a secondary)',
  docs: doc('At most 5,000 devices move to a secondary server.', 'While primaries are upgraded, their devices register to secondary servers. More than 5,000 devices on one secondary overloads it.', 'セカンダリ サーバに移るデバイスは 5,000 台以下であること。', 'プライマリのアップグレード中、そのデバイスはセカンダリ サーバに登録されます。1 台のセカンダリに 5,000 台を超えると過負荷になります。'),
  check(ctx, report) {
    const n = ctx.m.devicesOnSecondary;
    if (typeof n !== 'number' || n <= 5000) return;
    report({ range: ctx.range('/devicesOnSecondary'), message: { en: `${n} devices on secondary servers exceeds 5,000.`, ja: `セカンダリ サーバ上のデバイス数 ${n} が 5,000 を超えています。` } });
  },
};

const coresidentApp: ManifestRule = {
  id: 'ccm/coresident-app', kind: 'upgrade-manifest', severity: 'error', products: P, source: '003 (co-resident applications)',
  docs: doc('No unsupported co-resident application runs on a CallManager server.', 'Cisco Unity, Conference Connection, Personal Assistant and Emergency Responder must not run on the same server as CallManager during the upgrade.', 'CallManager サーバ上でサポートされない共存アプリケーションを実行しないこと。', 'Cisco Unity、Conference Connection、Personal Assistant、Emergency Responder は、アップグレード中に CallManager と同じサーバで実行してはいけません。'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      asArr(n.data.services).forEach((svc, j) => {
        if (typeof svc !== 'string' || !CORESIDENT.includes(svc)) return;
        report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: { en: `${svc} runs on ${n.name} with CallManager; move it to its own server before upgrading.`, ja: `${n.name} で ${svc} が CallManager と共存しています。アップグレード前に別のサーバに移してください。` } });
      });
    }
  },
};

const remoteUpgrade: ManifestRule = {
  id: 'ccm/remote-upgrade', kind: 'upgrade-manifest', severity: 'warning', products: P, source: '003 (do not upgrade through Terminal Services)',
  docs: doc('Upgrades are not run through Terminal Services or iLO.', 'The upgrade stops services and reboots the server; a Terminal Services or iLO session can drop in the middle. Run the upgrade from the console (or VNC).', 'Terminal Services や iLO 経由でアップグレードしないこと。', 'アップグレードはサービスを停止しサーバを再起動するため、Terminal Services や iLO のセッションは途中で切れる可能性があります。コンソール（または VNC）から実行してください。'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.via !== 'terminal-services' && s.data.via !== 'ilo') continue;
      report({ range: ctx.range(`/steps/${s.index}/via`), message: { en: `Step \`${s.id}\` runs the upgrade via ${String(s.data.via)}; use the console or VNC.`, ja: `手順 \`${s.id}\` は ${String(s.data.via)} 経由でアップグレードします。コンソールまたは VNC を使ってください。` } });
    }
  },
};

export const ccmRules: ManifestRule[] = [memory, upgradePath, order, oneAtATime, domainController, windowsDomain, staticIp, secondaryLoad, coresidentApp, remoteUpgrade];
