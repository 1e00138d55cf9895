/** A planned step's note: what the step is for, then where in which guide it comes from. */
import { dynamicMsg, msg, type Message } from '../l10n/index';

export type GuideId = '000' | '001' | '002' | '003' | '004';

/**
 * `text` (a catalog message in the planner's own keys, `plan.<product>.<step>`) followed by the guide's title and
 * the reference of the fact in it (`003-39`, as in docs/guide-coverage.md), e.g. "Upgrade the publisher first …
 * (Cisco CallManager 4.1 pre-installation guide, 003-39)".
 */
export const note = (text: Message, guide: GuideId, ...refs: string[]): Message =>
  msg('plan.note', { text, guide: dynamicMsg(`guide.${guide}.title`), refs: refs.map((r) => (r.includes('-') ? r : `${guide}-${r}`)) });
