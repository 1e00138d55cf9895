/** Provisioning Manager facts (reference 001). */
import type { GuideDuration } from '../runbook/duration';
import { compareVersions, v, type Version } from '../versions';

export const cupm = {
  /**
   * 001-40: an upgrade to 8.5 starts from 2.1 or 2.2. Undefined when the plan is not an upgrade to 8.5 (another
   * target, or `from` not below `to`: a move of 8.5 to Windows Server 2008 or a restore is no upgrade).
   */
  supportedTo85(from: Version, to: Version): boolean | undefined {
    if (to.parts[0] !== 8 || to.parts[1] !== 5 || compareVersions(from, to, 2) >= 0) return undefined;
    return compareVersions(from, v('2.1'), 2) === 0 || compareVersions(from, v('2.2'), 2) === 0;
  },
  /** 001-07: the first release that runs on Windows Server 2008 (the only one that moves there). */
  FIRST_ON_2008: v('8.5'),
  /** 001-27: the phones each size model supports (installer step 7); `tiny` states no figure. */
  SIZE_PHONES: { small: 1000, medium: 10000, large: 60000 } as Readonly<Record<string, number>>,
  /** 001-26: the memory Windows must report for the installer to offer medium and large. */
  MIN_MEMORY_MB: 4096,
  /** 001-19: an installation takes about this many minutes. */
  INSTALL_MINUTES: 60,
  /** 001-51, 001-57: the services stopped around pg_dumpall and psql (Apache, cupm JBossService, cupm NiceService). */
  DUMP_SERVICES: ['apache', 'jboss', 'nice'] as const,
  /** 001-48: the Line to End-User Association utility, needed after an upgrade from 2.1. */
  LINE_USERS_FROM: v('2.1'),
  LINE_USERS_UTILITY: 'ProvisionLineUsers.bat',
  /**
   * The durations the guide documents, for the scheduler: 001-19, a fresh installation (an `install` without a
   * `package`) takes about 60 minutes. The guide gives none for an upgrade (cupm/install-time counts installations only).
   */
  DURATIONS: [
    { action: 'install', when: (s) => s.package === undefined, minutes: 60, ref: '001-19 (an installation takes about 60 minutes)' },
  ] as readonly GuideDuration[],
};
