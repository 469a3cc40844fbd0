/** The lifecycle of a course and of an exam: drafted, published to workers, then archived/closed (final). */
export const courseStates = ['draft', 'published', 'archived'] as const;
export type CourseState = (typeof courseStates)[number];
export const courseActions = ['publish', 'archive'] as const;
export type CourseAction = (typeof courseActions)[number];

export const courseTransitions: Record<CourseAction, { from: readonly CourseState[]; to: CourseState }> = {
  publish: { from: ['draft'], to: 'published' },
  archive: { from: ['draft', 'published'], to: 'archived' },
};

export const examStates = ['draft', 'published', 'closed'] as const;
export type ExamState = (typeof examStates)[number];
export const examActions = ['publish', 'close'] as const;
export type ExamAction = (typeof examActions)[number];

export const examTransitions: Record<ExamAction, { from: readonly ExamState[]; to: ExamState }> = {
  publish: { from: ['draft'], to: 'published' },
  close: { from: ['draft', 'published'], to: 'closed' },
};

/** Decides a course transition; null when refused. Pure. */
export function courseTransition(from: CourseState, action: CourseAction): CourseState | null {
  const t = courseTransitions[action];
  return t.from.includes(from) ? t.to : null;
}

/** Decides an exam transition; null when refused. Pure. */
export function examTransition(from: ExamState, action: ExamAction): ExamState | null {
  const t = examTransitions[action];
  return t.from.includes(from) ? t.to : null;
}
