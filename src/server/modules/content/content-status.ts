/**
 * The publishing lifecycle of a content item (pure, no I/O).
 *
 * draft → published (publish) | archived (archive)
 * published → unpublished (unpublish, withdrawn from the public site)
 * unpublished → published (publish again) | archived (archive)
 * archived is final: kept for the record, read-only, never public.
 * Only published items are visible to the public.
 */
export const contentStates = ['draft', 'published', 'unpublished', 'archived'] as const;
export type ContentState = (typeof contentStates)[number];

export const contentActions = ['publish', 'unpublish', 'archive'] as const;
export type ContentAction = (typeof contentActions)[number];

/** Every allowed transition; anything else is refused. */
export const contentTransitions: Readonly<
  Record<ContentAction, { from: readonly ContentState[]; to: ContentState }>
> = {
  publish: { from: ['draft', 'unpublished'], to: 'published' },
  unpublish: { from: ['published'], to: 'unpublished' },
  archive: { from: ['draft', 'unpublished'], to: 'archived' },
};

/** States in which the editor may still change the text and attachments. */
export const editableStates: readonly ContentState[] = ['draft', 'published', 'unpublished'];

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
