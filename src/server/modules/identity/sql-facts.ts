import { type SQL, sql } from 'drizzle-orm';
import { maskMobile } from '../../../shared/validators/index.js';
import { user } from './identity.tables.js';

/**
 * An account's phone number as a scalar subquery (null for an unknown id), as `phoneOf` reads it: for other modules'
 * one-statement writes (an order step reads the resident's number for its SMS in the step's own statement).
 */
export function userPhoneSql(userId: SQL): SQL<string | null> {
  return sql<string | null>`(select u.phone_number from ${user} u where u.id = ${userId})`;
}

/** An account as other modules show it: display name and masked phone (`profilesOf`). */
export interface UserProfile {
  id: string;
  name: string;
  phoneMasked: string;
}

/** The profile `profilesOf` gives, from an account's name and full phone number (masked here, never passed on). */
export function toUserProfile(r: { id: string; name: string; phone: string | null }): UserProfile {
  return { id: r.id, name: r.name, phoneMasked: r.phone ? maskMobile(r.phone) : '' };
}

/**
 * An account's profile source as a scalar subquery (json `{id, name, phone}`, null for an unknown id), for other
 * modules' one-statement reads; `userProfileOf` turns the value into the masked profile.
 */
export function userProfileSql(userId: SQL): SQL<unknown> {
  return sql`(select json_build_object('id', u.id, 'name', u.name, 'phone', u.phone_number) from ${user} u where u.id = ${userId})`;
}

/** The masked profile from a `userProfileSql` value (json text on PGlite, parsed on node-postgres). */
export function userProfileOf(v: unknown): UserProfile | null {
  if (v === null || v === undefined) return null;
  const r = (typeof v === 'string' ? JSON.parse(v) : v) as { id: string; name: string; phone: string | null };
  return toUserProfile(r);
}
