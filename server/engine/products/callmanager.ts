/** CallManager facts (reference 003, the Cisco CallManager 4.1 pre-installation and upgrade FAQ). */
import type { GuideDuration } from '../runbook/duration';
import { compareVersions, v, type Version } from '../versions';

/** A Cisco IP telephony OS version (`2000.2.7sr2`, `2000.2.7.sr2`, `2000.2.6`) as [minor, maintenance, service release]. */
export type OsVersion = [number, number, number];
const OS_RE = /^2000\.(\d+)\.(\d+)(?:[.-]?sr(\d+))?$/i;

export const callmanager = {
  /** 003-02, 003-31, 003-32, 003-39: the cluster's upgrade order, by role. */
  ORDER: ['publisher', 'tftp', 'services', 'secondary', 'primary', 'application'] as const,
  /** 003-24: there is no direct upgrade from 3.2 or earlier to 4.0 or later (3.3 first). */
  noDirectPath: (from: Version, to: Version): boolean => compareVersions(from, v('3.2'), 2) <= 0 && compareVersions(to, v('4.0'), 2) >= 0,
  /** The guide is about upgrades to CallManager 4.1: its rules apply to plans whose `to` is 4.1(x). */
  is41: (to?: Version): boolean => !!to && to.parts[0] === 4 && to.parts[1] === 1,
  /** 003-01: memory on a CallManager server, in MB. */
  MIN_MEMORY_MB: 1024,
  /** 003-35: devices registered to one secondary server while it is oversubscribed during the upgrade. */
  MAX_DEVICES_PER_SECONDARY: 5000,
  /** 003-21, 003-53: applications never installed on a server where CallManager is installed (CRS is allowed, 003-40). */
  CORESIDENT: ['unity', 'conference-connection', 'personal-assistant', 'emergency-responder'] as readonly string[],
  /** 003-49: servers whose drive cannot be removed: MCS-7815, -7820, -7822, -7825 (any suffix) and the IBM xSeries 330. */
  noDriveRemoval: (hardware: unknown): boolean =>
    typeof hardware === 'string' && (/^MCS-?78(15|20|22|25)(?!\d)/i.test(hardware.trim()) || /x(?:-?series)?[\s-]*330(?!\d)/i.test(hardware)),
  /** 003-51: the MCS-7845 gives up the drives of slots 0 and 2 and needs two spare drives. */
  twoDrives: (hardware: unknown): boolean => typeof hardware === 'string' && /^MCS-?7845(?!\d)/i.test(hardware.trim()),
  /** 003-26: the operating system Cisco recommends before upgrading to 4.1(3): 2000.2.7 with service release 2 or later. */
  OS_RECOMMENDED: [2, 7, 2] as OsVersion,
  /** 003-26: from 3.3, the OS upgrade CD-ROM or web download is documented for servers on 2000.2.3 or later. */
  OS_UPGRADE_CD_FROM_33: [2, 3, 0] as OsVersion,
  parseOs: (text: unknown): OsVersion | undefined => {
    const m = typeof text === 'string' ? OS_RE.exec(text.trim()) : undefined;
    return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
  },
  compareOs: (a: OsVersion, b: OsVersion): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2],
  /**
   * The durations the guide documents, for the scheduler. 003-38: after a primary server is upgraded, call processing
   * may be interrupted for up to 30 minutes while the devices fetch their loads and register again, so a check of a
   * primary waits that long. The guide states no time for an upgrade itself (003-41: plan the tasks' time in).
   */
  DURATIONS: [
    { action: 'verify', roles: ['primary'], minutes: 30, ref: '003-38 (devices re-register for up to 30 minutes after a primary is upgraded)' },
  ] as readonly GuideDuration[],
  /**
   * 003-36: secondaries are oversubscribed for "no more than a few hours"; read as at most this many minutes, the
   * longest "a few" hours can be (a plan that keeps them so for longer gets ccm/oversubscribed-too-long).
   */
  MAX_OVERSUBSCRIBED_MINUTES: 4 * 60,
};
