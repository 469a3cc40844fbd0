import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { Throttle } from './throttle.js';

export interface Refusal {
  /** The account whose step failed: its throttle counts the failure and the denial is audited on it. */
  userId: string;
  action: string;
  /** Fixed words for the audit row and the problem's issue (never the submitted value). */
  reason: string;
  code: ErrorCode;
  /** The request field the problem points at; none for a refusal about the whole request. */
  path?: string | undefined;
}

/** Where a refusal is counted and recorded: the service's database, its throttle and its key per account. */
export interface RefuseDeps {
  db: Db;
  throttle: Throttle;
  keyOf: (userId: string) => string;
}

/**
 * A refused account-management step (TOTP, security keys): counts the failure under `keyOf(userId)`, audits the denial
 * (with whether it set the lock), then throws ACCOUNT_LOCKED when it did, else the refusal's own code. Called with
 * the code written out, so the route-error map (scripts/openapi-errors.ts) finds it.
 */
export async function refuseStep(deps: RefuseDeps, ctx: RequestContext, r: Refusal): Promise<never> {
  const locked = await deps.throttle.recordFailure(deps.keyOf(r.userId));
  await recordAudit(deps.db, ctx, {
    action: r.action,
    outcome: 'denied',
    objectType: 'user',
    objectId: r.userId,
    detail: { reason: r.reason, locked },
  });
  if (locked) throw new AppError('ACCOUNT_LOCKED');
  throw new AppError(r.code, r.path ? { issues: [{ path: r.path, message: r.reason }] } : undefined);
}
