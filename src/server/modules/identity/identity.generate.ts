import type { PlatformRole } from '../../../shared/roles.js';
import { type BulkWriter, directWriter } from '../../platform/db/bulk.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { user, userRole } from './identity.tables.js';

/**
 * Benchmark generator (issue 13): accounts in bulk for the people behind generated orders (residents who never
 * sign in: no credential row, so they cannot be used to log in). Accounts that must sign in are made with
 * `IdentityService.createAccount`, which hashes a password per account.
 */
export async function generateAccounts(
  db: DbOrTx,
  rows: { name: string; phone: string; role: PlatformRole }[],
  now: Date,
  writer: BulkWriter = directWriter(db),
): Promise<string[]> {
  const users: (typeof user.$inferInsert)[] = [];
  const roles: (typeof userRole.$inferInsert)[] = [];
  for (const r of rows) {
    const id = newId('usr');
    users.push({
      id,
      name: r.name,
      email: `${r.phone}@phone.anxin.invalid`,
      emailVerified: false,
      phoneNumber: r.phone,
      phoneNumberVerified: true,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
    roles.push({ id: newId('rol'), userId: id, role: r.role, district: null, createdAt: now });
  }
  await writer.write(user, users);
  await writer.write(userRole, roles);
  return users.map((u) => u.id!);
}
