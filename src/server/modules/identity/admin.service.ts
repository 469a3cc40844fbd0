import { and, count, eq, gt, inArray } from 'drizzle-orm';
import { type Role, type StaffRole, separatedAdminRoles, staffRoles } from '../../../shared/roles.js';
import { maskMobile, maskName, normalizeMobile } from '../../../shared/validators/index.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { type AuditFilter, queryAuditLog } from '../../platform/audit/audit.query.js';
import { verifyAuditChain, type ChainReport } from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { hasRole } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor, idCursor } from '../../platform/http/pagination.js';
import { maskIp } from './client-info.js';
import { session, user, userRole, userTotp, userWebauthnCredential } from './identity.tables.js';

export interface StaffAccount {
  id: string;
  name: string;
  phoneMasked: string;
  status: 'active' | 'disabled';
  roles: { role: Role; district: string | null; grantedAt: string }[];
  activeSessions: number;
  /** The account's TOTP authenticator: none, enrolment started but not confirmed, or confirmed. */
  authenticator: 'none' | 'pending' | 'enrolled';
  /** The account's security keys (安全密钥), oldest first: never the credential id or public key. */
  securityKeys: { id: string; label: string; createdAt: string; lastUsedAt: string | null }[];
}

export interface AuditLogEntry {
  seq: number;
  id: string;
  at: string;
  actor: { id: string; nameMasked: string } | null;
  actorRoles: string[];
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  requestId: string | null;
  ipMasked: string | null;
  detail: Record<string, unknown> | null;
}

/** Rows one CSV export may hold; narrower filters export the rest. */
export const AUDIT_EXPORT_MAX = 10_000;

const isSeparated = (r: string) => (separatedAdminRoles as readonly string[]).includes(r);
const uniqueViolation = (e: unknown) => {
  const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  return code === '23505';
};

function requireRole(ctx: RequestContext, role: Role) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!hasRole(actor, role)) throw new AppError('FORBIDDEN');
  return actor;
}

/**
 * 三权分立: the security administrator (platform accounts, their roles, status and sessions) and the audit
 * administrator (reads and verifies the audit log). The system administrator (platform_admin) has neither power.
 */
export function createAdminService(deps: { database: Database; clock: () => Date }) {
  const db = deps.database.db;

  async function accountsById(ids: string[]): Promise<StaffAccount[]> {
    if (!ids.length) return [];
    const [users, roles, sessions, totps, keys] = await Promise.all([
      db
        .select({ id: user.id, name: user.name, phone: user.phoneNumber, status: user.status })
        .from(user)
        .where(inArray(user.id, ids)),
      db.select().from(userRole).where(inArray(userRole.userId, ids)),
      db
        .select({ userId: session.userId, n: count() })
        .from(session)
        .where(and(inArray(session.userId, ids), gt(session.expiresAt, new Date())))
        .groupBy(session.userId),
      db
        .select({ userId: userTotp.userId, enrolledAt: userTotp.enrolledAt })
        .from(userTotp)
        .where(inArray(userTotp.userId, ids)),
      db
        .select({
          id: userWebauthnCredential.id,
          userId: userWebauthnCredential.userId,
          label: userWebauthnCredential.label,
          createdAt: userWebauthnCredential.createdAt,
          lastUsedAt: userWebauthnCredential.lastUsedAt,
        })
        .from(userWebauthnCredential)
        .where(inArray(userWebauthnCredential.userId, ids))
        .orderBy(userWebauthnCredential.createdAt, userWebauthnCredential.id),
    ]);
    const totpOf = new Map(
      totps.map((t) => [t.userId, t.enrolledAt ? ('enrolled' as const) : ('pending' as const)]),
    );
    const byId = new Map(users.map((u) => [u.id, u]));
    return ids.flatMap((id) => {
      const u = byId.get(id);
      if (!u) return [];
      return [
        {
          id,
          name: u.name,
          phoneMasked: u.phone ? maskMobile(u.phone) : '',
          status: u.status === 'disabled' ? ('disabled' as const) : ('active' as const),
          roles: roles
            .filter((r) => r.userId === id)
            .map((r) => ({
              role: r.role as Role,
              district: r.district,
              grantedAt: r.createdAt.toISOString(),
            })),
          activeSessions: sessions.find((s) => s.userId === id)?.n ?? 0,
          authenticator: totpOf.get(id) ?? 'none',
          securityKeys: keys
            .filter((k) => k.userId === id)
            .map((k) => ({
              id: k.id,
              label: k.label,
              createdAt: k.createdAt.toISOString(),
              lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
            })),
        },
      ];
    });
  }

  /** The target account for a security admin's change; never their own. */
  async function target(ctx: RequestContext, userId: string) {
    const actor = requireRole(ctx, 'security_admin');
    if (userId === actor.userId) throw new AppError('ADMIN_SELF_CHANGE');
    const [u] = await db.select({ id: user.id, status: user.status }).from(user).where(eq(user.id, userId));
    if (!u) throw new AppError('NOT_FOUND');
    return u;
  }

  async function toEntries(rows: Awaited<ReturnType<typeof queryAuditLog>>): Promise<AuditLogEntry[]> {
    const actorIds = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))];
    const names = actorIds.length
      ? await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, actorIds))
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    return rows.map((r) => ({
      seq: r.seq,
      id: r.id,
      at: r.at.toISOString(),
      actor: r.actorId ? { id: r.actorId, nameMasked: maskName(nameOf.get(r.actorId) ?? '') } : null,
      actorRoles: r.actorRoles ? r.actorRoles.split(',').filter(Boolean) : [],
      action: r.action,
      objectType: r.objectType,
      objectId: r.objectId,
      outcome: r.outcome,
      requestId: r.requestId,
      ipMasked: maskIp(r.ip),
      detail: r.detail ?? null,
    }));
  }

  const filterDetail = (f: AuditFilter) => ({
    from: f.from?.toISOString(),
    to: f.to?.toISOString(),
    action: f.action,
    objectType: f.objectType,
    objectId: f.objectId,
    actorId: f.actorId,
    outcome: f.outcome,
  });

  return {
    /**
     * Staff accounts (holding regulator or an admin role), by id; with `phone`, the one account of that number
     * whatever it holds (to grant a first staff role).
     */
    async listStaff(
      ctx: RequestContext,
      q: { phone?: string | undefined; cursor?: string | undefined; limit: number },
    ): Promise<{ items: StaffAccount[]; nextCursor: string | null }> {
      requireRole(ctx, 'security_admin');
      if (q.phone) {
        const phone = normalizeMobile(q.phone);
        if (!phone)
          throw new AppError('PHONE_INVALID', { issues: [{ path: 'phone', message: 'not a mobile' }] });
        const [u] = await db.select({ id: user.id }).from(user).where(eq(user.phoneNumber, phone));
        return { items: u ? await accountsById([u.id]) : [], nextCursor: null };
      }
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .selectDistinct({ id: userRole.userId })
        .from(userRole)
        .where(
          and(inArray(userRole.role, [...staffRoles]), after ? gt(userRole.userId, after.id) : undefined),
        )
        .orderBy(userRole.userId)
        .limit(q.limit + 1);
      const ids = rows.slice(0, q.limit).map((r) => r.id);
      const last = ids[ids.length - 1];
      return {
        items: await accountsById(ids),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last }) : null,
      };
    },

    /** Grants a staff role with a reason; refuses a second admin duty (三权分立) and changes to one's own account. */
    async grantRole(
      ctx: RequestContext,
      userId: string,
      input: { role: StaffRole; district?: string | null | undefined; reason: string },
    ): Promise<StaffAccount> {
      await target(ctx, userId);
      try {
        await db.transaction(async (tx) => {
          // Serialises grants to one account, so two racing grants cannot each see "no other duty".
          await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for('update');
          const held = await tx
            .select({ role: userRole.role })
            .from(userRole)
            .where(eq(userRole.userId, userId));
          if (held.some((h) => h.role === input.role)) throw new AppError('ROLE_ALREADY_HELD');
          if (isSeparated(input.role) && held.some((h) => isSeparated(h.role)))
            throw new AppError('ROLE_DUTIES_SEPARATED');
          const district = input.role === 'regulator' ? (input.district ?? null) : null;
          await tx.insert(userRole).values({ id: newId('rol'), userId, role: input.role, district });
          await appendAudit(tx, ctx, {
            action: 'identity.role_grant',
            objectType: 'user',
            objectId: userId,
            detail: { role: input.role, district, reason: input.reason },
          });
        });
      } catch (e) {
        // The partial unique index is the last word when the lock above is bypassed (e.g. a direct insert).
        if (uniqueViolation(e)) throw new AppError('ROLE_DUTIES_SEPARATED');
        throw e;
      }
      return (await accountsById([userId]))[0]!;
    },

    /** Revokes a staff role with a reason (takes effect on the account's next request). */
    async revokeRole(
      ctx: RequestContext,
      userId: string,
      role: StaffRole,
      reason: string,
    ): Promise<StaffAccount> {
      await target(ctx, userId);
      await db.transaction(async (tx) => {
        const gone = await tx
          .delete(userRole)
          .where(and(eq(userRole.userId, userId), eq(userRole.role, role)))
          .returning({ id: userRole.id });
        if (!gone.length) throw new AppError('ROLE_NOT_HELD');
        await appendAudit(tx, ctx, {
          action: 'identity.role_revoke',
          objectType: 'user',
          objectId: userId,
          detail: { role, reason },
        });
      });
      return (await accountsById([userId]))[0]!;
    },

    /** Disables or re-enables an account with a reason; disabling ends all its sessions at once. */
    async setStatus(
      ctx: RequestContext,
      userId: string,
      status: 'active' | 'disabled',
      reason: string,
    ): Promise<StaffAccount> {
      const u = await target(ctx, userId);
      if (u.status === status) throw new AppError('ACCOUNT_STATUS_UNCHANGED');
      await db.transaction(async (tx) => {
        await tx.update(user).set({ status }).where(eq(user.id, userId));
        const ended =
          status === 'disabled'
            ? await tx.delete(session).where(eq(session.userId, userId)).returning({ id: session.id })
            : [];
        await appendAudit(tx, ctx, {
          action: status === 'disabled' ? 'identity.disable' : 'identity.enable',
          objectType: 'user',
          objectId: userId,
          detail: { reason, sessionsEnded: ended.length },
        });
      });
      return (await accountsById([userId]))[0]!;
    },

    /** Ends every session of another account (it must sign in again), with a reason. */
    async endSessions(ctx: RequestContext, userId: string, reason: string): Promise<{ ended: number }> {
      await target(ctx, userId);
      return db.transaction(async (tx) => {
        const ended = await tx
          .delete(session)
          .where(eq(session.userId, userId))
          .returning({ id: session.id });
        await appendAudit(tx, ctx, {
          action: 'identity.sessions_end',
          objectType: 'user',
          objectId: userId,
          detail: { reason, ended: ended.length },
        });
        return { ended: ended.length };
      });
    },

    /** A page of the audit log, newest first, actor names and IPs masked; the read is itself audited. */
    async readAuditLog(
      ctx: RequestContext,
      filter: AuditFilter,
      page: { cursor?: string | undefined; limit: number },
    ): Promise<{ items: AuditLogEntry[]; nextCursor: string | null }> {
      requireRole(ctx, 'audit_admin');
      const before = decodeCursor(page.cursor, idCursor);
      const beforeSeq = before ? Number(before.id) : undefined;
      if (before && !Number.isSafeInteger(beforeSeq))
        throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'cursor', message: 'invalid cursor' }] });
      // Read and record in one transaction: if the record cannot be written, nothing is shown (fail closed).
      const rows = await db.transaction(async (tx) => {
        const found = await queryAuditLog(tx, filter, { limit: page.limit + 1, beforeSeq });
        await appendAudit(tx, ctx, {
          action: 'audit.read',
          objectType: 'audit_log',
          detail: { filter: filterDetail(filter), rows: Math.min(found.length, page.limit) },
        });
        return found;
      });
      const items = await toEntries(rows.slice(0, page.limit));
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > page.limit && last ? encodeCursor({ id: String(last.seq) }) : null,
      };
    },

    /** Walks the whole hash chain; the check is audited with its outcome. */
    async verifyAuditChain(ctx: RequestContext): Promise<ChainReport> {
      requireRole(ctx, 'audit_admin');
      const report = await verifyAuditChain(db);
      await db.transaction((tx) =>
        appendAudit(tx, ctx, {
          action: 'audit.verify',
          objectType: 'audit_log',
          outcome: report.ok ? 'ok' : 'failed',
          detail: {
            checked: report.checked,
            firstBroken: report.firstBroken?.seq ?? null,
            problem: report.problem?.kind ?? null,
          },
        }),
      );
      return report;
    },

    /** The filtered log as CSV (at most AUDIT_EXPORT_MAX rows, newest first); the export is audited. */
    async exportAuditCsv(ctx: RequestContext, filter: AuditFilter): Promise<string> {
      requireRole(ctx, 'audit_admin');
      const rows = await db.transaction(async (tx) => {
        const found = await queryAuditLog(tx, filter, { limit: AUDIT_EXPORT_MAX });
        await appendAudit(tx, ctx, {
          action: 'audit.export',
          objectType: 'audit_log',
          detail: { filter: filterDetail(filter), rows: found.length },
        });
        return found;
      });
      const entries = await toEntries(rows);
      const header = [
        'seq',
        'at',
        'actor_id',
        'actor_name',
        'actor_roles',
        'action',
        'object_type',
        'object_id',
        'outcome',
        'request_id',
        'ip',
        'detail',
      ];
      const lines = entries.map((e) =>
        [
          e.seq,
          e.at,
          e.actor?.id ?? '',
          e.actor?.nameMasked ?? '',
          e.actorRoles.join(' '),
          e.action,
          e.objectType ?? '',
          e.objectId ?? '',
          e.outcome,
          e.requestId ?? '',
          e.ipMasked ?? '',
          e.detail ? JSON.stringify(e.detail) : '',
        ]
          .map(csvCell)
          .join(','),
      );
      // A BOM so Excel opens the UTF-8 Chinese correctly.
      return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
    },
  };
}

/** One CSV cell: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let s = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type AdminService = ReturnType<typeof createAdminService>;
