// Scratch PostgreSQL clusters for the recovery drills: initdb, pg_ctl, pg_basebackup on free loopback ports in a
// temporary directory, never touching any other server. PostgreSQL refuses to run as root, so when this process is
// root every server binary runs as the `postgres` OS user (runuser) and the directory is handed to that user.
import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgBinaries {
  dir: string;
  /** Major version (15 for 15.x). */
  major: number;
}

/** The PostgreSQL server binaries: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else initdb on PATH. */
export function findPgBinaries(env: NodeJS.ProcessEnv = process.env): PgBinaries | null {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (onPath) candidates.push(onPath.replace(/\/initdb$/, ''));
  } catch {
    // not on PATH
  }
  for (const dir of candidates) {
    const need = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'];
    if (!need.every((b) => existsSync(join(dir, b)))) continue;
    try {
      const out = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
      const major = Number(/PostgreSQL\)\s+(\d+)/.exec(out)?.[1]);
      // recovery.signal and recovery settings in postgresql.conf: PostgreSQL 12 and later.
      if (major >= 12) return { dir, major };
    } catch {
      // not runnable
    }
  }
  return null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** A loopback TCP port nobody listens on, from 55432 up (randomised so parallel drills rarely collide). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 55432 + Math.floor(Math.random() * 2000);
    const ok = await new Promise<boolean>((done) => {
      const srv = net.createServer();
      srv.once('error', () => done(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 55432–57431');
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** One scratch directory holding every cluster, archive and log of a drill; `cleanup()` stops and removes all. */
export class Scratch {
  readonly root: string;
  readonly asPostgres: boolean;
  private readonly owner: { uid: number; gid: number } | null;
  private readonly clusters: Cluster[] = [];

  constructor(readonly bins: PgBinaries) {
    this.asPostgres = isRoot();
    this.owner = this.asPostgres ? postgresIds() : null;
    this.root = mkdtempSync(join(tmpdir(), 'anxin-drill-'));
    this.own(this.root);
    this.mkdir('logs');
    process.on('exit', this.onExit);
  }

  /** An interrupted drill (Ctrl-C, SIGTERM → process.exit) still stops its servers and removes its files. */
  private readonly onExit = () => {
    for (const c of this.clusters) {
      if (!c.isRunning) continue;
      const ctl = join(this.bins.dir, 'pg_ctl');
      const args = ['-D', c.dir, '-m', 'immediate', '-w', 'stop'];
      try {
        if (this.asPostgres)
          execFileSync('runuser', ['-u', 'postgres', '--', ctl, ...args], { stdio: 'ignore' });
        else execFileSync(ctl, args, { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  };

  /** Hands a path to the user the servers run as (no-op when not root). */
  own(path: string): void {
    if (this.owner) chownSync(path, this.owner.uid, this.owner.gid);
  }

  mkdir(name: string): string {
    const p = join(this.root, name);
    mkdirSync(p, { recursive: true, mode: 0o700 });
    this.own(p);
    return p;
  }

  /** Appends lines to a file the server reads (postgresql.conf), keeping it owned by the server's user. */
  append(path: string, text: string): void {
    appendFileSync(path, text);
    this.own(path);
  }

  /** Runs a PostgreSQL binary (as `postgres` when root); rejects with its stderr on a non-zero exit. */
  run(bin: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    const path = join(this.bins.dir, bin);
    const [cmd, argv] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    return new Promise((done, fail) => {
      const child = spawn(cmd, argv, { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) done({ stdout, stderr });
        else fail(new Error(`${bin} ${args[0] ?? ''} exited ${code}: ${stderr.trim().slice(-600)}`));
      });
    });
  }

  /** Runs a shell command as the servers' user (copying a data directory keeps its owner and modes). */
  shell(script: string): Promise<RunResult> {
    const [cmd, argv] = this.asPostgres
      ? ['runuser', ['-u', 'postgres', '--', 'sh', '-c', script]]
      : ['sh', ['-c', script]];
    return new Promise((done, fail) => {
      const child = spawn(cmd, argv, { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', fail);
      child.on('close', (code) =>
        code === 0 ? done({ stdout, stderr }) : fail(new Error(`${script}: ${stderr.trim().slice(-400)}`)),
      );
    });
  }

  /** A new, empty cluster (initdb) on a free port; `settings` go into its postgresql.conf. */
  async initCluster(name: string, settings: Record<string, string | number>): Promise<Cluster> {
    const dir = join(this.root, name);
    await this.run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    const cluster = await Cluster.configure(this, name, settings);
    this.clusters.push(cluster);
    return cluster;
  }

  /** A cluster made from an existing data directory (a base backup or a copy of one). */
  async adoptCluster(name: string, settings: Record<string, string | number>): Promise<Cluster> {
    const cluster = await Cluster.configure(this, name, settings);
    this.clusters.push(cluster);
    return cluster;
  }

  /** The last lines of every cluster's server log (for the error a failed drill throws). */
  logTails(lines = 8): string {
    return this.clusters
      .map((c) => {
        const text = existsSync(c.logFile) ? readFileSync(c.logFile, 'utf8') : '';
        return `--- ${c.name} log:\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');
  }

  /** Stops every cluster still running (immediate) and removes the directory. */
  async cleanup(): Promise<void> {
    for (const c of this.clusters) await c.stop('immediate').catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
    process.off('exit', this.onExit);
  }
}

/** The settings every scratch cluster gets: loopback only, its socket in the scratch dir, small memory. */
function baseSettings(scratch: Scratch, port: number): Record<string, string | number> {
  return {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: scratch.root,
    shared_buffers: '32MB',
    max_connections: 60,
    // The drill measures durability: keep the defaults that make it real.
    fsync: 'on',
    full_page_writes: 'on',
  };
}

const confValue = (v: string | number) =>
  typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`;

export class Cluster {
  private running = false;

  get isRunning(): boolean {
    return this.running;
  }

  private constructor(
    readonly scratch: Scratch,
    readonly name: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  static async configure(
    scratch: Scratch,
    name: string,
    settings: Record<string, string | number>,
  ): Promise<Cluster> {
    const port = await freePort();
    const dir = join(scratch.root, name);
    const all = { ...baseSettings(scratch, port), ...settings };
    // Later lines win in postgresql.conf, so these override whatever a copied configuration said.
    scratch.append(
      join(dir, 'postgresql.conf'),
      `\n# anxin drill (${name})\n${Object.entries(all)
        .map(([k, v]) => `${k} = ${confValue(v)}`)
        .join('\n')}\n`,
    );
    return new Cluster(scratch, name, dir, port);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get logFile(): string {
    return join(this.scratch.root, 'logs', `${this.name}.log`);
  }

  /** Starts the server and waits until it accepts connections (`pg_ctl -w`). */
  async start(timeoutS = 120): Promise<void> {
    await this.scratch.run('pg_ctl', [
      '-D',
      this.dir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      String(timeoutS),
      'start',
    ]);
    this.running = true;
  }

  /** `fast` is a clean shutdown; `immediate` is a crash as far as the data is concerned (no checkpoint). */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    if (!this.running) return;
    await this.scratch.run('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** Ends a standby's recovery and waits until it accepts writes. */
  async promote(): Promise<void> {
    await this.scratch.run('pg_ctl', ['-D', this.dir, '-w', 'promote']);
  }

  /** One statement on a fresh connection (the drill's own bookkeeping, not the app's path). */
  async query<T = Record<string, unknown>>(text: string, params: unknown[] = [], database = 'postgres') {
    const c = new pg.Client({ connectionString: this.url(database), connectionTimeoutMillis: 5000 });
    // A server that ends the session (a stopped or restarting cluster, a recovery conflict) makes the client emit
    // 'error' after the query has already failed; unheard, it would end the whole drill process with no result.
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  /** Polls `sql` until it returns a truthy `ok` column, up to `timeoutMs`; resolves with the time taken. */
  async waitFor(sql: string, timeoutMs: number, database = 'postgres'): Promise<number> {
    const started = performance.now();
    for (;;) {
      const rows = await this.query<{ ok: boolean }>(sql, [], database).catch(() => []);
      if (rows[0]?.ok) return performance.now() - started;
      if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for: ${sql}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
