/** ACNS facts (reference 002). */
import type { Version } from '../versions';
export const acns = {
  /** 002: a downgrade to 4.x names the 4.x CDM with CDM-IP in the meta file. */
  downgradeNeedsCdmIp: (to: Version): boolean => to.parts[0] === 4,
};
