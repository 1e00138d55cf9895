/** ACNS facts (reference 002: upgrading from ACNS 5.1, the CDM upgrade with a standby CDM, the CDM downgrade). */
import { compareWithBuild, type Version } from '../versions';

const isDown = (from: Version | undefined, to: Version | undefined): boolean => !!from && !!to && compareWithBuild(to, from) < 0;

export const acns = {
  /**
   * 002-22 to 002-24: a downgrade to ACNS 4.x, the only case where the meta file's (optional) `CDM-IP` applies. The
   * engines go down through the CDM GUI; the CLI downgrade to 4.2.9 is in another chapter of the guide.
   */
  downgradeNeedsCdmIp: (to: Version): boolean => to.parts[0] === 4,
  /** `to` lower than `from`. */
  isDowngrade: isDown,
  /**
   * 002-42 to 002-48: the guide's "Content Distribution Manager のダウングレード" procedure applies to a downgrade
   * within ACNS 5.x (the chapter covers 5.1.x to another 5.x release, up or down); a CDM going to 4.x follows another
   * chapter, so nothing of that procedure is claimed for it.
   */
  cdmDowngradeProcedure: (from: Version | undefined, to: Version | undefined): boolean => isDown(from, to) && to!.parts[0] >= 5,
};
