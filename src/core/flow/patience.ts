import type { FlowSet, Waiting } from './types.js';

/** How long a question waits for its answer: in a check-in's conversation `answer_window` (customers answer hours later), else `idle_reset`. */
export function patience(flows: Pick<FlowSet, 'settings' | 'checkins'>, waiting: Waiting | null): number {
  return waiting?.checkin ? flows.checkins.settings.answerWindowMs : flows.settings.idleResetMs;
}
