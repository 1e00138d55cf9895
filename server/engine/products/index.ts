/**
 * The five products, each described once: its id in manifests, the guide its facts come from, the family of its
 * rule ids, and the version facts that both the rules and the hovers use. A rule or a hover that needs "which
 * upgrades does the guide support" asks here, so the two can never disagree.
 */

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

/**
 * The step `service` and `target` values each product's guide uses (the schema allows all of them in every
 * manifest; completion offers a product's own first and only those).
 */
export const STEP_VALUES: Readonly<Record<ProductId, { service: readonly string[]; target: readonly string[] }>> = {
  'cucm-im-presence': { service: ['sync-agent'], target: ['drs', 'usb'] },
  cupm: { service: ['apache', 'jboss', 'nice', 'csa', 'antivirus'], target: ['pg_dumpall', 'cupm-config', 'filesystem'] },
  acns: { service: ['cms'], target: ['cdm-database', 'cdm-dump'] },
  callmanager: { service: ['terminal-services', 'ntp', 'vnc', 'verified-apps'], target: ['drive', 'filesystem'] },
  'iplanet-messaging': {
    service: ['dispatcher', 'msg', 'admin', 'web', 'directory', 'delegated-admin'],
    target: ['server-root', 'message-queue', 'message-store', 'db2ldif', 'ldapsearch', 'config-files'],
  },
};

export { imp } from './imp';
export { cupm } from './cupm';
export { acns } from './acns';
export { callmanager } from './callmanager';
export { iplanet } from './iplanet';
