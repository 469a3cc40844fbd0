// P8 / PIPL Art 19, 47; 网络安全法 Art 21(3); ASVS V14.2.7; 等保 §8.1.5: retention enforced by code, on the app's
// controllable clock. The clock is moved forward in steps (a day, a week, 5 months 29 days, 6 months 1 day, a
// year, three years); at each step the retention jobs run exactly as their schedules run them, and for every rule
// the rows due under the inventory's policy are counted before and after: due rows must be gone, rows not yet due
// must all still be there. Audit rows are never removed before 180 days, and are removed past their 3 years as a
// checkpointed prefix (platform.audit_prune): none is left past it, and the chain still verifies from the signed
// checkpoint (a removed prune job, or a hole, fails the run). Retentions the inventory states with a
// time limit but no rule here are reported by name as known gaps; every rule's rows are planted so the walk sees
// them both before and after they fall due, so a rule whose job is gone fails the run ("keeps N rows past").
// Where the inventory says "anonymised" (or the row must stay for other figures), a rule counts the rows still
// holding personal data (`live`) instead of all rows.
import { verifyAuditChain } from '../../src/server/platform/audit/audit.js';
import { AUDIT_RETENTION_YEARS } from '../../src/server/platform/audit/prune.js';
import { purgeExpiredAuthRecords } from '../../src/server/modules/identity/index.js';
import { purgeClosedInvitations } from '../../src/server/modules/orgs/index.js';
import { purgeExpiredIdempotencyKeys } from '../../src/server/platform/idempotency/idempotency.js';
import { ANONYMISED, yearsBefore } from '../../src/server/platform/retention.js';
import { retentionJobs } from '../../src/server/retention-jobs.js';
import { uniquePhone } from '../../test/app.js';
import { dataInventory } from '../../test/data-inventory.js';
import {
  plantClaim,
  plantComplaint,
  plantConsent,
  plantContract,
  plantConversation,
  plantDemand,
  plantInterview,
  plantOrder,
  plantReport,
  retentionBase,
} from '../../test/factories/retention.js';
import { book, count, HOUR_MS, hourly, inject, priceItem, slot, type Suite } from './support.js';

const DAY = 24 * HOUR_MS;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

interface Rule {
  table: string;
  policy: string;
  /** SQL counting the rows due at $1 (now), from the policy, independent of the job's own code. */
  due: string;
  /** SQL counting the rows still holding personal data, for rules that anonymise; all rows otherwise. */
  live?: string;
}
const ANON = `'${ANONYMISED}'`;
const FINAL_ORDER = `('closed', 'cancelled', 'declined', 'expired')`;
const ORDER_DUE = `state in ${FINAL_ORDER} and coalesce(closed_at, cancelled_at, updated_at) < $1::timestamptz - interval '3 years'`;
const CONTRACT_DUE = `select c.id from contract c
  where case c.state when 'terminated' then c.terminated_at when 'void' then c.updated_at
    when 'superseded' then c.updated_at
    when 'filed' then ((c.terms->>'endDate')::date + 1)::timestamp at time zone 'Asia/Shanghai'
  end < $1::timestamptz - interval '3 years'`;
const CHAT_DUE = `select c.id from conversation c where c.last_message_at < $1::timestamptz - interval '3 years'
  and not exists (select 1 from conversation_report r where r.conversation_id = c.id and r.state = 'open')`;
const rules: Rule[] = [
  {
    table: 'idempotency_key',
    policy: '24 hours',
    due: 'select count(*) n from idempotency_key where expires_at < $1',
  },
  {
    table: 'session',
    policy: 'until expiry',
    due: 'select count(*) n from session where expires_at < $1',
  },
  {
    table: 'verification',
    policy: 'one-time codes until expiry',
    due: 'select count(*) n from verification where expires_at < $1',
  },
  {
    table: 'org_invitation',
    policy: 'answered or expired + 1 year',
    due: `select count(*) n from org_invitation where coalesce(responded_at, expires_at) < $1::timestamptz - interval '365 days'`,
  },
  {
    table: 'worker_consent',
    policy: '3 years after withdrawal',
    due: `select count(*) n from worker_consent where withdrawn_at < $1::timestamptz - interval '3 years'`,
  },
  {
    table: 'service_order',
    policy: '3 years after the order closes, then anonymised',
    due: `select count(*) n from service_order where ${ORDER_DUE} and address_masked <> ${ANON}`,
    live: `select count(*) n from service_order where address_masked <> ${ANON}`,
  },
  {
    table: 'demand',
    policy: 'with the order it became, else 1 year',
    due: `select count(*) n from demand d where d.address_masked <> ${ANON} and (
      (d.order_id is null and d.state <> 'open' and d.updated_at < $1::timestamptz - interval '1 year')
      or d.order_id in (select id from service_order where ${ORDER_DUE} or address_masked = ${ANON}))`,
    live: `select count(*) n from demand where address_masked <> ${ANON}`,
  },
  {
    table: 'complaint',
    policy: '3 years after the complaint closes, then anonymised',
    due: `select count(*) n from complaint where state in ('closed', 'withdrawn')
      and coalesce(closed_at, updated_at) < $1::timestamptz - interval '3 years' and description <> ${ANON}`,
    live: `select count(*) n from complaint where description <> ${ANON}`,
  },
  {
    table: 'contract',
    policy: '3 years after the contract ends',
    due: `select count(*) n from contract where id in (${CONTRACT_DUE})`,
  },
  {
    table: 'contract_revision',
    policy: '3 years after the contract ends',
    due: `select count(*) n from contract_revision where contract_id in (${CONTRACT_DUE})`,
  },
  {
    table: 'contract_signature',
    policy: '3 years after the contract ends',
    due: `select count(*) n from contract_signature where contract_id in (${CONTRACT_DUE})`,
  },
  {
    table: 'insurance_claim',
    policy: '5 years after the claim closes, then erased',
    due: `select count(*) n from insurance_claim where state in ('paid', 'rejected', 'withdrawn')
      and coalesce(paid_at, updated_at) < $1::timestamptz - interval '5 years' and description <> ${ANON}`,
    live: `select count(*) n from insurance_claim where description <> ${ANON}`,
  },
  {
    table: 'message',
    policy: '3 years after the last message',
    due: `select count(*) n from message where conversation_id in (${CHAT_DUE})`,
  },
  {
    table: 'conversation_report',
    policy: '3 years after review',
    due: `select count(*) n from conversation_report where state = 'reviewed' and reviewed_at < $1::timestamptz - interval '3 years'`,
  },
  {
    table: 'interview',
    policy: '1 year, then deleted',
    due: `select count(*) n from interview where state in ('completed', 'cancelled')
      and coalesce(ended_at, updated_at) < $1::timestamptz - interval '1 year'`,
  },
];
/** Tables whose time-bound retention a job enforces (audit_log: the ≥ 180-day minimum, checked below). */
const ENFORCED = new Set([...rules.map((r) => r.table), 'audit_log']);
const TIME_BOUND = /\d+\s*(hours?|days?|years?)/i;

const steps: [string, number][] = [
  ['+0', 0],
  ['+23 h', 23 * HOUR_MS],
  ['+25 h', 25 * HOUR_MS],
  ['+6 d', 6 * DAY],
  ['+5 mo 29 d', 5 * MONTH + 29 * DAY],
  ['+6 mo 1 d', 6 * MONTH + 1 * DAY],
  ['+1 y 6 d', YEAR + 6 * DAY],
  ['+1 y 8 d', YEAR + 8 * DAY],
  ['+3 y 1 d', 3 * YEAR + DAY],
  // A week more: the audit rows the walk itself wrote at +0 … +6 d fall past their 3 years.
  ['+3 y 8 d', 3 * YEAR + 8 * DAY],
];

/**
 * The suite over a set of the modules' jobs (all of them in the run; the suite's own test drops one to show the
 * drill catches a table whose job is gone).
 */
export const retentionSuite =
  (jobs: typeof retentionJobs = retentionJobs): Suite =>
  async ({ t, world }) => {
    const details: string[] = [];
    const db = t.app.database.db;
    const base = t.clock.now;
    const restore = t.clock.now;

    // Plant what each rule needs: a pending invitation and a withdrawn one (answered now), a keyed write.
    const admin = world.cookies.get('company_admin')!;
    const [membership] = await t.app.database.raw.query<{ org_id: string }>(
      `select m.org_id from org_membership m where m.user_id = $1 and m.ended_at is null limit 1`,
      [world.userIds.get('company_admin')],
    );
    const orgId = membership!.org_id;
    const invite = (key?: string) =>
      inject(
        t,
        'POST',
        `/api/v1/orgs/${orgId}/invitations`,
        admin,
        { phone: uniquePhone(), role: 'staff' },
        key ? { 'idempotency-key': key } : {},
      );
    const pending = await invite();
    const withdrawn = await invite();
    if (pending.statusCode !== 201 || withdrawn.statusCode !== 201)
      details.push(`planting invitations failed: ${pending.statusCode} ${withdrawn.statusCode}`);
    else {
      const r = await inject(
        t,
        'POST',
        `/api/v1/orgs/${orgId}/invitations/${withdrawn.json().id}/revoke`,
        admin,
      );
      if (r.statusCode !== 204) details.push(`revoking the planted invitation: ${r.statusCode}`);
    }

    // A keyed booking (idempotency_key row, 24 h) and a one-time code (verification row).
    const resident = world.cookies.get('resident')!;
    const item = await priceItem(t, { orgId, cookie: admin });
    const booked = await book(t, resident, hourly(item, null, slot(t, 48)), `retention-${Date.now()}`);
    if (booked.statusCode !== 201) details.push(`planting a keyed booking failed: ${booked.statusCode}`);
    const otp = await inject(t, 'POST', '/api/v1/auth/otp', undefined, {
      phone: uniquePhone(),
      purpose: 'register',
    });
    if (otp.statusCode !== 202) details.push(`planting a one-time code failed: ${otp.statusCode}`);

    // Rows of the modules' retention rules, timed against the walk: one falls due at "+6 d" (3 days inside the
    // limit at +0), one near the end of the walk or never within it, one that never falls due (still open).
    const rb = await retentionBase(t);
    const soon = (years: number) => new Date(yearsBefore(base, years).getTime() + 3 * DAY);
    const late = new Date(base.getTime() - DAY);
    await plantConsent(t, rb, soon(3));
    await plantConsent(t, rb, late);
    await plantConsent(t, rb, null);
    const dueOrder = await plantOrder(t, rb, 'closed', soon(3));
    await plantOrder(t, rb, 'cancelled', late);
    await plantOrder(t, rb, 'in_service', soon(5));
    await plantDemand(t, rb, 'matched', soon(4), dueOrder);
    await plantDemand(t, rb, 'expired', soon(1));
    await plantDemand(t, rb, 'expired', late);
    await plantDemand(t, rb, 'open', soon(2));
    await plantComplaint(t, rb, 'closed', soon(3));
    await plantComplaint(t, rb, 'escalated', soon(5));
    await plantContract(t, rb, 'terminated', soon(3));
    await plantContract(t, rb, 'filed', new Date(base.getTime() + 400 * DAY));
    await plantClaim(t, rb, 'paid', soon(5));
    await plantClaim(t, rb, 'under_review', soon(6));
    const staleChat = await plantConversation(t, rb, soon(3));
    const freshChat = await plantConversation(t, rb, late);
    await plantReport(t, rb, freshChat.conversationId, soon(3));
    await plantReport(t, rb, freshChat.conversationId, null);
    await plantReport(t, rb, staleChat.conversationId, late);
    await plantInterview(t, rb, 'completed', soon(1));
    await plantInterview(t, rb, 'cancelled', late);
    await plantInterview(t, rb, 'scheduled', soon(2));

    const auditStart = await count(t, 'select count(*) n from audit_log');
    const seen = new Map(rules.map((r) => [r.table, { due: 0, notDue: 0 }]));
    let purged = 0;
    let anonymised = 0;
    let auditRemovedEarly = 0;
    let auditKeptMonths = 0;
    let auditPruned = 0;
    let auditPastRetention = 0;
    const trail: string[] = [];
    try {
      for (const [label, offset] of steps) {
        t.clock.now = new Date(base.getTime() + offset);
        const now = t.clock.now;
        const before = new Map<string, { due: number; total: number }>();
        for (const r of rules) {
          const due = await count(t, r.due, [now]);
          const total = await count(t, r.live ?? `select count(*) n from ${r.table}`);
          before.set(r.table, { due, total });
          const s = seen.get(r.table)!;
          s.due += due;
          s.notDue += total - due;
        }
        const auditBefore = await count(t, 'select count(*) n from audit_log');
        // The jobs append their summary audit rows: removals are counted among the rows there before they ran.
        const lastSeq = await count(t, 'select coalesce(max(seq), 0) n from audit_log');
        const auditCutoff = yearsBefore(now, AUDIT_RETENTION_YEARS);
        const auditDue = await count(t, 'select count(*) n from audit_log where at < $1', [auditCutoff]);
        // The retention jobs' handlers, as app.ts schedules them (platform.idempotency_purge, identity.auth_purge,
        // orgs.invitation_purge), on the moved clock.
        await purgeExpiredIdempotencyKeys(db, t.clock.now);
        await purgeExpiredAuthRecords(db, t.clock.now);
        await purgeClosedInvitations(db, t.clock.now);
        // …and the modules' jobs, as src/server/retention-jobs.ts registers them.
        for (const [, , run] of jobs)
          await run({
            db,
            now: t.clock.now,
            pii: t.app.pii,
            storage: t.app.storage,
            auditAnchor: t.app.auditAnchor,
          });
        // Summary rows appended by this step's runs (older ones may have been pruned meanwhile).
        const runs = await count(
          t,
          `select count(*) n from audit_log where action = 'retention.run' and seq > $1`,
          [lastSeq],
        );
        if (runs !== jobs.length)
          details.push(`${label}: ${runs} retention summary audit rows for ${jobs.length} job runs`);
        const parts: string[] = [];
        for (const r of rules) {
          const b = before.get(r.table)!;
          const dueAfter = await count(t, r.due, [now]);
          const totalAfter = await count(t, r.live ?? `select count(*) n from ${r.table}`);
          const removed = b.total - totalAfter;
          if (r.live) anonymised += removed;
          else purged += removed;
          if (dueAfter) details.push(`${label}: ${r.table} keeps ${dueAfter} rows past "${r.policy}"`);
          if (totalAfter !== b.total - b.due)
            details.push(
              `${label}: ${r.table} removed ${removed} rows, ${b.due} were due (${r.policy}): removed before due`,
            );
          if (removed) parts.push(`${r.table} ${r.live ? 'anonymised ' : '−'}${removed}`);
        }
        const auditAfter = await count(t, 'select count(*) n from audit_log');
        const auditRemoved =
          auditBefore - (await count(t, 'select count(*) n from audit_log where seq <= $1', [lastSeq]));
        // No audit row may go while it is younger than 180 days; at these steps every planted row still is.
        if (offset < 180 * DAY + DAY) auditRemovedEarly += auditRemoved;
        if (offset < 3 * YEAR && auditRemoved > 0)
          details.push(`${label}: ${auditRemoved} audit rows removed before the stated 3 years`);
        const pastAfter = await count(t, 'select count(*) n from audit_log where at < $1', [auditCutoff]);
        auditPastRetention = pastAfter;
        if (pastAfter)
          details.push(`${label}: audit_log keeps ${pastAfter} rows past "${AUDIT_RETENTION_YEARS} years"`);
        if (auditRemoved > auditDue)
          details.push(
            `${label}: ${auditRemoved} audit rows removed, ${auditDue} were past 3 years: removed before due`,
          );
        auditPruned += auditRemoved;
        if (auditRemoved) parts.push(`audit_log −${auditRemoved}`);
        const [oldest] = await t.app.database.raw.query<{ at: string | Date }>(
          'select min(at) at from audit_log',
        );
        if (oldest?.at) auditKeptMonths = Math.floor((now.getTime() - new Date(oldest.at).getTime()) / MONTH);
        trail.push(`${label}: ${parts.join(', ') || 'nothing due'}; audit ${auditAfter}`);
      }
    } finally {
      t.clock.now = restore;
    }
    const checkpoints = await count(t, 'select count(*) n from audit_checkpoint');
    // From the newest checkpoint, whose signature must hold under the anchor key.
    const chain = await verifyAuditChain(db, { keys: [t.app.auditAnchor.key] });
    if (!chain.ok)
      details.push(
        `audit chain broken after the retention drill: ${chain.problem?.message ?? `${chain.firstBroken?.reason} at seq ${chain.firstBroken?.seq}`}`,
      );
    if (!auditPruned) details.push('audit_log: the drill never saw an audit row past its 3 years (vacuous)');
    for (const [table, s] of seen)
      if (!s.due || !s.notDue)
        details.push(`${table}: the drill never saw ${s.due ? 'a row not yet due' : 'a due row'} (vacuous)`);

    // The inventory's time-bound retentions with no job behind them, by table.
    const missing = new Map<string, string>();
    for (const [col, e] of Object.entries(dataInventory)) {
      if (!e.personal || !TIME_BOUND.test(e.retention)) continue;
      const table = col.split('.')[0]!;
      if (!ENFORCED.has(table) && !missing.has(table)) missing.set(table, e.retention);
    }
    const knownGaps = [
      ...[...missing].map(([table, policy]) => `no retention job yet for ${table} ("${policy}")`),
    ];
    const tables = rules.length + 1;
    const passed = details.length === 0 && auditRemovedEarly === 0;
    return {
      name: 'retention',
      passed,
      line:
        `clock +0 … ${steps.at(-1)![0]} (${steps.length} steps): tables checked ${tables} (${[...rules.map((r) => r.table), 'audit_log'].join(', ')}), ` +
        `rows purged ${purged}, anonymised ${anonymised}, purged before due 0${details.some((d) => d.includes('before due')) ? ' (FAILED)' : ''}, kept past due ${details.filter((d) => d.includes('keeps')).length}; ` +
        `audit rows ${auditStart} kept at +5 mo 29 d and +6 mo 1 d, removed before 180 d ${auditRemovedEarly}, audit kept months ${auditKeptMonths}, ` +
        `audit rows past retention ${auditPastRetention}, pruned ${auditPruned} behind ${checkpoints} signed checkpoints, chain ${chain.ok ? `intact from checkpoint ${chain.start.checkpoint ?? '-'}` : 'BROKEN'}; ` +
        `time-bound retentions without a job ${missing.size}`,
      figures: {
        tablesChecked: tables,
        rowsPurged: purged,
        rowsAnonymised: anonymised,
        auditRows: auditStart,
        auditRemovedBefore180d: auditRemovedEarly,
        auditKeptMonths,
        auditPastRetention,
        auditPruned,
        auditCheckpoints: checkpoints,
        retentionsWithoutJob: missing.size,
      },
      details: details.length ? [...details, ...trail] : [],
      knownGaps,
    };
  };

export const retention = retentionSuite();
