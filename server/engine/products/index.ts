/**
 * The five products, each described once: its id in manifests, the guide its facts come from, the family of its
 * rule ids, and the version facts that both the rules and the hovers use. A rule or a hover that needs "which
 * upgrades does the guide support" asks here, so the two can never disagree.
 */
import { compareVersions, inRange, v, type Version } from '../versions';

export type ProductId = 'acns' | 'cupm' | 'callmanager' | 'cucm-im-presence' | 'iplanet-messaging';

export interface Product {
  id: ProductId;
  /** The reference guide in ../shared/reference (000–004). */
  guide: string;
  /** The family of its rule ids (`imp/…`). */
  family: string;
  /** The catalog key of its name (`product.<id>.name`). */
  nameKey: string;
}

const product = (id: ProductId, guide: string, family: string): Product => ({ id, guide, family, nameKey: `product.${id}.name` });

export const PRODUCTS: readonly Product[] = [
  product('cucm-im-presence', '000', 'imp'),
  product('cupm', '001', 'cupm'),
  product('acns', '002', 'acns'),
  product('callmanager', '003', 'ccm'),
  product('iplanet-messaging', '004', 'ims'),
];

const byId = new Map<string, Product>(PRODUCTS.map((p) => [p.id, p]));
export const productOf = (id: unknown): Product | undefined => (typeof id === 'string' ? byId.get(id) : undefined);

// ---------------------------------------------------------------------------------------------------------
// IM and Presence (000)

export const imp = {
  /** The target is 9.0(x). */
  is90: (x?: Version): boolean => !!x && x.parts[0] === 9 && x.parts[1] === 0,
  /** 000: upgrades to 9.0(1) are supported from 8.0(1)–8.6(4). */
  supportedTo90: (from: Version): boolean => inRange(from, v('8.0(1)'), v('8.6(4)')),
  /** 000: from 8.0(1)–8.6(1) the refresh-upgrade COP file goes on every node first. */
  needsCop: (from: Version): boolean => inRange(from, v('8.0(1)'), v('8.6(1)')),
  /** 000: to 9.0, from 8.0(1)–8.6(3) is a refresh upgrade and from 8.6(4) a standard one. */
  requiredUpgradeType(from?: Version, to?: Version): 'refresh' | 'standard' | undefined {
    if (!from || !imp.is90(to)) return undefined;
    if (inRange(from, v('8.0(1)'), v('8.6(3)'))) return 'refresh';
    if (compareVersions(from, v('8.6(4)'), 3) === 0) return 'standard';
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------------------
// CUPM (001)

export const cupm = {
  /** 001: an upgrade to 8.5 starts from 2.1 or 2.2; undefined when `to` is not 8.5 (no documented path to check). */
  supportedTo85(from: Version, to: Version): boolean | undefined {
    if (to.parts[0] !== 8 || to.parts[1] !== 5) return undefined;
    return compareVersions(from, v('2.1'), 2) === 0 || compareVersions(from, v('2.2'), 2) === 0;
  },
};

// ---------------------------------------------------------------------------------------------------------
// CallManager (003)

export const callmanager = {
  /** 003: the cluster's upgrade order, by role. */
  ORDER: ['publisher', 'tftp', 'services', 'secondary', 'primary', 'application'] as const,
  /** 003: there is no direct upgrade from 3.2 or earlier to 4.0 or later (3.3 first). */
  noDirectPath: (from: Version, to: Version): boolean => compareVersions(from, v('3.2'), 2) <= 0 && compareVersions(to, v('4.0'), 2) >= 0,
};

// ---------------------------------------------------------------------------------------------------------
// ACNS (002)

export const acns = {
  /** 002: a downgrade to 4.x names the 4.x CDM with CDM-IP in the meta file. */
  downgradeNeedsCdmIp: (to: Version): boolean => to.parts[0] === 4,
};
