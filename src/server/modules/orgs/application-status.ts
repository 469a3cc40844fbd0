/**
 * Pure state machines of a company's entry to the platform (no I/O).
 *
 * Application (入驻申请): draft → submitted → approved | rejected | needs_more_info; needs_more_info → submitted.
 * Organization (在平台上的状态): pending → active (only by approval); active ⇄ suspended; active | suspended →
 * expelled (清退, final).
 */

export const applicationStatuses = ['draft', 'submitted', 'approved', 'rejected', 'needs_more_info'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const applicationEvents = ['submit', 'approve', 'reject', 'request_info'] as const;
export type ApplicationEvent = (typeof applicationEvents)[number];

/** Every allowed application transition; anything not listed is refused. */
export const applicationTransitions: Readonly<
  Record<ApplicationStatus, Partial<Record<ApplicationEvent, ApplicationStatus>>>
> = {
  draft: { submit: 'submitted' },
  submitted: { approve: 'approved', reject: 'rejected', request_info: 'needs_more_info' },
  needs_more_info: { submit: 'submitted' },
  approved: {},
  rejected: {},
};

/** The status after `event`, or null when the transition is refused. */
export function nextApplicationStatus(
  from: ApplicationStatus,
  event: ApplicationEvent,
): ApplicationStatus | null {
  return applicationTransitions[from]?.[event] ?? null;
}

/** The applicant may change the application (fields, licence) only before it is submitted or when asked for more. */
export const isApplicationEditable = (s: ApplicationStatus): boolean =>
  s === 'draft' || s === 'needs_more_info';

/** Events whose reason is mandatory (the applicant must be told why). */
export const applicationEventNeedsReason = (e: ApplicationEvent): boolean =>
  e === 'reject' || e === 'request_info';

export const orgStatuses = ['pending', 'active', 'suspended', 'expelled'] as const;
export type OrgStatus = (typeof orgStatuses)[number];

export const orgEvents = ['activate', 'suspend', 'reinstate', 'expel'] as const;
export type OrgEvent = (typeof orgEvents)[number];

/** Every allowed organization status transition; `activate` happens only through an approved application. */
export const orgTransitions: Readonly<Record<OrgStatus, Partial<Record<OrgEvent, OrgStatus>>>> = {
  pending: { activate: 'active' },
  active: { suspend: 'suspended', expel: 'expelled' },
  suspended: { reinstate: 'active', expel: 'expelled' },
  expelled: {},
};

/** The status after `event`, or null when the transition is refused. */
export function nextOrgStatus(from: OrgStatus, event: OrgEvent): OrgStatus | null {
  return orgTransitions[from]?.[event] ?? null;
}

/** Suspending and expelling (清退) need a reason on record; reinstating does not. */
export const orgEventNeedsReason = (e: OrgEvent): boolean => e === 'suspend' || e === 'expel';

/** A regulator's decision as the API names it, mapped to the application event. */
export const decisionEvent = { approve: 'approve', reject: 'reject', request_info: 'request_info' } as const;
