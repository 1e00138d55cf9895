/**
 * The planner: from a product, `from`, `to`, the nodes and the facts the product needs, the complete ordered steps
 * the guide prescribes. One pure planner per product (planner/<product>.ts); planner/index.ts renders a plan as a
 * manifest. Its output lints with no error and no warning (test/unit/planner.test.ts enumerates every path).
 */
import type { Message } from '../l10n/index';
import type { ProductId } from '../products/index';

/** A node of the plan: `name`, `role`, and any node key of the manifest format (`memoryMB`, `hardware`, `os`…). */
export interface PlanNode {
  name: string;
  role: string;
  [key: string]: unknown;
}

export interface PlanRequest {
  product: ProductId;
  from: string;
  to: string;
  nodes: PlanNode[];
  /** Top-level manifest keys of the product (`highAvailability`, `deployment`, `unifiedCmVersion`…). */
  facts?: Record<string, unknown>;
  title?: string;
  maintenanceWindow?: { start: string; end: string };
}

/** A step as the manifest writes it, with a note that says what the guide asks and where. */
export interface PlanStep {
  id: string;
  action: string;
  node?: string;
  nodes?: string[];
  /** Says what the step is for and cites the guide (rendered in the user's language). */
  note: Message;
  /** Only where the guide gives a figure (the runbook estimates the others). */
  duration?: string;
  /** The action's own keys (`service`, `target`, `file`, `package`, `switch`…). */
  [key: string]: unknown;
}

export type Plan =
  | {
      ok: true;
      /** Top-level keys besides product, from, to, nodes and steps, in the order written (facts the plan needs, e.g. `upgradeType`). */
      header: Record<string, unknown>;
      nodes: PlanNode[];
      steps: PlanStep[];
      /** A comment line written above a header key (e.g. a maintenance window the planner had to assume). */
      comments?: Record<string, Message>;
    }
  /** The guide does not allow this upgrade: the rule that says so and its message. */
  | { ok: false; rule: string; message: Message };

/** A fact the planner asks for: the editor's quick pick or input box, the CLI's `--set key=value`. */
export interface FactSpec {
  key: string;
  /** The allowed values (a quick pick); otherwise free text or a number. */
  values?: readonly string[];
  type: 'string' | 'number' | 'boolean';
  /** Asked for in the editor; without it the planner's default holds. */
  ask: Message;
  default?: string | number | boolean;
}

/** A path of the property test: the request's versions and facts. */
export interface PlanPath {
  from: string;
  to: string;
  facts?: Record<string, unknown>;
}

export interface ProductPlanner {
  product: ProductId;
  /** The roles a node may have in this product's plans, in the order the editor offers them. */
  roles: readonly string[];
  facts: FactSpec[];
  plan(req: PlanRequest): Plan;
  /** Every upgrade path in the guide the planner writes a plan for (the property test plans and lints each). */
  paths: PlanPath[];
  /** Paths the guide refuses, with the rule that refuses them (the planner refuses with that rule's message). */
  refused: (PlanPath & { rule: string })[];
  /** A node set the plan may be made for, drawn with `rand` (0 ≤ rand() < 1): random sizes and mixes of roles. */
  sampleNodes(rand: () => number, path: PlanPath): PlanNode[];
}
