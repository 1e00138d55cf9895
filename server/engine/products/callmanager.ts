/** CallManager facts (reference 003). */
import { compareVersions, v, type Version } from '../versions';
export const callmanager = {
  /** 003: the cluster's upgrade order, by role. */
  ORDER: ['publisher', 'tftp', 'services', 'secondary', 'primary', 'application'] as const,
  /** 003: there is no direct upgrade from 3.2 or earlier to 4.0 or later (3.3 first). */
  noDirectPath: (from: Version, to: Version): boolean => compareVersions(from, v('3.2'), 2) <= 0 && compareVersions(to, v('4.0'), 2) >= 0,
};
