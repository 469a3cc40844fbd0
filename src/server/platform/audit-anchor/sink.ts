import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CheckpointRecord } from '../audit/checkpoint.js';
import type { AnchorRecord } from './audit-anchor.js';

/** What a sink keeps: anchors, and the checkpoints of pruned prefixes (`kind: 'checkpoint'`). */
export type SinkRecord = AnchorRecord | CheckpointRecord;

/** Somewhere outside the database that keeps anchor lines. */
export interface AnchorSink {
  /** `dir` or `https`: the prefix of what `append` returns, and how `audit_anchor.sink` tracks delivery. */
  readonly name: string;
  /**
   * Appends one anchor durably; returns where it went, `<name>:<where>` without spaces (e.g.
   * `dir:audit-anchors-2026-11-29.jsonl`). Throws when it cannot: the anchor stays pending and is sent again.
   */
  append(record: SinkRecord): Promise<string>;
  /** Reads back every line the sink holds, for verification. */
  read(): Promise<AnchorLine[]>;
}

const FILE = /^audit-anchors-\d{4}-\d{2}-\d{2}\.jsonl$/;

/**
 * The one serialisation of an anchor, for every sink: JSON with the keys sorted, so a pending anchor rebuilt from its
 * `audit_anchor` row is the same bytes (and the same idempotency key) as the first attempt.
 */
export function anchorLine(record: SinkRecord): string {
  return JSON.stringify(record, Object.keys(record).sort());
}

/**
 * A directory of append-only JSON-lines files, one per UTC day (`audit-anchors-YYYY-MM-DD.jsonl`), created 0700 with
 * files 0600. Each append is one write of one line on an O_APPEND descriptor, then fsync (and fsync of the directory
 * when the day's file is new), so an acknowledged anchor survives a crash. Ship the directory off the host
 * (docs/operations.md): on the host it protects against the database, not against root.
 */
export function createDirSink(dir: string): AnchorSink {
  return {
    name: 'dir',
    async append(record) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `audit-anchors-${record.at.slice(0, 10)}.jsonl`;
      const path = join(dir, name);
      let created = false;
      let fh = await open(path, constants.O_WRONLY | constants.O_APPEND, 0o600).catch(
        (e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
          return null;
        },
      );
      if (!fh) {
        // No O_EXCL: if another process created it meanwhile, this appends to theirs.
        fh = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
        created = true;
      }
      try {
        await fh.write(`${anchorLine(record)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (created) {
        const d = await open(dir, constants.O_RDONLY);
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      }
      return `dir:${name}`;
    },
    read: () => readAnchorDir(dir),
  };
}

/** One line of an anchor file, as read back for verification. */
export interface AnchorLine {
  file: string;
  line: number;
  text: string;
}

/** Every line of every `audit-anchors-*.jsonl` under `dir`, subdirectories included (one per shipping node). */
export async function readAnchorDir(dir: string): Promise<AnchorLine[]> {
  const out: AnchorLine[] = [];
  const names = (await readdir(dir, { recursive: true })).filter((n) => FILE.test(basename(n))).sort();
  for (const name of names) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    lines.forEach((text, i) => {
      if (text.trim() !== '') out.push({ file: name, line: i + 1, text });
    });
  }
  return out;
}
