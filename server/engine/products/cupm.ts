/** Provisioning Manager facts (reference 001). */
import { compareVersions, v, type Version } from '../versions';
export const cupm = {
  /** 001: an upgrade to 8.5 starts from 2.1 or 2.2; undefined when `to` is not 8.5 (no documented path to check). */
  supportedTo85(from: Version, to: Version): boolean | undefined {
    if (to.parts[0] !== 8 || to.parts[1] !== 5) return undefined;
    return compareVersions(from, v('2.1'), 2) === 0 || compareVersions(from, v('2.2'), 2) === 0;
  },
};
