import { eq, getTableName, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { appendAudit } from './platform/audit/audit.js';
import type { Db, DbOrTx } from './platform/db/client.js';
import { schema } from './platform/db/schema.js';
import { systemContext } from './platform/http/context.js';
import { type Pii, type PiiProfile, piiProfileSwitch } from './platform/pii/index.js';

/**
 * The crypto-profile switch (`npm run crypto:switch -- --to gm|intl`): after a deployment's PII_CRYPTO_PROFILE
 * changed, reseals every PII token still in the other profile's format and recomputes every blind-index column with
 * the new profile, table by table in keyset batches. Each batch is one transaction that also advances the run's
 * cursor (pii_profile_switch), so a stopped run resumes where it stood; a row is rewritten only if it still holds what
 * was read (a concurrent write already uses the new profile). The same run after a PII_KEY rotation (`--to` the
 * current profile) reseals the tokens of retired key versions. A run ends with a check that no token of the other
 * format or of a retired key version is left (a node still on the old settings may have written one): tables that
 * have some are walked again.
 * Then the run is 'done', and lookups stop trying the other profile's blind index (pii.setDataProfile).
 * A second run rewrites nothing. Start and end are audited.
 */

type Row = Record<string, unknown>;

/** An encrypted column: its AAD (what `pii.encrypt` bound the token to) and, for sealed JSON, the field. */
export interface SealedColumn {
  column: AnyPgColumn;
  aad: (row: Row) => string;
  /** The token sits in this field of a jsonb value (`{ enc }`) instead of being the column's text. */
  jsonField?: string;
}

/** A blind-index column recomputed from the plaintext of an encrypted column of the same row. */
export interface IndexedColumn {
  column: AnyPgColumn;
  purpose: string;
  from: AnyPgColumn;
}

export interface SwitchTarget {
  table: PgTable;
  /** Primary-key columns, in keyset order. */
  key: AnyPgColumn[];
  sealed: SealedColumn[];
  indexes: IndexedColumn[];
  /** Columns the AAD needs besides the key. */
  extra?: AnyPgColumn[];
}

const s = schema;
const fixed = (aad: string) => () => aad;

/**
 * Every encrypted and blind-indexed column (test/data-inventory.ts `aes-256-gcm` and `keyed-hash` rows, and the QR
 * signing keys). crypto-switch.db.test.ts fails when the inventory names one that is missing here.
 */
export const SWITCH_TARGETS: SwitchTarget[] = [
  {
    table: s.worker,
    key: [s.worker.id],
    sealed: [
      { column: s.worker.idNumberEnc, aad: fixed('worker.id_number') },
      { column: s.worker.phoneEnc, aad: fixed('worker.phone') },
    ],
    indexes: [
      { column: s.worker.idNumberHash, purpose: 'worker.id_number', from: s.worker.idNumberEnc },
      { column: s.worker.phoneHash, purpose: 'worker.phone', from: s.worker.phoneEnc },
    ],
  },
  {
    table: s.orgInvitation,
    key: [s.orgInvitation.id],
    sealed: [{ column: s.orgInvitation.phoneEnc, aad: fixed('org_invitation.phone') }],
    indexes: [
      { column: s.orgInvitation.phoneHash, purpose: 'org_invitation.phone', from: s.orgInvitation.phoneEnc },
    ],
  },
  {
    table: s.organization,
    key: [s.organization.id],
    sealed: [{ column: s.organization.contactPhoneEnc, aad: fixed('organization.contact_phone') }],
    indexes: [],
  },
  {
    table: s.serviceOrder,
    key: [s.serviceOrder.id],
    sealed: [{ column: s.serviceOrder.addressEnc, aad: fixed('service_order.address') }],
    indexes: [],
  },
  {
    table: s.demand,
    key: [s.demand.id],
    sealed: [{ column: s.demand.addressEnc, aad: fixed('demand.address') }],
    indexes: [],
  },
  {
    table: s.contract,
    key: [s.contract.id],
    sealed: [{ column: s.contract.addressEnc, aad: fixed('contract.address') }],
    indexes: [],
  },
  {
    table: s.insuranceClaim,
    key: [s.insuranceClaim.id],
    sealed: [{ column: s.insuranceClaim.placeEnc, aad: fixed('insurance_claim.place') }],
    indexes: [],
  },
  {
    table: s.partnerClient,
    key: [s.partnerClient.id],
    sealed: [{ column: s.partnerClient.contactPhoneEnc, aad: fixed('partner_client.contact_phone') }],
    indexes: [],
  },
  {
    table: s.partnerWebhook,
    key: [s.partnerWebhook.id],
    sealed: [{ column: s.partnerWebhook.secretEnc, aad: fixed('partner_webhook.secret') }],
    indexes: [],
  },
  {
    table: s.userTotp,
    key: [s.userTotp.userId],
    sealed: [{ column: s.userTotp.secretEnc, aad: (r) => `user_totp.secret_enc:${r.k0 as string}` }],
    indexes: [],
  },
  {
    table: s.qrSigningKey,
    key: [s.qrSigningKey.kid],
    sealed: [{ column: s.qrSigningKey.secret, aad: fixed('qr_signing_key.secret') }],
    indexes: [],
  },
  {
    table: s.idempotencyKey,
    key: [s.idempotencyKey.principal, s.idempotencyKey.key],
    sealed: [
      {
        column: s.idempotencyKey.responseBody,
        aad: fixed('idempotency_key.response_body'),
        jsonField: 'enc',
      },
    ],
    indexes: [],
  },
];

/**
 * Keyed hashes of secrets that are never stored, so no job can recompute them; they are checked against both
 * profiles' hashes (`pii.anyProfileIndexes`) until they are used, expire or are rotated.
 */
export const ONE_WAY_HASHES: Record<string, string> = {
  'user_recovery_code.code_hash':
    'recovery codes are shown once; each is single-use, regenerate them to move on',
  'partner_api_key.key_hash': 'API keys are shown once; rotate the key (overlap window) to move on',
  'worker.confirm_code_hash': 'one-time SMS code, minutes long',
  'session.mfa_code_hash': 'one-time SMS code, minutes long',
  'contract_sign_code.code_hash': 'one-time signing code, minutes long',
};

export interface TableProgress {
  table: string;
  scanned: number;
  resealed: number;
  reindexed: number;
}

export interface SwitchOptions {
  db: Db;
  /** Built with the target profile (the deployment's new PII_CRYPTO_PROFILE). */
  pii: Pii;
  batchSize?: number;
  dryRun?: boolean;
  /** After each batch, with the table's running counts. */
  onProgress?: (p: TableProgress) => void;
  /** Stop after this many batches (tests of resuming); the run stays 'running'. */
  maxBatches?: number;
  clock?: () => Date;
  targets?: SwitchTarget[];
}

export interface SwitchResult {
  to: PiiProfile;
  run: number | null;
  status: 'done' | 'running' | 'dry-run';
  tables: TableProgress[];
  /**
   * Per table, rows still holding a token to reseal: of the other profile's format or of a retired key version (a dry
   * run's plan; 0 everywhere when done).
   */
  remaining: Record<string, number>;
  /**
   * A dry run's plan by kind: per table, rows holding a token of each kind to reseal, named by profile and key
   * version (`intl key v1`; `unreadable` for text that is no token). A row with two kinds counts under both.
   */
  kinds?: Record<string, Record<string, number>>;
}

const FORMAT_PREFIX: Record<PiiProfile, string> = { intl: 'v1.%', gm: 'g1.%' };
const FORMAT_OF: Record<PiiProfile, string> = { intl: 'v1', gm: 'g1' };
const nameOf = (t: SwitchTarget) => getTableName(t.table);
const tokenExpr = (c: SealedColumn): SQL =>
  c.jsonField ? sql`(${c.column} ->> ${c.jsonField})` : sql`${c.column}`;
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** SQL true when `token` is one `pii` would reseal: any token but those of its own format and key version. */
const staleToken = (token: SQL, pii: Pii): SQL =>
  // Erased records keep an empty token (switchBatch skips them too).
  sql`(${token} <> '' and ${token} not like ${`${FORMAT_OF[pii.profile]}.${pii.keyVersion}.%`})`;

/** Rows of a table that still hold a token to reseal with `pii` (other profile's format or retired key version). */
async function countToReseal(db: DbOrTx, t: SwitchTarget, pii: Pii): Promise<number> {
  if (t.sealed.length === 0) return 0;
  const any = sql.join(
    t.sealed.map((c) => staleToken(tokenExpr(c), pii)),
    sql` or `,
  );
  const [r] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from ${t.table} where ${any}`),
  );
  return Number(r?.n ?? 0);
}

/** Rows of a table by the kind (profile and key version) of the tokens to reseal they hold; for the dry run. */
async function kindsToReseal(db: DbOrTx, t: SwitchTarget, pii: Pii): Promise<Record<string, number>> {
  if (t.sealed.length === 0) return {};
  // Each row's tokens as rows (x.tok), one per kind per row (distinct on the key), then counted per kind.
  const keys = sql.join(
    t.key.map((k, i) => sql`${k} as ${sql.identifier(`k${i}`)}`),
    sql`, `,
  );
  const tokens = sql.join(
    t.sealed.map((c) => sql`(${tokenExpr(c)})`),
    sql`, `,
  );
  const rows = rowsOf<{ f: string; v: string; n: number | string }>(
    await db.execute(sql`select f, v, count(*) as n from (
        select distinct ${keys}, split_part(x.tok, '.', 1) as f, split_part(x.tok, '.', 2) as v
          from ${t.table} cross join lateral (values ${tokens}) as x(tok)
         where ${staleToken(sql`x.tok`, pii)}
      ) s group by f, v order by f, v`),
  );
  const out: Record<string, number> = {};
  for (const r of rows) {
    const profile = r.f === 'v1' ? 'intl' : r.f === 'g1' ? 'gm' : null;
    const label = profile && /^[1-9]\d{0,8}$/.test(r.v) ? `${profile} key v${r.v}` : 'unreadable';
    out[label] = (out[label] ?? 0) + Number(r.n);
  }
  return out;
}

/** True when some encrypted column still holds a token of `profile`'s format (scans stop at the first; run at first start). */
export async function dataInFormat(
  db: DbOrTx,
  profile: PiiProfile,
  targets: SwitchTarget[] = SWITCH_TARGETS,
): Promise<boolean> {
  for (const t of targets) {
    if (t.sealed.length === 0) continue;
    const any = sql.join(
      t.sealed.map((c) => sql`${tokenExpr(c)} like ${FORMAT_PREFIX[profile]}`),
      sql` or `,
    );
    const found = rowsOf(await db.execute(sql`select 1 from ${t.table} where ${any} limit 1`));
    if (found.length > 0) return true;
  }
  return false;
}

/** Runs (or resumes) the switch to `pii.profile`. */
export async function runProfileSwitch(opts: SwitchOptions): Promise<SwitchResult> {
  const { db, pii } = opts;
  const to = pii.profile;
  const from: PiiProfile = to === 'gm' ? 'intl' : 'gm';
  const targets = opts.targets ?? SWITCH_TARGETS;
  const batchSize = opts.batchSize ?? 500;
  const clock = opts.clock ?? (() => new Date());
  const ctx = systemContext('crypto-switch');

  if (opts.dryRun) {
    const remaining: Record<string, number> = {};
    const kinds: Record<string, Record<string, number>> = {};
    for (const t of targets) {
      remaining[nameOf(t)] = await countToReseal(db, t, pii);
      kinds[nameOf(t)] = await kindsToReseal(db, t, pii);
    }
    return { to, run: null, status: 'dry-run', tables: [], remaining, kinds };
  }

  // Resume the latest unfinished run to this profile, or start one.
  const runSeq = await db.transaction(async (tx) => {
    const [last] = await tx
      .select()
      .from(piiProfileSwitch)
      .orderBy(sql`${piiProfileSwitch.seq} desc`)
      .limit(1)
      .for('update');
    if (last && last.status === 'running' && last.toProfile === to) return last.seq;
    const now = clock();
    const [run] = await tx
      .insert(piiProfileSwitch)
      .values({ toProfile: to, status: 'running', cursor: {}, counts: {}, startedAt: now, updatedAt: now })
      .returning({ seq: piiProfileSwitch.seq });
    // An unfinished run to the other profile is abandoned: this one walks every row anyway.
    await appendAudit(tx, ctx, {
      action: 'pii.profile_switch_started',
      objectType: 'pii_profile_switch',
      objectId: String(run!.seq),
      detail: { to, abandoned: last && last.status === 'running' ? last.seq : null },
    });
    return run!.seq;
  });

  let batches = 0;
  const progress = new Map<string, TableProgress>();
  for (let pass = 0; ; pass++) {
    for (const t of targets) {
      const name = nameOf(t);
      for (;;) {
        if (opts.maxBatches !== undefined && batches >= opts.maxBatches) {
          return { to, run: runSeq, status: 'running', tables: [...progress.values()], remaining: {} };
        }
        const more = await db.transaction(async (tx) => {
          // The run row's lock serialises batches of concurrent runners; each reads the cursor under it.
          const [run] = await tx
            .select()
            .from(piiProfileSwitch)
            .where(eq(piiProfileSwitch.seq, runSeq))
            .for('update');
          if (run?.status !== 'running') return false;
          const cursor = run.cursor[name];
          if (cursor === null) return false; // this table is finished in this pass
          const counts = run.counts[name] ?? { scanned: 0, resealed: 0, reindexed: 0 };
          const last = await switchBatch(tx, pii, t, cursor, batchSize, counts);
          await tx
            .update(piiProfileSwitch)
            .set({
              cursor: { ...run.cursor, [name]: last },
              counts: { ...run.counts, [name]: counts },
              updatedAt: clock(),
            })
            .where(eq(piiProfileSwitch.seq, runSeq));
          progress.set(name, { table: name, ...counts });
          opts.onProgress?.({ table: name, ...counts });
          return last !== null;
        });
        batches++;
        if (!more) break;
      }
    }
    // Anything of the old format or key written meanwhile (a node not yet restarted)? Walk those tables again.
    const remaining: Record<string, number> = {};
    for (const t of targets) remaining[nameOf(t)] = await countToReseal(db, t, pii);
    const again = targets.filter((t) => remaining[nameOf(t)]! > 0);
    const finished = await db.transaction(async (tx) => {
      const [run] = await tx
        .select()
        .from(piiProfileSwitch)
        .where(eq(piiProfileSwitch.seq, runSeq))
        .for('update');
      if (run?.status !== 'running') return true;
      if (again.length > 0 && pass < 5) {
        const cursor = { ...run.cursor };
        for (const t of again) delete cursor[nameOf(t)];
        await tx
          .update(piiProfileSwitch)
          .set({ cursor, updatedAt: clock() })
          .where(eq(piiProfileSwitch.seq, runSeq));
        return false;
      }
      if (again.length > 0) {
        throw new Error(
          `crypto switch: tokens of the ${from} format or of a retired key version keep appearing in ${again.map(nameOf).join(', ')}: is every node running with PII_CRYPTO_PROFILE=${to} and PII_KEY_VERSION=${pii.keyVersion}?`,
        );
      }
      const now = clock();
      await tx
        .update(piiProfileSwitch)
        .set({ status: 'done', updatedAt: now, finishedAt: now })
        .where(eq(piiProfileSwitch.seq, runSeq));
      const total = { scanned: 0, resealed: 0, reindexed: 0 };
      for (const c of Object.values(run.counts)) {
        total.scanned += c.scanned;
        total.resealed += c.resealed;
        total.reindexed += c.reindexed;
      }
      await appendAudit(tx, ctx, {
        action: 'pii.profile_switch_done',
        objectType: 'pii_profile_switch',
        objectId: String(runSeq),
        detail: { to, ...total },
      });
      return true;
    });
    if (finished) {
      pii.setDataProfile(to);
      return { to, run: runSeq, status: 'done', tables: [...progress.values()], remaining };
    }
  }
}

/**
 * The lines `crypto:switch --dry-run` prints: per table the rows to reseal and their kinds (other profile, retired key
 * version), then a warning naming any key version `retired` (PII_OLD_KEYS) lacks, since the run would stop there.
 */
export function dryRunReport(
  result: SwitchResult,
  pii: Pick<Pii, 'profile' | 'keyVersion'>,
  retired: number[],
): string[] {
  const lines: string[] = [];
  const missing = new Set<string>();
  for (const [table, n] of Object.entries(result.remaining)) {
    const kinds = Object.entries(result.kinds?.[table] ?? {}).map(([kind, rows]) => {
      const m = /^(intl|gm) key v(\d+)$/.exec(kind);
      const version = m ? Number(m[2]) : null;
      if (version !== null && version !== pii.keyVersion && !retired.includes(version)) missing.add(kind);
      const why = !m ? 'not a token' : m[1] !== pii.profile ? 'other profile' : 'retired key version';
      return `${kind} (${why}) ${rows}`;
    });
    lines.push(`${table}: ${n} rows to reseal${kinds.length ? `; rows by kind: ${kinds.join(', ')}` : ''}`);
  }
  lines.push(
    `dry run: nothing written; tokens are resealed as ${pii.profile} key v${pii.keyVersion}, every row of the tables above gets its blind indexes recomputed (rewritten only where they differ)`,
  );
  if (missing.size)
    lines.push(
      `no configured key opens ${[...missing].join(', ')}: add it to PII_OLD_KEYS first, or the run stops at the first such token`,
    );
  return lines;
}

/**
 * One batch of one table after `cursor` (undefined: from the start): reseals tokens of the other format or of a
 * retired key version (`needsReencrypt`) and rewrites
 * blind indexes that differ from the target profile's. Returns the last key handled, or null when the table is done.
 */
async function switchBatch(
  tx: DbOrTx,
  pii: Pii,
  t: SwitchTarget,
  cursor: unknown[] | undefined,
  batchSize: number,
  counts: { scanned: number; resealed: number; reindexed: number },
): Promise<unknown[] | null> {
  const to = pii.profile;
  const keyList = sql.join(t.key, sql`, `);
  const cols: SQL[] = [
    ...t.key.map((k, i) => sql`${k} as ${sql.identifier(`k${i}`)}`),
    ...t.sealed.map((c, i) => sql`${tokenExpr(c)} as ${sql.identifier(`s${i}`)}`),
    ...t.indexes.map((c, i) => sql`${c.column} as ${sql.identifier(`h${i}`)}`),
  ];
  const after = cursor
    ? sql`where (${keyList}) > (${sql.join(
        cursor.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : sql``;
  const rows = rowsOf<Row>(
    await tx.execute(
      sql`select ${sql.join(cols, sql`, `)} from ${t.table} ${after} order by ${keyList} limit ${batchSize}`,
    ),
  );
  for (const row of rows) {
    counts.scanned++;
    const sets: SQL[] = [];
    const guards: SQL[] = t.key.map((k, i) => sql`${k} = ${row[`k${i}`]}`);
    const plain = new Map<AnyPgColumn, string>();
    let resealed = 0;
    t.sealed.forEach((c, i) => {
      const token = row[`s${i}`];
      // Erased records keep an empty token; no token, nothing to move.
      if (typeof token !== 'string' || token === '') return;
      const aad = c.aad(row);
      const value = pii.decrypt(token, aad);
      plain.set(c.column, value);
      // Tokens of the other profile, and (after a PII_KEY rotation) of a retired key version, are sealed anew.
      if (!pii.needsReencrypt(token)) return;
      const sealed = pii.encrypt(value, aad);
      const target = sql.identifier(c.column.name);
      sets.push(
        c.jsonField
          ? sql`${target} = jsonb_set(${c.column}, ${`{${c.jsonField}}`}::text[], to_jsonb(${sealed}::text))`
          : sql`${target} = ${sealed}`,
      );
      guards.push(sql`${tokenExpr(c)} = ${token}`);
      resealed++;
    });
    let reindexed = 0;
    t.indexes.forEach((c, i) => {
      const stored = row[`h${i}`];
      const value = plain.get(c.from);
      // Only keyed hashes (hex) are rewritten; erased rows carry a per-record marker instead.
      if (value === undefined || typeof stored !== 'string' || !/^[0-9a-f]{64}$/.test(stored)) return;
      const index = pii.blindIndexAs(to, value, c.purpose);
      if (index === stored) return;
      sets.push(sql`${sql.identifier(c.column.name)} = ${index}`);
      guards.push(sql`${c.column} = ${stored}`);
      reindexed++;
    });
    if (sets.length === 0) continue;
    const updated = rowsOf(
      await tx.execute(
        sql`update ${t.table} set ${sql.join(sets, sql`, `)} where ${sql.join(guards, sql` and `)} returning 1`,
      ),
    );
    // A row changed since it was read was written by the app with the new profile already.
    if (updated.length === 1) {
      counts.resealed += resealed;
      counts.reindexed += reindexed;
    }
  }
  const lastRow = rows[rows.length - 1];
  return rows.length < batchSize || !lastRow ? null : t.key.map((_, i) => lastRow[`k${i}`]);
}
