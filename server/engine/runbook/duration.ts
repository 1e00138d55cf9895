/**
 * Durations in a manifest: the syntax a step's `duration` and a configuration's `defaultDurations` accept, and the
 * shape of the durations the guides document (each product module lists its own, with the guide-coverage row).
 */
import manifestSchema from '../../../schemas/upgrade-manifest.schema.json';

/**
 * The syntax of a duration, as the schema's pattern: hours and minutes (`45m`, `1h30m`, `2h`) or ISO 8601
 * (`PT45M`, `PT1H30M`, `PT2H`). A bare number is not accepted: `90` could be minutes or hours, so it is written
 * `90m`. Up to four digits per part, so no value can overflow or take long to read.
 */
export const DURATION_PATTERN = '^(?:(?=\\d)(?:\\d{1,4}h)?(?:\\d{1,4}m)?|PT(?=\\d)(?:\\d{1,4}H)?(?:\\d{1,4}M)?)$';

/** The actions of the manifest format (the step schema's `action` enum): what `defaultDurations` may name. */
export const STEP_ACTIONS: readonly string[] = (manifestSchema as unknown as { definitions: { step: { properties: { action: { enum: string[] } } } } })
  .definitions.step.properties.action.enum;

const SHORT = /^(?=\d)(?:(\d{1,4})h)?(?:(\d{1,4})m)?$/;
const ISO = /^PT(?=\d)(?:(\d{1,4})H)?(?:(\d{1,4})M)?$/;

/** A duration in minutes, or undefined when `s` is not one (see DURATION_PATTERN: no blanks, as the schema). */
export function parseDuration(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  if (s.length > 16) return undefined;
  const m = SHORT.exec(s) ?? ISO.exec(s);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/**
 * A duration a guide documents for a kind of step: the action, optionally the roles of the nodes it names (any of
 * them) and a further condition on the step, the minutes, and where the guide says so (a docs/guide-coverage.md row
 * and a few words).
 */
export interface GuideDuration {
  action: string;
  roles?: readonly string[];
  when?: (step: Record<string, unknown>) => boolean;
  minutes: number;
  /** `000-06 (publisher down up to 30 min after the switch)`. */
  ref: string;
}
