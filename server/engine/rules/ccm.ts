/** CallManager manifest rules (product: callmanager). Facts: reference 003. */
import { msg, ruleDocs } from '../l10n/index';
import { asArr, isUpgrade, related, type StepInfo } from '../manifest';
import { compareVersions, v } from '../versions';
import { callmanager } from '../products/index';
import type { ManifestRule } from './manifest';

const P = ['callmanager'];
export const CCM_ORDER: readonly string[] = callmanager.ORDER;
const CORESIDENT = ['unity', 'conference-connection', 'personal-assistant', 'emergency-responder'];

const memory: ManifestRule = {
  id: 'ccm/memory',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003 (1 GB minimum memory)',
  docs: ruleDocs('ccm/memory'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      const mem = n.data.memoryMB;
      if (typeof mem !== 'number' || mem >= 1024) continue;
      report({
        range: ctx.range(`/nodes/${n.index}/memoryMB`),
        severity: n.role === 'publisher' ? 'error' : 'warning',
        message: msg('ccm/memory.message', { node: n.name, memory: mem }),
      });
    }
  },
};

const upgradePath: ManifestRule = {
  id: 'ccm/upgrade-path',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003 (no direct path from 3.2 or earlier)',
  docs: ruleDocs('ccm/upgrade-path'),
  check(ctx, report) {
    if (!ctx.from || !ctx.to || compareVersions(ctx.from, v('3.2'), 2) > 0 || compareVersions(ctx.to, v('4.0'), 2) < 0) return;
    report({ range: ctx.range('/from'), message: msg('ccm/upgrade-path.message', { from: ctx.from.text, to: ctx.to.text }) });
  },
};

const order: ManifestRule = {
  id: 'ccm/order',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003 (cluster upgrade order)',
  docs: ruleDocs('ccm/order'),
  check(ctx, report) {
    let highest: { rank: number; step: StepInfo } | undefined;
    for (const s of ctx.steps.filter(isUpgrade)) {
      const ranks = s.nodes.map((r) => CCM_ORDER.indexOf(ctx.byName.get(r.name)?.role ?? '')).filter((x) => x >= 0);
      if (!ranks.length) continue;
      const low = Math.min(...ranks);
      if (highest && low < highest.rank && highest.step.index !== s.index) {
        report({
          range: s.range,
          message: msg('ccm/order.message', {
            role: CCM_ORDER[low],
            laterRole: CCM_ORDER[highest.rank],
            stepId: highest.step.id,
            order: CCM_ORDER.join(' → '),
          }),
          related: [related(highest.step.range, msg('ccm/order.related', { role: CCM_ORDER[highest.rank] }))],
        });
      }
      const high = Math.max(...ranks);
      if (!highest || high > highest.rank) highest = { rank: high, step: s };
    }
  },
};

const oneAtATime: ManifestRule = {
  id: 'ccm/one-at-a-time',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003 (upgrade one server at a time)',
  docs: ruleDocs('ccm/one-at-a-time'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.nodes.length < 2) continue;
      report({ range: ctx.range(`/steps/${s.index}/nodes`), message: msg('ccm/one-at-a-time.message', { id: s.id, nodesCount: s.nodes.length }) });
    }
  },
};

/** A rule on one key of each node: the message is `<id>.message` with the node's name and the value. */
const nodeFlag = (
  id: 'ccm/domain-controller' | 'ccm/windows-domain' | 'ccm/static-ip',
  key: string,
  bad: (v: unknown) => boolean,
  severity: 'error' | 'warning',
  source: string,
): ManifestRule => ({
  id,
  kind: 'upgrade-manifest',
  severity,
  products: P,
  source,
  docs: ruleDocs(id),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      if (!(key in n.data) || !bad(n.data[key])) continue;
      report({ range: ctx.range(`/nodes/${n.index}/${key}`), message: msg(`${id}.message`, { node: n.name, value: String(n.data[key]) }) });
    }
  },
});

const domainController = nodeFlag('ccm/domain-controller', 'domainController', (x) => x === true, 'error', '003 (workgroup, no domain controller)');
const windowsDomain = nodeFlag(
  'ccm/windows-domain',
  'windowsDomain',
  (x) => typeof x === 'string' && x !== '',
  'warning',
  '003 (workgroup during the installation)',
);
const staticIp = nodeFlag('ccm/static-ip', 'staticIp', (x) => x === false, 'warning', '003 (static IP address)');

const secondaryLoad: ManifestRule = {
  id: 'ccm/secondary-load',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003 (5,000 devices on a secondary)',
  docs: ruleDocs('ccm/secondary-load'),
  check(ctx, report) {
    const n = ctx.m.devicesOnSecondary;
    if (typeof n !== 'number' || n <= 5000) return;
    report({ range: ctx.range('/devicesOnSecondary'), message: msg('ccm/secondary-load.message', { n }) });
  },
};

const coresidentApp: ManifestRule = {
  id: 'ccm/coresident-app',
  kind: 'upgrade-manifest',
  severity: 'error',
  products: P,
  source: '003 (co-resident applications)',
  docs: ruleDocs('ccm/coresident-app'),
  check(ctx, report) {
    for (const n of ctx.nodes) {
      // 003: the limit is on the servers where CallManager is installed; an `application` server is where these
      // applications belong (upgraded last), unless it runs the CallManager service itself.
      const services = asArr(n.data.services);
      if (n.role === 'application' && !services.includes('callmanager')) continue;
      services.forEach((svc, j) => {
        if (typeof svc !== 'string' || !CORESIDENT.includes(svc)) return;
        report({ range: ctx.range(`/nodes/${n.index}/services/${j}`), message: msg('ccm/coresident-app.message', { service: svc, node: n.name }) });
      });
    }
  },
};

const remoteUpgrade: ManifestRule = {
  id: 'ccm/remote-upgrade',
  kind: 'upgrade-manifest',
  severity: 'warning',
  products: P,
  source: '003 (do not upgrade through Terminal Services)',
  docs: ruleDocs('ccm/remote-upgrade'),
  check(ctx, report) {
    for (const s of ctx.steps.filter(isUpgrade)) {
      if (s.data.via !== 'terminal-services' && s.data.via !== 'ilo') continue;
      report({ range: ctx.range(`/steps/${s.index}/via`), message: msg('ccm/remote-upgrade.message', { id: s.id, via: String(s.data.via) }) });
    }
  },
};

export const ccmRules: ManifestRule[] = [
  memory,
  upgradePath,
  order,
  oneAtATime,
  domainController,
  windowsDomain,
  staticIp,
  secondaryLoad,
  coresidentApp,
  remoteUpgrade,
];
