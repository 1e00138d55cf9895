/** IM and Presence facts (reference 000): upgrade paths to 9.0, upgrade types, the COP file, switching versions. */
import type { GuideDuration } from '../runbook/duration';
import { compareVersions, inRange, v, type Version } from '../versions';
export const imp = {
  /** The target is 9.0(x). */
  is90: (x?: Version): boolean => !!x && x.parts[0] === 9 && x.parts[1] === 0,
  /**
   * 000-30: upgrades to 9.0(1) are supported from 8.0(1)–8.6(4). A move that starts on 9.x (9.0(1) → 9.0(2), or the
   * guide's switch back 9.1(1) → 9.0(1)) is not in the path table: the version switching rules govern it (000-35, 000-37).
   */
  supportedTo90: (from: Version): boolean => inRange(from, v('8.0(1)'), v('8.6(4)')) || compareVersions(from, v('9.0(1)'), 3) >= 0,
  /** 000-19: an upgrade (not a switch back) to 9.0 from 8.0(1)–8.6(1) puts the refresh-upgrade COP file on every node first. */
  needsCop: (from?: Version, to?: Version): boolean => !!from && imp.is90(to) && inRange(from, v('8.0(1)'), v('8.6(1)')),
  /** 000-20: the refresh-upgrade COP file, spelled `ciscocm.cup.…` (L145) or `cisco.com.cup.…` (L216) in the guide. */
  isRefreshCop: (file: unknown): boolean =>
    typeof file === 'string' && /^(?:ciscocm|cisco\.com)\.cup\.refresh_upgrade_v.+\.cop$/i.test(file.trim().split(/[\\/]/).pop() ?? ''),
  /** 000-14 (version switching rules): going back to a lower version by switching to the inactive partition. */
  isRevert: (from?: Version, to?: Version): boolean => !!from && !!to && compareVersions(to, from, 3) < 0,
  /** 000-15: after switching back to Cisco Unified Presence 8.6(3) or earlier, the COP file is installed again. */
  copAfterRevert: (from?: Version, to?: Version): boolean =>
    imp.isRevert(from, to) && compareVersions(from!, v('9.0(1)'), 3) >= 0 && compareVersions(to!, v('8.6(3)'), 3) <= 0,
  /**
   * 000-16: back from 9.x to 8.6(3) or earlier means the 9.x release came by a refresh upgrade, which reformats the
   * disk of an MCS-7825-H3 or MCS-7828-H3: there is no old partition to switch back to.
   */
  revertAfterRefresh: (from?: Version, to?: Version): boolean => imp.copAfterRevert(from, to),
  /** 000-16, 000-17: the servers whose disk a refresh upgrade reformats. */
  isH3: (hardware: unknown): boolean => typeof hardware === 'string' && /^MCS-78(25|28)-H3$/i.test(hardware.trim()),
  /**
   * 000-31, 000-34–000-40 (Unified CM and IM and Presence versions must match from 9.0(1); switching rules): the
   * Unified CM major.minor must match only when moving to 9.0(1) or later; going back to 8.x is possible whatever
   * Unified CM runs.
   */
  cucmMustMatch: (to?: Version): boolean => !!to && compareVersions(to, v('9.0(1)'), 3) >= 0,
  /**
   * 000-07: upgrading to 9.0(1) is supported only with intercluster peers on 8.6 or 9.0(1). Only upgrades to 9.0
   * (`from` below `to`); a peer already on the target release is accepted too.
   */
  peerRuleApplies: (from?: Version, to?: Version): boolean => !!from && imp.is90(to) && compareVersions(from, to!, 3) < 0,
  peerSupported: (peer: Version, to: Version): boolean =>
    (peer.parts[0] === 8 && peer.parts[1] === 6) || compareVersions(peer, v('9.0(1)'), 3) === 0 || compareVersions(peer, to, 3) === 0,
  /** 000-11: to 9.0, from 8.0(1)–8.6(3) is a refresh upgrade and from 8.6(4) a standard one. */
  requiredUpgradeType(from?: Version, to?: Version): 'refresh' | 'standard' | undefined {
    if (!from || !imp.is90(to)) return undefined;
    if (inRange(from, v('8.0(1)'), v('8.6(3)'))) return 'refresh';
    if (compareVersions(from, v('8.6(4)'), 3) === 0) return 'standard';
    return undefined;
  },
  /**
   * The durations the guide documents, for the scheduler. 000-06: switching the publisher to the new version restarts
   * it, and it is down for up to 30 minutes (a subscriber's downtime depends on replication: no figure). 000-43: during
   * the upgrade, feature services on the publisher may start up to 20 minutes late, so a check of the publisher waits
   * that long. The guide states no time for the upgrade itself (000-27: it varies with users, contact lists and hardware).
   */
  DURATIONS: [
    { action: 'switch-version', roles: ['publisher'], minutes: 30, ref: '000-06 (the publisher is down up to 30 minutes when it switches)' },
    { action: 'verify', roles: ['publisher'], minutes: 20, ref: '000-43 (feature services on the publisher start up to 20 minutes late)' },
  ] as readonly GuideDuration[],
};
