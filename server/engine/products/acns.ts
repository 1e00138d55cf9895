/** ACNS facts (reference 002: upgrading from ACNS 5.1, the CDM upgrade with a standby CDM, the CDM downgrade). */
import { compareWithBuild, parseVersion, type Version } from '../versions';

const isDown = (from: Version | undefined, to: Version | undefined): boolean => !!from && !!to && compareWithBuild(to, from) < 0;

// Durations: the guide states none (002 L226, L406, L418: a CDM reboots after its install and is unavailable
// meanwhile, for no stated time), so the scheduler's ACNS steps are estimates (runbook/schedule.ts).
export const acns = {
  /** 002 (table 7-1, the samples): the software image a meta file points at is a `.bin` or `.upg` file. */
  IMAGE: /\.(bin|upg)$/i,
  /**
   * The release an image file name installs: the version after `-TO-` in a downgrade image
   * (ACNS-5.x.x-TO-4.2.1-K9.bin → 4.2.1), else the first version in the name (ACNS-5.1.3-K9.bin → 5.1.3).
   */
  imageVersion(fileName: string): Version | undefined {
    const m = /-TO-(\d+\.\d+(?:\.\d+)*)/i.exec(fileName) ?? /(?:^|[^0-9.])(\d+\.\d+(?:\.\d+)*)/.exec(fileName);
    return m ? parseVersion(m[1]) : undefined;
  },
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
