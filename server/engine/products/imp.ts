/** IM and Presence facts (reference 000): upgrade paths to 9.0, upgrade types, the COP file, switching back. */
import { compareVersions, inRange, v, type Version } from '../versions';
export const imp = {
  /** The target is 9.0(x). */
  is90: (x?: Version): boolean => !!x && x.parts[0] === 9 && x.parts[1] === 0,
  /** 000: upgrades to 9.0(1) are supported from 8.0(1)–8.6(4). */
  supportedTo90: (from: Version): boolean => inRange(from, v('8.0(1)'), v('8.6(4)')),
  /** 000: an upgrade (not a switch back) to 9.0 from 8.0(1)–8.6(1) puts the refresh-upgrade COP file on every node first. */
  needsCop: (from?: Version, to?: Version): boolean => !!from && imp.is90(to) && inRange(from, v('8.0(1)'), v('8.6(1)')),
  /** 000 (version switching rules): going back to a lower version by switching to the inactive partition. */
  isRevert: (from?: Version, to?: Version): boolean => !!from && !!to && compareVersions(to, from, 3) < 0,
  /** 000: after switching back to Cisco Unified Presence 8.6(3) or earlier, the COP file is installed again. */
  copAfterRevert: (from?: Version, to?: Version): boolean =>
    imp.isRevert(from, to) && compareVersions(from!, v('9.0(1)'), 3) >= 0 && compareVersions(to!, v('8.6(3)'), 3) <= 0,
  /**
   * 000 (Unified CM and IM and Presence versions must match from 9.0(1); switching rules): the Unified CM major.minor
   * must match only when moving to 9.0(1) or later; going back to 8.x is possible whatever Unified CM runs.
   */
  cucmMustMatch: (to?: Version): boolean => !!to && compareVersions(to, v('9.0(1)'), 3) >= 0,
  /** 000: to 9.0, from 8.0(1)–8.6(3) is a refresh upgrade and from 8.6(4) a standard one. */
  requiredUpgradeType(from?: Version, to?: Version): 'refresh' | 'standard' | undefined {
    if (!from || !imp.is90(to)) return undefined;
    if (inRange(from, v('8.0(1)'), v('8.6(3)'))) return 'refresh';
    if (compareVersions(from, v('8.6(4)'), 3) === 0) return 'standard';
    return undefined;
  },
};
