import { describe, expect, test } from 'vitest';
import {
  applicationEventNeedsReason,
  applicationEvents,
  applicationStatuses,
  type ApplicationEvent,
  type ApplicationStatus,
  isApplicationEditable,
  nextApplicationStatus,
  nextOrgStatus,
  orgEventNeedsReason,
  orgEvents,
  orgStatuses,
  type OrgEvent,
  type OrgStatus,
} from '../application-status.js';

const allowedApplication: [ApplicationStatus, ApplicationEvent, ApplicationStatus][] = [
  ['draft', 'submit', 'submitted'],
  ['submitted', 'approve', 'approved'],
  ['submitted', 'reject', 'rejected'],
  ['submitted', 'request_info', 'needs_more_info'],
  ['needs_more_info', 'submit', 'submitted'],
];

const allowedOrg: [OrgStatus, OrgEvent, OrgStatus][] = [
  ['pending', 'activate', 'active'],
  ['active', 'suspend', 'suspended'],
  ['active', 'expel', 'expelled'],
  ['suspended', 'reinstate', 'active'],
  ['suspended', 'expel', 'expelled'],
];

describe('application state machine', () => {
  test.each(allowedApplication)('%s --%s--> %s is allowed', (from, event, to) => {
    expect(nextApplicationStatus(from, event)).toBe(to);
  });

  const refused = applicationStatuses.flatMap((from) =>
    applicationEvents
      .filter((e) => !allowedApplication.some(([f, ev]) => f === from && ev === e))
      .map((e) => [from, e] as const),
  );
  test('every other pair is refused', () => {
    expect(refused.length).toBe(
      applicationStatuses.length * applicationEvents.length - allowedApplication.length,
    );
  });
  test.each(refused)('%s --%s--> is refused', (from, event) => {
    expect(nextApplicationStatus(from, event)).toBeNull();
  });

  test('editable only in draft and needs_more_info', () => {
    expect(applicationStatuses.filter(isApplicationEditable)).toEqual(['draft', 'needs_more_info']);
  });
  test('reject and request_info need a reason; approve and submit do not', () => {
    expect(applicationEvents.filter(applicationEventNeedsReason)).toEqual(['reject', 'request_info']);
  });
});

describe('organization status machine', () => {
  test.each(allowedOrg)('%s --%s--> %s is allowed', (from, event, to) => {
    expect(nextOrgStatus(from, event)).toBe(to);
  });
  const refused = orgStatuses.flatMap((from) =>
    orgEvents
      .filter((e) => !allowedOrg.some(([f, ev]) => f === from && ev === e))
      .map((e) => [from, e] as const),
  );
  test('every other pair is refused', () => {
    expect(refused.length).toBe(orgStatuses.length * orgEvents.length - allowedOrg.length);
  });
  test.each(refused)('%s --%s--> is refused', (from, event) => {
    expect(nextOrgStatus(from, event)).toBeNull();
  });
  test('expelled is final', () => {
    for (const e of orgEvents) expect(nextOrgStatus('expelled', e)).toBeNull();
  });
  test('suspend and expel need a reason', () => {
    expect(orgEvents.filter(orgEventNeedsReason)).toEqual(['suspend', 'expel']);
  });
});
