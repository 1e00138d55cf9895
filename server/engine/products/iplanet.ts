/** iPlanet Messaging Server facts (reference 004: appendix C, upgrading to iPlanet Messaging Server 5.2). */
import { compareVersions, v, type Version } from '../versions';

/** A Web Server version as administrators write it: `6.0sp2`, `6.0 SP2`, `6.0`, `4.1`, `6` → [major, minor, service pack]. */
function webServer(x: unknown): [number, number, number] | undefined {
  if (typeof x !== 'string' && typeof x !== 'number') return undefined;
  const m = /^(\d+)(?:\.(\d+))?(?:\.\d+)*\s*(?:[-_ ]?sp\s*(\d+))?$/i.exec(String(x).trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}
const cmp3 = (a: readonly number[], b: readonly number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

// Durations: the guide states none, so the scheduler's iPlanet steps are estimates (runbook/schedule.ts).
export const iplanet = {
  /** The plan's target is 5.2: the release the guide is about (its version facts hold for it only). */
  is52: (to?: Version): boolean => !!to && to.parts[0] === 5 && to.parts[1] === 2,
  /** 004 L110, L150: an upgrade to 5.2 starts from an earlier 5.x release (5.1 given as the example, 5.0 in the HA resource names). */
  supportedTo52: (from: Version): boolean => from.parts[0] === 5 && from.parts[1] < 2,
  /** 004 L88: 5.2 ships Netscape Directory Server 4.16; an older one (4.13) is upgraded. */
  DIRECTORY_SHIPPED: '4.16',
  directoryTooOld: (dv: Version): boolean => compareVersions(dv, v('4.16'), 2) < 0,
  /** 004 L175: the Web Server version 5.2 supports. */
  WEB_SERVER_SUPPORTED: '6.0 SP2',
  /** Parsed `webServerVersion`, or undefined when it cannot be read. */
  webServer,
  /** 004 L175: the Web Server runs the supported 6.0 SP2 or later. */
  webServerSupported: (w: readonly number[]): boolean => cmp3(w, [6, 0, 2]) >= 0,
  /** 004 L175: versions before 6.0 cannot be upgraded to 6.0 SP2 (4.x is migrated instead). */
  webServerUpgradable: (w: readonly number[]): boolean => cmp3(w, [6, 0, 0]) >= 0,
  /** 004 L177: the Delegated Administrator version 5.2 supports. */
  DELEGATED_ADMIN: '1.2',
  /** 004 L247: the Sun Cluster 3.x agent package installed on every cluster node after the upgrade. */
  SC3_AGENT: 'SUNWscims',
  /** 004 L261: the back-out stops these processes in this order (a stop of the MTA dispatcher counts as Messaging Server). */
  BACKOUT_STOP: ['delegated-admin', 'web', 'msg', 'directory', 'admin'] as const,
  /** 004 L279: and starts them again in this order. */
  BACKOUT_START: ['admin', 'directory', 'msg', 'web', 'delegated-admin'] as const,
};
