import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { AppError } from '../errors.js';
import type { FileStorage } from './storage.js';
import { isServerRendered } from './image-hygiene.js';

/**
 * Malware scanning of every stored file (ASVS 5.4.3) through a ClamAV daemon (clamd), spoken to directly over TCP or a
 * unix socket with its INSTREAM protocol: `zINSTREAM\0`, then chunks of `<uint32 BE length><bytes>`, then a zero
 * length; clamd answers `stream: OK`, `stream: <signature> FOUND` or `<reason> ERROR`, NUL-terminated.
 * `withAntivirus(storage, scanner)` wraps the app's one FileStorage: an infected file is refused with
 * `FILE_INFECTED`, and a scanner that cannot answer refuses the upload too (`ANTIVIRUS_UNAVAILABLE`, fail closed).
 */

/** Where clamd listens: `tcp://host:port` or `unix:///path/to/clamd.ctl`. */
export type ClamdAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** What a scan found: nothing, or the name of the signature that matched. */
export type ScanResult = { infected: false } | { infected: true; signature: string };

/** A malware scanner. `scan` rejects with `AntivirusUnavailableError` when no verdict could be had. */
export interface AntivirusScanner {
  /** Scans the bytes; never stores or logs them. */
  scan(data: Buffer): Promise<ScanResult>;
  /** Resolves when the daemon answers PING with PONG in time. */
  ping(): Promise<void>;
  /** The daemon's version line (`ClamAV 1.4.6/27000/…`). */
  version(): Promise<string>;
  /** The address scanned against, for logs (`tcp://127.0.0.1:3310`); it holds no secret. */
  readonly target: string;
}

/** No verdict: the daemon is unreachable, too slow, closed the connection or answered with an error. */
export class AntivirusUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AntivirusUnavailableError';
  }
}

/** Thrown for an `ANTIVIRUS_CLAMD` value that is neither `tcp://host:port` nor `unix:///path`. */
export class ClamdAddressError extends Error {}

/** Parses `tcp://host:port` (IPv6 in brackets) or `unix:///absolute/path`. */
export function parseClamdAddress(raw: string): ClamdAddress {
  const value = raw.trim();
  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (!path.startsWith('/'))
      throw new ClamdAddressError(
        'ANTIVIRUS_CLAMD unix socket must be an absolute path: unix:///run/clamav/clamd.ctl',
      );
    return { kind: 'unix', path };
  }
  const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(value);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535)
    throw new ClamdAddressError(
      'ANTIVIRUS_CLAMD must be tcp://host:port or unix:///path/to/clamd.ctl (e.g. tcp://127.0.0.1:3310)',
    );
  return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

const describe = (a: ClamdAddress) => (a.kind === 'unix' ? `unix://${a.path}` : `tcp://${a.host}:${a.port}`);

/** clamd's default StreamMaxLength is 100 MB; chunks are far smaller so no single one can exceed it. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export interface ClamdOptions {
  address: ClamdAddress | string;
  /** Whole-operation deadline (connect, send, verdict) in ms. */
  timeoutMs: number;
  /** Bytes per INSTREAM chunk; must not exceed clamd's StreamMaxLength. */
  chunkBytes?: number;
}

/** A clamd client on node:net; each call opens one connection (clamd closes it after one `z` command). */
export function createClamdScanner(opts: ClamdOptions): AntivirusScanner {
  const address = typeof opts.address === 'string' ? parseClamdAddress(opts.address) : opts.address;
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new RangeError('chunkBytes must be a positive integer');
  if (!Number.isInteger(opts.timeoutMs) || opts.timeoutMs < 1)
    throw new RangeError('timeoutMs must be positive');
  const target = describe(address);

  /** Sends `command`, then what `send` writes, and resolves with clamd's reply (up to its NUL). */
  function exchange(command: string, send?: (socket: Socket) => Promise<void>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket =
        address.kind === 'unix'
          ? connect({ path: address.path })
          : connect({ host: address.host, port: address.port });
      const received: Buffer[] = [];
      let settled = false;
      const finish = (err: Error | null, reply?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (err) reject(err);
        else resolve(reply!);
      };
      const timer = setTimeout(
        () =>
          finish(
            new AntivirusUnavailableError(`clamd at ${target} did not answer within ${opts.timeoutMs} ms`),
          ),
        opts.timeoutMs,
      );
      const replyText = () =>
        Buffer.concat(received)
          .toString('utf8')
          .replace(/\0[\s\S]*$/, '')
          .trim();
      socket.on('data', (chunk) => {
        received.push(chunk);
        if (chunk.includes(0)) finish(null, replyText());
      });
      // clamd may answer and close early (a size limit); a reply already read wins over the write error.
      socket.on('end', () => {
        const reply = replyText();
        if (reply) finish(null, reply);
        else
          finish(new AntivirusUnavailableError(`clamd at ${target} closed the connection without a reply`));
      });
      socket.on('error', (e) => {
        const reply = replyText();
        if (reply) finish(null, reply);
        else
          finish(
            new AntivirusUnavailableError(`clamd at ${target} is not reachable: ${e.message}`, { cause: e }),
          );
      });
      socket.once('connect', () => {
        socket.write(`z${command}\0`);
        if (!send) return;
        send(socket).catch((e: unknown) => {
          if (!settled && !received.length)
            finish(new AntivirusUnavailableError(`sending to clamd at ${target} failed`, { cause: e }));
        });
      });
    });
  }

  async function streamChunks(socket: Socket, data: Buffer): Promise<void> {
    for (let at = 0; at < data.length; at += chunkBytes) {
      const part = data.subarray(at, Math.min(at + chunkBytes, data.length));
      const header = Buffer.alloc(4);
      header.writeUInt32BE(part.length);
      socket.write(header);
      if (!socket.write(part)) await drained(socket);
      if (socket.destroyed) return;
    }
    socket.write(Buffer.alloc(4));
  }

  return {
    target,
    async scan(data) {
      const reply = await exchange('INSTREAM', (socket) => streamChunks(socket, data));
      return parseScanReply(reply, target);
    },
    async ping() {
      const reply = await exchange('PING');
      if (reply !== 'PONG')
        throw new AntivirusUnavailableError(`clamd at ${target} answered PING with ${reply.slice(0, 80)}`);
    },
    async version() {
      const reply = await exchange('VERSION');
      if (!reply.startsWith('ClamAV'))
        throw new AntivirusUnavailableError(`clamd at ${target}: unexpected VERSION reply`);
      return reply;
    },
  };
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** `stream: OK` → clean; `stream: <name> FOUND` → infected; anything else (`… ERROR`) → unavailable. */
export function parseScanReply(reply: string, target = 'clamd'): ScanResult {
  const text = reply.replace(/^\d+: /, '');
  if (text === 'stream: OK') return { infected: false };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { infected: true, signature: found[1]! };
  // Error replies name limits or internal failures, never the file's content; keep them short.
  throw new AntivirusUnavailableError(`clamd at ${target} could not scan: ${text.slice(0, 120)}`);
}

/** What is known of a refused infected file: never its name, key or bytes (their SHA-256 identifies it). */
export interface InfectedUpload {
  signature: string;
  size: number;
  /** The storage key's first segment: the module that stored it (`workers`, `messaging`, …). */
  area: string;
  /** SHA-256 (hex) of the refused bytes, as handed to `put`. */
  sha256: string;
}

/**
 * `FILE_INFECTED` carrying what the refused file was, so the request that failed can audit it (app.ts records
 * `storage.upload_refused` from its onError hook, outside any transaction the module had open).
 */
export class FileInfectedError extends AppError {
  readonly upload: InfectedUpload;
  constructor(upload: InfectedUpload) {
    super('FILE_INFECTED');
    this.upload = upload;
  }
}

/** Hooks for `withAntivirus`: what is logged when a file is refused (no file names, no content). */
export interface AntivirusEvents {
  infected?(info: InfectedUpload): void;
  unavailable?(info: { reason: string; size: number; area: string }): void;
}

/** Seconds a client is told to wait after `ANTIVIRUS_UNAVAILABLE`. */
export const ANTIVIRUS_RETRY_AFTER_SECONDS = 30;

const SCANNED = Symbol('anxin.antivirus');

/**
 * `storage` whose `put` first scans the bytes it is given (before any wrapper inside it changes them): infected →
 * `FileInfectedError` (`FILE_INFECTED`), no verdict → `AppError('ANTIVIRUS_UNAVAILABLE')` with Retry-After; either way nothing
 * is stored. Events carry the signature, the size and the key's first segment (the module), never the key or name.
 */
export function withAntivirus(
  storage: FileStorage,
  scanner: AntivirusScanner,
  events: AntivirusEvents = {},
): FileStorage {
  const wrapped: FileStorage & { [SCANNED]: true } = {
    [SCANNED]: true,
    async put(key, data) {
      // A document the server rendered itself (sealed contract, monthly report) holds nothing anyone uploaded as a
      // file (signature images in it were scanned when they were stored): scanning it would only make signing and
      // reporting depend on clamd being up.
      if (isServerRendered(data)) return storage.put(key, data);
      const area = key.split('/')[0] ?? '';
      let result: ScanResult;
      try {
        result = await scanner.scan(data);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        events.unavailable?.({ reason, size: data.length, area });
        throw new AppError('ANTIVIRUS_UNAVAILABLE', {
          headers: { 'retry-after': String(ANTIVIRUS_RETRY_AFTER_SECONDS) },
          cause: e,
        });
      }
      if (result.infected) {
        const upload: InfectedUpload = {
          signature: result.signature,
          size: data.length,
          area,
          sha256: createHash('sha256').update(data).digest('hex'),
        };
        events.infected?.(upload);
        throw new FileInfectedError(upload);
      }
      await storage.put(key, data);
    },
    get: (key) => storage.get(key),
    delete: (key) => storage.delete(key),
    exists: (key) => storage.exists(key),
  };
  return wrapped;
}

/** True when `storage` scans every `put` (see `withAntivirus`). */
export const hasAntivirus = (storage: FileStorage): boolean =>
  (storage as { [SCANNED]?: true })[SCANNED] === true;
