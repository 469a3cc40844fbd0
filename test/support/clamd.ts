import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClamdScanner } from '../../src/server/platform/storage/antivirus.js';

// A real clamd for the antivirus tests: its own config and database directory (only the EICAR test signature in
// ./clamav), a free loopback port, no freshclam, no log file, started once per test file.

export const CLAMD_PATH = '/usr/sbin/clamd';
const SIGNATURES = join(import.meta.dirname, 'clamav', 'anxin-test.ndb');

/** The EICAR anti-virus test file (68 bytes), assembled here so no source file holds it whole. */
export const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-FILE!$H+H*'].join(''),
  'latin1',
);
/**
 * A valid one-page PDF (correct cross-reference table, so pdf-lib and the metadata stripper accept it) whose page
 * content stream holds `inner` unchanged: the stripper copies content streams byte for byte.
 */
export function pdfWith(inner: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const add = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const object = (n: number, body: Buffer) => {
    offsets[n] = length;
    add(Buffer.concat([Buffer.from(`${n} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]));
  };
  object(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'));
  object(2, Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'));
  object(3, Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>', 'latin1'));
  object(
    4,
    Buffer.concat([
      Buffer.from(`<< /Length ${inner.length} >>\nstream\n`, 'latin1'),
      inner,
      Buffer.from('\nendstream', 'latin1'),
    ]),
  );
  const xref = length;
  const rows = offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`);
  add(
    Buffer.from(
      `xref\n0 5\n0000000000 65535 f \n${rows.join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

/** What clamd calls a match of test/support/clamav/anxin-test.ndb. */
export const EICAR_SIGNATURE = 'Anxin.Test.EICAR.UNOFFICIAL';

/**
 * True when the antivirus tests must be skipped: clamd is not installed and this is not CI. On CI (`CI=true`) a
 * missing clamd throws, so the file fails: .ci/run installs clamav-daemon.
 */
export function skipWithoutClamd(): boolean {
  if (existsSync(CLAMD_PATH)) return false;
  if (process.env.CI === 'true')
    throw new Error(
      `${CLAMD_PATH} is missing: CI must install clamav-daemon (.ci/run) for the antivirus tests`,
    );
  console.warn(
    `SKIPPED antivirus tests: ${CLAMD_PATH} is not installed (apt-get install -y clamav-daemon to run them)`,
  );
  return true;
}

export interface TestClamd {
  /** `tcp://127.0.0.1:<port>`, what ANTIVIRUS_CLAMD takes. */
  address: string;
  port: number;
  /** Stops the daemon (SIGTERM, waits for exit); the port then refuses connections. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but nothing answers (a hung daemon). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Stops the daemon and removes its directory. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts clamd on a free loopback port with the test signature database; resolves once it answers PING. */
export async function startClamd(): Promise<TestClamd> {
  const dir = mkdtempSync(join(tmpdir(), 'anxin-clamd-'));
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir);
  copyFileSync(SIGNATURES, join(dbDir, 'anxin-test.ndb'));
  const port = await freePort();
  const conf = join(dir, 'clamd.conf');
  // No LogFile and no file names in any log: a scanned upload's name could hold personal data.
  writeFileSync(
    conf,
    [
      'Foreground yes',
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `DatabaseDirectory ${dbDir}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      `TemporaryDirectory ${dir}`,
      'LogClean no',
      'LogVerbose no',
      'ExtendedDetectionInfo no',
      'SelfCheck 0',
      'StreamMaxLength 25M',
      '',
    ].join('\n'),
  );
  const address = `tcp://127.0.0.1:${port}`;
  const ping = createClamdScanner({ address, timeoutMs: 1000 });
  let child: ChildProcess | null = null;
  let output = '';
  const killOnExit = () => child?.kill('SIGKILL');

  async function start(): Promise<void> {
    output = '';
    const proc = spawn(CLAMD_PATH, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    });
    process.once('exit', killOnExit);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null)
        throw new Error(`clamd exited during start-up (${proc.exitCode ?? proc.signalCode}):\n${output}`);
      try {
        await ping.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`clamd did not answer PING within 30 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    process.off('exit', killOnExit);
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    address,
    port,
    start,
    stop,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
