import { join } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './platform/db/client.js';
import { runMigrations } from './platform/db/migrate.js';
import { demoAccounts, seedDemoCityIfEmpty } from './seed/demo.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`配置错误 / configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    readUrl: config.databaseReadUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
    connectTimeoutMs: config.databaseTimeouts.connectMs,
    statementTimeoutMs: config.databaseTimeouts.statementMs,
    idleInTransactionTimeoutMs: config.databaseTimeouts.idleInTransactionMs,
  });
  await runMigrations(database);
  const app = await buildApp({ config, database });
  const seeded =
    config.seedDemo === 'never'
      ? null
      : await seedDemoCityIfEmpty(app, { force: config.seedDemo === 'always' });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    // close() reaps the keep-alive connections idle at that moment; one that finishes an in-flight request
    // afterwards would hold the exit until its keep-alive timeout, so reap them as they go idle.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    reaper.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl.startsWith('http://localhost')
    ? address.replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost')
    : config.publicUrl;
  const lines = [
    '',
    `  安心家政 Anxin is running on ${url}`,
    `  database: ${database.kind === 'pglite' ? `PGlite (${join(config.dataDir, 'pglite')})` : 'PostgreSQL'}`,
    `  API docs: ${url}/api/docs   OpenAPI: ${url}/openapi.json   health: ${url}/healthz`,
  ];
  if (seeded)
    lines.push(
      seeded.created ? '  demo city seeded (first start)' : '  demo data already present, not reseeded',
    );
  if (config.seedDemo !== 'never' && !config.isProduction) {
    lines.push('', '  Demo accounts (password for all: see README):');
    for (const a of demoAccounts) lines.push(`    ${a.label.padEnd(18)} ${a.phone}`);
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
