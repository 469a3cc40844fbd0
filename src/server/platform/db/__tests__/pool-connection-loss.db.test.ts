import type { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { type Database, openDatabase } from '../client.js';

// A connection that dies while checked out must leave the pool: drizzle's transaction() never releases a client whose
// BEGIN failed, and a pool that keeps such a client can never end (pool.end() waits for it), which made the failover
// drill (src/server/drill) end with no result when the primary was killed during a writer's BEGIN.
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PostgreSQL pool: connections lost while checked out', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  test('BEGIN on a connection that just died: the transaction fails, the pool drops the client and can end', async () => {
    database = await openDatabase({ databaseUrl: url!, poolSize: 2 });
    const pool = database.pool!;
    // The server goes away between the checkout and the transaction's BEGIN.
    pool.once('acquire', (client) =>
      (client as unknown as { connection: { stream: Socket } }).connection.stream.destroy(),
    );
    await expect(database.db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    await vi.waitFor(() => expect(pool.totalCount).toBe(0));
    // The pool still serves, and ends.
    expect((await database.raw.query<{ n: number }>('select 1 as n'))[0]?.n).toBe(1);
    await database.close();
    database = undefined;
    expect(pool.ended).toBe(true);
  });

  test('a connection terminated inside a transaction: one error for the caller, no double release, the slot is freed', async () => {
    database = await openDatabase({ databaseUrl: url!, poolSize: 1 });
    const pool = database.pool!;
    const err = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
      })
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).not.toMatch(/already been released/);
    await vi.waitFor(() => expect(pool.totalCount).toBe(0));
    // The one slot is free again.
    expect((await database.raw.query<{ n: number }>('select 2 as n'))[0]?.n).toBe(2);
  });
});
