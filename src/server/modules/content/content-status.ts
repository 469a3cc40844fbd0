/**
 * The publishing lifecycle of a content item (pure, no I/O).
 *
 * draft → published (publish) | scheduled (schedule) | archived (archive)
 * scheduled → published (publish now, or the job at the scheduled time) | draft (unschedule)
 * published → unpublished (unpublish, withdrawn from the public site)
 * unpublished → published (publish again) | scheduled (schedule) | archived (archive)
 * archived is final: kept for the record, read-only, never public.
 * Only published items are visible to the public.
 */
export const contentStates = ['draft', 'scheduled', 'published', 'unpublished', 'archived'] as const;
export type ContentState = (typeof contentStates)[number];

export const contentActions = ['publish', 'schedule', 'unschedule', 'unpublish', 'archive'] as const;
export type ContentAction = (typeof contentActions)[number];

/** Every allowed transition; anything else is refused. */
export const contentTransitions: Readonly<
  Record<ContentAction, { from: readonly ContentState[]; to: ContentState }>
> = {
  publish: { from: ['draft', 'scheduled', 'unpublished'], to: 'published' },
  schedule: { from: ['draft', 'unpublished'], to: 'scheduled' },
  unschedule: { from: ['scheduled'], to: 'draft' },
  unpublish: { from: ['published'], to: 'unpublished' },
  archive: { from: ['draft', 'unpublished'], to: 'archived' },
};

/** States in which the editor may still change the text and attachments. */
export const editableStates: readonly ContentState[] = ['draft', 'scheduled', 'published', 'unpublished'];

/** Decides one transition. */
export function transitionContent(
  from: ContentState,
  action: ContentAction,
): { ok: true; to: ContentState } | { ok: false } {
  const t = contentTransitions[action];
  return t.from.includes(from) ? { ok: true, to: t.to } : { ok: false };
}

/** The actions the editor may take from a state (the page shows these buttons). */
export function contentActionsFrom(from: ContentState): ContentAction[] {
  return contentActions.filter((a) => contentTransitions[a].from.includes(from));
}
