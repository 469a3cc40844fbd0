// `npm run audit:verify`: walks the audit chain of the configured database and reports the first broken link.
import { join } from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { verifyAuditChain } from '../src/server/platform/audit/audit.js';
import { openDatabase } from '../src/server/platform/db/client.js';

const config = loadConfig();
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: join(config.dataDir, 'pglite'),
});
try {
  const report = await verifyAuditChain(database.db);
  if (report.ok) {
    console.log(
      `audit chain OK: ${report.checked} entries verified; head seq ${report.head?.seq ?? '-'} hash ${report.head?.hash ?? '-'}`,
    );
    console.log(
      'Keep the head hash outside the database (a ticket, a log shipper): a later run must extend it.',
    );
  } else {
    const b = report.firstBroken!;
    console.error(
      `audit chain BROKEN at seq ${b.seq} (id ${b.id}): ${b.reason}; ${report.checked} entries before it verified`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
