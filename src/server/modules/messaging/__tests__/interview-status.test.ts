import { describe, expect, test } from 'vitest';
import {
  interviewActions,
  interviewActionsFor,
  type InterviewParty,
  type InterviewState,
  interviewStates,
  transitionInterview,
} from '../interview-status.js';

// Every (state × action × party) cell: the allowed ones listed here, everything else refused with its reason.
const allowed: Record<string, InterviewState> = {
  'scheduled/join/organizer': 'in_progress',
  'scheduled/join/worker': 'in_progress',
  'in_progress/join/organizer': 'in_progress',
  'in_progress/join/worker': 'in_progress',
  'scheduled/complete/organizer': 'completed',
  'in_progress/complete/organizer': 'completed',
  'scheduled/cancel/organizer': 'cancelled',
  'scheduled/cancel/worker': 'cancelled',
  'in_progress/cancel/organizer': 'cancelled',
  'in_progress/cancel/worker': 'cancelled',
};
const parties: InterviewParty[] = ['organizer', 'worker'];

describe('interview transitions', () => {
  for (const state of interviewStates)
    for (const action of interviewActions)
      for (const party of parties) {
        const key = `${state}/${action}/${party}`;
        test(key, () => {
          const r = transitionInterview(state, action, party);
          if (allowed[key]) expect(r).toEqual({ ok: true, to: allowed[key] });
          else
            expect(r).toEqual({
              ok: false,
              reason: ['completed', 'cancelled'].includes(state) ? 'state' : 'party',
            });
        });
      }

  test('actions offered to the UI follow the table', () => {
    expect(interviewActionsFor('scheduled', 'worker')).toEqual(['join', 'cancel']);
    expect(interviewActionsFor('in_progress', 'organizer')).toEqual(['join', 'complete', 'cancel']);
    expect(interviewActionsFor('completed', 'organizer')).toEqual([]);
  });
});
