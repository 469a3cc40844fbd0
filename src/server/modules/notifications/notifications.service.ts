import { and, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { notification } from './notifications.tables.js';

export interface NewNotification {
  /** A person, or */
  userId?: string | null;
  /** an organization: all its current members see it. At least one of the two. */
  orgId?: string | null;
  kind: string;
  title: string;
  body: string;
  link?: string | null;
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  scope: 'personal' | 'organization';
  createdAt: string;
  readAt: string | null;
}

const toView = (r: typeof notification.$inferSelect): NotificationView => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  scope: r.userId ? 'personal' : 'organization',
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt ? r.readAt.toISOString() : null,
});

/** A notice whose person may be computed by the statement that stores it (an SQL expression of the account id). */
export interface NewNotificationSql extends Omit<NewNotification, 'userId'> {
  userId?: string | SQL | null;
}

/**
 * The insert `notifyMany` runs, as one SQL statement for a CTE of the caller's own statement: the notices commit with
 * the change they report, in its round trip. A person given as an SQL expression that yields null (a worker without
 * an account) skips that notice, as notifyMany's callers skip a person they could not find.
 */
export function notifyManySql(inputs: readonly NewNotificationSql[], createdAt: Date): SQL {
  if (!inputs.length) throw new Error('notify: no notices');
  if (inputs.some((i) => !i.userId && !i.orgId)) throw new Error('notify: userId or orgId is required');
  const rows = inputs.map(
    (i) =>
      sql`(${newId('ntf')}, ${i.userId ?? null}::text, ${i.userId ? null : (i.orgId ?? null)}::text, ${i.kind}::text,
           ${i.title}::text, ${i.body}::text, ${i.link ?? null}::text)`,
  );
  return sql`insert into ${notification} (id, user_id, org_id, kind, title, body, link, created_at)
    select v.id, v.user_id, v.org_id, v.kind, v.title, v.body, v.link, ${createdAt.toISOString()}::timestamptz
      from (values ${sql.join(rows, sql`, `)}) v(id, user_id, org_id, kind, title, body, link)
     where v.user_id is not null or v.org_id is not null
    returning id`;
}

/** In-app notifications for people and organizations. */
export function createNotificationsService(deps: { db: Db; clock: () => Date }) {
  const { db, clock } = deps;

  const visibleTo = (actor: Actor): SQL => {
    const orgIds = actor.memberships.map((m) => m.orgId);
    const mine = eq(notification.userId, actor.userId);
    return orgIds.length ? (or(mine, inArray(notification.orgId, orgIds)) as SQL) : mine;
  };

  /** Stores one event's notifications for all its recipients in one insert; returns their ids in input order. */
  async function notifyMany(inputs: readonly NewNotification[], q: DbOrTx = db): Promise<string[]> {
    if (inputs.some((i) => !i.userId && !i.orgId)) throw new Error('notify: userId or orgId is required');
    if (!inputs.length) return [];
    const createdAt = clock();
    const rows = inputs.map((input) => ({
      id: newId('ntf'),
      userId: input.userId ?? null,
      orgId: input.userId ? null : (input.orgId ?? null),
      kind: input.kind,
      title: input.title,
      body: input.body,
      link: input.link ?? null,
      createdAt,
    }));
    await q.insert(notification).values(rows);
    return rows.map((r) => r.id);
  }

  return {
    /** Stores a notification, inside the caller's transaction when one is given. */
    async notify(input: NewNotification, q: DbOrTx = db): Promise<string> {
      const [id] = await notifyMany([input], q);
      return id!;
    },

    notifyMany,

    /** The caller's own and their organizations' notifications, newest first, keyset-paginated by id. */
    async listMine(actor: Actor, opts: { cursor?: string | undefined; limit: number; unreadOnly?: boolean }) {
      const conds: SQL[] = [visibleTo(actor)];
      if (opts.cursor) conds.push(lt(notification.id, opts.cursor));
      if (opts.unreadOnly) conds.push(isNull(notification.readAt));
      const rows = await db
        .select()
        .from(notification)
        .where(and(...conds))
        .orderBy(desc(notification.id))
        .limit(opts.limit + 1);
      const page = rows.slice(0, opts.limit);
      const unread = await db
        .select({ id: notification.id })
        .from(notification)
        .where(and(visibleTo(actor), isNull(notification.readAt)))
        .limit(100);
      return {
        items: page.map(toView),
        nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
        unreadCount: unread.length,
      };
    },

    /** Marks one visible notification read; 404 for one the caller cannot see. */
    /** Every personal notification of an account, newest first (for the data-subject export). */
    async allFor(userId: string): Promise<NotificationView[]> {
      const rows = await db
        .select()
        .from(notification)
        .where(eq(notification.userId, userId))
        .orderBy(desc(notification.id))
        .limit(10_000);
      return rows.map(toView);
    },

    async markRead(actor: Actor, id: string): Promise<NotificationView> {
      const [row] = await db
        .update(notification)
        .set({ readAt: clock() })
        .where(and(eq(notification.id, id), visibleTo(actor), isNull(notification.readAt)))
        .returning();
      if (row) return toView(row);
      const [existing] = await db
        .select()
        .from(notification)
        .where(and(eq(notification.id, id), visibleTo(actor)))
        .limit(1);
      if (!existing) throw new AppError('NOT_FOUND');
      return toView(existing);
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
