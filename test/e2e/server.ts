import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/platform/db/client.js';
import { runMigrations } from '../../src/server/platform/db/migrate.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 — no trailing slash. */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for loadConfig. */
  env?: Record<string, string>;
  /** Directory of the built web app; the server's default is <repo>/dist/web. */
  webRoot?: string | null;
  /** The app's clock (default: real time); journeys move it to pass deadlines. */
  clock?: () => Date;
  /** A fixed loopback port (default: a random free one), e.g. when PUBLIC_URL must name it. */
  port?: number;
}

/**
 * The real application, as `npm start` runs it, on an in-memory PGlite and a random loopback port,
 * serving the built web app (dist/web, or the copy the e2e global setup made).
 */
export async function startServer({
  env = {},
  webRoot,
  clock,
  port,
}: StartOptions = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-e2e-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    SEED_DEMO: 'never',
    JOBS: 'off',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // One browser on loopback plays every audience page after page: the per-IP budgets are for real callers
    // (the keyboard journey alone went over 600 requests a minute, and the later pages answered 429).
    RATE_LIMIT_GLOBAL: '100000',
    RATE_LIMIT_AUTH: '100000',
    RATE_LIMIT_OTP: '100000',
    ...env,
  });
  const database = await openDatabase({ pgliteDir: 'memory://' });
  await runMigrations(database);
  const app = await buildApp({
    config,
    database,
    ...(webRoot ? { webRoot } : {}),
    ...(clock ? { clock } : {}),
  });
  await app.listen({ port: port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    async close() {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
