/** Planner for cucm-im-presence. PLACEHOLDER: replaced by the product's planner (issue 15); it plans nothing yet. */
import { msg } from '../l10n/index';
import type { ProductPlanner } from './types';

export const impPlanner: ProductPlanner = {
  product: 'cucm-im-presence',
  roles: [],
  facts: [],
  plan: () => ({ ok: false, rule: 'plan/unsupported', message: msg('plan.error.versions') }),
  paths: [],
  refused: [],
  sampleNodes: () => [],
};
