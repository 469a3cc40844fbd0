import { describe, expect, it } from 'vitest';
import {
  FRAUD_MAX_PER_DAY,
  FRAUD_MAX_SAME_COMPANY_30D,
  fraudSignal,
  overallOf,
  ratingsValid,
  reviewRefusal,
} from '../review-rules.js';

const DAY = 86_400_000;
const done = new Date('2026-03-01T02:00:00Z');

describe('review rules', () => {
  it('accepts exactly the side’s dimensions, integers 1–5', () => {
    expect(ratingsValid('resident', { quality: 5, punctuality: 1, attitude: 3, skill: 4 })).toBe(true);
    expect(ratingsValid('resident', { quality: 5, punctuality: 1, attitude: 3 })).toBe(false);
    expect(ratingsValid('resident', { quality: 0, punctuality: 1, attitude: 3, skill: 4 })).toBe(false);
    expect(ratingsValid('resident', { quality: 4.5, punctuality: 1, attitude: 3, skill: 4 })).toBe(false);
    expect(ratingsValid('resident', { respect: 5, payment: 5, communication: 5, environment: 5 })).toBe(
      false,
    );
    expect(ratingsValid('provider', { respect: 5, payment: 5, communication: 5, environment: 5 })).toBe(true);
    expect(ratingsValid('provider', { respect: 5, payment: 5, communication: 5, environment: 5, x: 1 })).toBe(
      false,
    );
  });

  it('scores a review by the mean of its dimensions', () => {
    expect(overallOf({ a: 5, b: 4, c: 5, d: 4 })).toBe(4.5);
    expect(overallOf({ a: 5, b: 4, c: 4 })).toBe(4.33);
    expect(overallOf({ a: 1, b: 1, c: 1, d: 1 })).toBe(1);
  });

  it('reviews only completed or closed orders, within the window', () => {
    for (const state of [
      'requested',
      'accepted',
      'contracted',
      'in_service',
      'cancelled',
      'declined',
      'expired',
    ])
      expect(reviewRefusal({ state, completedAt: null }, done, 30)).toBe('REVIEW_ORDER_NOT_COMPLETED');
    expect(reviewRefusal({ state: 'completed', completedAt: null }, done, 30)).toBe(
      'REVIEW_ORDER_NOT_COMPLETED',
    );
    expect(reviewRefusal({ state: 'completed', completedAt: done }, done, 30)).toBeNull();
    expect(
      reviewRefusal({ state: 'closed', completedAt: done }, new Date(done.getTime() + 30 * DAY), 30),
    ).toBeNull();
    expect(
      reviewRefusal({ state: 'closed', completedAt: done }, new Date(done.getTime() + 30 * DAY + 1), 30),
    ).toBe('REVIEW_WINDOW_CLOSED');
  });

  it('holds reviews for moderation on fraud signals', () => {
    expect(fraudSignal({ byAuthorLast24h: 0, sameCompanyLast30d: 0 })).toBeNull();
    expect(fraudSignal({ byAuthorLast24h: FRAUD_MAX_PER_DAY - 1, sameCompanyLast30d: 0 })).toBeNull();
    expect(fraudSignal({ byAuthorLast24h: FRAUD_MAX_PER_DAY, sameCompanyLast30d: 0 })).toBe(
      'many_reviews_from_one_account',
    );
    expect(
      fraudSignal({ byAuthorLast24h: 0, sameCompanyLast30d: FRAUD_MAX_SAME_COMPANY_30D - 1 }),
    ).toBeNull();
    expect(fraudSignal({ byAuthorLast24h: 0, sameCompanyLast30d: FRAUD_MAX_SAME_COMPANY_30D })).toBe(
      'repeated_reviews_of_one_company',
    );
  });
});
