import { defineConfig } from 'vitest/config';

// Three projects: unit (no I/O), db (real SQL on PGlite, or PostgreSQL with TEST_DATABASE_URL), e2e (Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/*.e2e.test.ts', 'node_modules/**'],
          environment: 'node',
          // The source scans (translations, architecture, egress, storage) read every file: seconds on a busy machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          retry: 1,
          // A page shows a server write's result after a round trip and a re-render: on a loaded CI host that
          // can take longer than expect.poll's default second (the booking journey's 确认完成 did, 1 Dec 2026).
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
