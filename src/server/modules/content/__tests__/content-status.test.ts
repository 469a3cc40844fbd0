import { describe, expect, test } from 'vitest';
import {
  contentActions,
  contentActionsFrom,
  contentStates,
  type ContentState,
  transitionContent,
} from '../content-status.js';

// The whole table, written out: every (state, action) pair is either allowed with its target or refused.
const expected: Record<ContentState, Partial<Record<(typeof contentActions)[number], ContentState>>> = {
  draft: { publish: 'published', schedule: 'scheduled', archive: 'archived' },
  scheduled: { publish: 'published', unschedule: 'draft' },
  published: { unpublish: 'unpublished' },
  unpublished: { publish: 'published', schedule: 'scheduled', archive: 'archived' },
  archived: {},
};

describe('content state machine', () => {
  for (const from of contentStates)
    for (const action of contentActions) {
      const to = expected[from][action];
      test(`${from} --${action}--> ${to ?? 'refused'}`, () => {
        expect(transitionContent(from, action)).toEqual(to ? { ok: true, to } : { ok: false });
      });
    }

  test('the issue’s path: draft → published → unpublished → published, then unpublished → archived', () => {
    let s: ContentState = 'draft';
    for (const a of ['publish', 'unpublish', 'publish', 'unpublish', 'archive'] as const) {
      const r = transitionContent(s, a);
      if (!r.ok) throw new Error(`${a} from ${s} refused`);
      s = r.to;
    }
    expect(s).toBe('archived');
  });

  test('the editor’s buttons are exactly the allowed actions', () => {
    for (const from of contentStates)
      expect(contentActionsFrom(from).sort()).toEqual(Object.keys(expected[from]).sort());
    expect(contentActionsFrom('archived')).toEqual([]);
  });
});
