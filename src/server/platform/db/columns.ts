import { text, timestamp } from 'drizzle-orm/pg-core';

/** Primary key column holding a prefixed id from `newId`. */
export const idColumn = () => text('id').primaryKey();

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
