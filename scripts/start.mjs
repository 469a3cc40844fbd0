// `npm start`: build the web app and the server bundle when missing or older than their sources, then run the
// server bundle (dist/server/main.js, scripts/build-server.mjs) with plain Node.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureServerBundle, newest } from './build-server.mjs';

const root = new URL('..', import.meta.url).pathname;
const index = join(root, 'dist/web/index.html');

const stale =
  !existsSync(index) ||
  statSync(index).mtimeMs < Math.max(newest(join(root, 'src/web')), newest(join(root, 'src/shared')));
if (stale) {
  console.log('building the web app (vite build)…');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) {
    console.error('web build failed');
    process.exit(r.status ?? 1);
  }
}

const bundle = await ensureServerBundle();
const child = spawn(process.execPath, ['--enable-source-maps', bundle], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
