// Rows for the retention jobs' tests and the assurance retention drill, planted with raw SQL at chosen times (the
// jobs act on years-old rows, which no route can make). Encrypted columns hold real tokens, stored files exist.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../app.js';
import { serverRendered } from '../../src/server/platform/storage/index.js';
import { uniquePhone } from '../app.js';

const id = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '')}`;
const DAY = 24 * 3600_000;

/** People and organizations every planted row hangs off. */
export interface RetentionBase {
  residentId: string;
  workerUserId: string;
  workerId: string;
  companyId: string;
  insurerId: string;
  policyId: string;
  templateId: string;
}

async function q(t: TestApp, text: string, params: unknown[] = []) {
  return t.app.database.raw.query<Record<string, unknown>>(text, params);
}

export async function retentionBase(t: TestApp): Promise<RetentionBase> {
  const { identity, orgs } = t.app.services;
  const db = t.app.database.db;
  const account = (name: string) =>
    identity.createAccount({ phone: uniquePhone(), password: 'Retention2026pass', name, roles: [] });
  const residentId = await account('留存居民');
  const workerUserId = await account('留存阿姨');
  const companyId = await orgs.createOrganization(db, {
    type: 'company',
    name: '留存家政',
    district: '440106',
  });
  const insurerId = await orgs.createOrganization(db, {
    type: 'insurer',
    name: '留存保险',
    district: '440106',
  });
  const workerId = id('wk');
  await q(
    t,
    `insert into worker (id, user_id, name, id_number_enc, id_number_hash, birth_date, sex, status, registered_via)
     values ($1, $2, '留存阿姨', $3, $4, '1980-01-01', 'female', 'active', 'self')`,
    [workerId, workerUserId, t.app.pii.encrypt('440106198001011234', 'worker.id_number'), id('h')],
  );
  const productId = id('ipd');
  await q(
    t,
    `insert into insurance_product (id, insurer_id, title, kind, coverage, premium_fen, period_months, categories,
       subsidy_share_bp, subsidy_cap_fen, waiting_days) values ($1, $2, '留存险', 'accident', '[]', 10000, 12,
       '{}', 0, 0, 0)`,
    [productId, insurerId],
  );
  const policyId = id('ipl');
  await q(
    t,
    `insert into insurance_policy (id, number, product_id, insurer_id, worker_id, enrolled_by, enrolled_by_user_id,
       batch_id, starts_on, ends_on, premium_fen, subsidy_fen, company_fen, worker_fen, state)
     values ($1, $1, $2, $3, $4, 'worker', $5, $6, '2020-01-01', '2020-12-31', 10000, 0, 0, 10000, 'expired')`,
    [policyId, productId, insurerId, workerId, workerUserId, id('bat')],
  );
  const templateId = id('ctt');
  await q(
    t,
    `insert into contract_template (id, kind, version, title, clauses)
     values ($1, 'agency', (select coalesce(max(version), 0) + 1 + floor(random() * 100000)::int from contract_template), '留存模板', '[]')`,
    [templateId],
  );
  return { residentId, workerUserId, workerId, companyId, insurerId, policyId, templateId };
}

export async function plantConsent(t: TestApp, b: RetentionBase, withdrawnAt: Date | null): Promise<string> {
  const cid = id('wcn');
  await q(
    t,
    `insert into worker_consent (id, worker_id, user_id, text_version, text_sha256, accepted_at, ip, withdrawn_at)
     values ($1, $2, $3, 'v1', 'x', $4, '203.0.113.9', $5)`,
    [
      cid,
      b.workerId,
      b.workerUserId,
      new Date((withdrawnAt ?? t.clock.now).getTime() - 30 * DAY),
      withdrawnAt,
    ],
  );
  return cid;
}

/** An order in `state`, closed (or cancelled) at `at`, with a follow-up note and an event reason. */
export async function plantOrder(t: TestApp, b: RetentionBase, state: string, at: Date): Promise<string> {
  const oid = id('ord');
  await q(
    t,
    `insert into service_order (id, number, resident_user_id, company_id, worker_id, category, mode, state, schedule,
       service_start, service_end, visits, price_item_id, price_title, unit, unit_price_fen, quantity, total_fen,
       address_enc, address_masked, district, note, state_reason, closed_at, cancelled_at, created_at, updated_at)
     values ($1, $1, $2, $3, $4, 'cleaning', 'hourly', $5, '{}', $6, $6, 1, 'pi_x', '保洁', 'hour', 5000, 2, 10000,
       $7, '越秀区**路**号', '440104', '门铃坏了请敲门', 'reason', $8, $9, $10, $6)`,
    [
      oid,
      b.residentId,
      b.companyId,
      b.workerId,
      state,
      at,
      t.app.pii.encrypt('广州市越秀区留存路1号', 'service_order.address'),
      state === 'closed' ? at : null,
      state === 'cancelled' ? at : null,
      new Date(at.getTime() - DAY),
    ],
  );
  await q(
    t,
    `insert into follow_up (id, order_id, assignee_kind, district, due_at, state, notes)
     values ($1, $2, 'company', '440104', $3, 'done', '客户说很满意')`,
    [id('fu'), oid, at],
  );
  return oid;
}

/** A demand in `state`, last changed at `at`, optionally the one an order came from. */
export async function plantDemand(
  t: TestApp,
  b: RetentionBase,
  state: string,
  at: Date,
  orderId: string | null = null,
): Promise<string> {
  const did = id('dmd');
  await q(
    t,
    `insert into demand (id, resident_user_id, category, mode, district, address_enc, address_masked, schedule,
       description, state, expires_at, order_id, created_at, updated_at)
     values ($1, $2, 'cleaning', 'hourly', '440104', $3, '越秀区**路**号', '{}', '需要保洁，电话13800000000', $4, $5, $6, $5, $5)`,
    [did, b.residentId, t.app.pii.encrypt('广州市越秀区留存路2号', 'demand.address'), state, at, orderId],
  );
  return did;
}

/** A complaint in `state`, closed at `at`, with one evidence file in storage. */
export async function plantComplaint(t: TestApp, b: RetentionBase, state: string, at: Date): Promise<string> {
  const cid = id('cmp');
  const fileId = id('f').toLowerCase();
  await t.app.storage.put(`feedback/${b.residentId.toLowerCase()}/${fileId}`, Buffer.from('evidence'));
  await q(
    t,
    `insert into complaint (id, complainant_role, complainant_user_id, subject_type, worker_id, company_id, category,
       description, evidence, district, state, filed_at, respond_by, response, closed_at, created_at, updated_at)
     values ($1, 'resident', $2, 'worker', $3, $4, 'quality', '阿姨打碎了花瓶', $5, '440104', $6, $7, $7, '已赔偿',
       $8, $7, $7)`,
    [
      cid,
      b.residentId,
      b.workerId,
      b.companyId,
      JSON.stringify([{ fileId, name: 'a.jpg', contentType: 'image/jpeg', size: 8 }]),
      state,
      at,
      state === 'closed' ? at : null,
    ],
  );
  await q(
    t,
    `insert into complaint_event (id, complaint_id, action, to_state, party, note, at) values ($1, $2, 'file', 'filed', 'complainant', '详情', $3)`,
    [id('cev'), cid, at],
  );
  return cid;
}

/**
 * A contract on a fresh order, in `state`, ended at `at`: terminated or last updated then, and its term's last day
 * (Beijing) is the day before, so a filed one ends within the day before `at`. With a PDF and a signature image.
 */
export async function plantContract(
  t: TestApp,
  b: RetentionBase,
  state: string,
  at: Date,
): Promise<{ contractId: string; orderId: string; pdfKey: string; signatureKey: string }> {
  const orderId = await plantOrder(t, b, 'in_service', at);
  const endDate = new Date(at.getTime() + 8 * 3600_000 - DAY).toISOString().slice(0, 10);
  const contractId = id('ct');
  const pdfKey = `contracts/${contractId.toLowerCase()}/sealed.pdf`;
  const signatureKey = `contracts/${contractId.toLowerCase()}/sig-resident.png`;
  // Stands in for a sealed contract, which the contracts module stores as rendered.
  await t.app.storage.put(pdfKey, serverRendered(Buffer.from('%PDF')));
  await t.app.storage.put(signatureKey, Buffer.from('png'));
  await q(
    t,
    `insert into contract (id, number, order_id, template_id, kind, state, revision, terms, address_enc, resident_user_id,
       company_id, worker_id, category, mode, district, pdf_key, terminated_at, created_at, updated_at)
     values ($1, $1, $2, $3, 'agency', $4, 1, $12, $5, $6, $7, $8, 'cleaning', 'monthly', '440104', $9, $10, $11, $11)`,
    [
      contractId,
      orderId,
      b.templateId,
      state,
      t.app.pii.encrypt('广州市越秀区留存路3号', 'contract.address'),
      b.residentId,
      b.companyId,
      b.workerId,
      pdfKey,
      state === 'terminated' ? at : null,
      at,
      JSON.stringify({ endDate, wageFen: 500000 }),
    ],
  );
  await q(
    t,
    `insert into contract_revision (id, contract_id, revision, terms, party, changed, at) values ($1, $2, 1, '{}', 'company', '[]', $3)`,
    [id('crv'), contractId, at],
  );
  await q(
    t,
    `insert into contract_signature (id, contract_id, party, signer_user_id, revision, signer_ip, signer_user_agent,
       signature_sha256, signature_key, signed_at) values ($1, $2, 'resident', $3, 1, '203.0.113.9', 'UA', 'x', $4, $5)`,
    [id('csg'), contractId, b.residentId, signatureKey, at],
  );
  return { contractId, orderId, pdfKey, signatureKey };
}

/** A claim in `state`, last changed at `at`. */
export async function plantClaim(t: TestApp, b: RetentionBase, state: string, at: Date): Promise<string> {
  const cid = id('clm');
  await q(
    t,
    `insert into insurance_claim (id, number, policy_id, insurer_id, worker_id, reporter_user_id, reporter_kind,
       coverage_code, incident_on, place_enc, description, evidence, claimed_fen, state, created_at, updated_at)
     values ($1, $1, $2, $3, $4, $5, 'worker', 'accident', '2020-06-01', $6, '在雇主家摔伤', $7, 1000, $8, $9, $9)`,
    [
      cid,
      b.policyId,
      b.insurerId,
      b.workerId,
      b.workerUserId,
      t.app.pii.encrypt('广州市越秀区留存路4号', 'insurance_claim.place'),
      JSON.stringify([{ note: '医院证明', at: at.toISOString(), by: 'worker' }]),
      state,
      at,
    ],
  );
  await q(
    t,
    `insert into insurance_claim_event (id, claim_id, action, to_state, party, reason, created_at)
     values ($1, $2, 'report', 'reported', 'worker', '摔伤', $3)`,
    [id('cle'), cid, at],
  );
  return cid;
}

/** A conversation whose last message (an image, stored) was at `at`; returns its ids and the image key. */
export async function plantConversation(
  t: TestApp,
  b: RetentionBase,
  at: Date,
): Promise<{ conversationId: string; messageId: string; imageKey: string }> {
  const conversationId = id('cv');
  const messageId = id('msg');
  const imageKey = `messages/${conversationId.toLowerCase()}/${messageId.toLowerCase()}.jpg`;
  await t.app.storage.put(imageKey, Buffer.from('jpg'));
  await q(
    t,
    `insert into conversation (id, resident_user_id, worker_id, worker_user_id, context_kind, dedupe_key, last_seq,
       last_message_at, created_at, updated_at) values ($1, $2, $3, $4, 'profile', $1, 2, $5, $5, $5)`,
    [conversationId, b.residentId, b.workerId, b.workerUserId, at],
  );
  await q(
    t,
    `insert into message (id, conversation_id, seq, sender_user_id, sender_side, kind, body, created_at)
     values ($1, $2, 1, $3, 'resident', 'text', '我家在留存路5号', $4)`,
    [id('msg'), conversationId, b.residentId, at],
  );
  await q(
    t,
    `insert into message (id, conversation_id, seq, sender_user_id, sender_side, kind, image_key, image_mime, created_at)
     values ($1, $2, 2, $3, 'resident', 'image', $4, 'image/jpeg', $5)`,
    [messageId, conversationId, b.residentId, imageKey, at],
  );
  await q(t, `insert into conversation_read (conversation_id, user_id, last_read_seq) values ($1, $2, 2)`, [
    conversationId,
    b.residentId,
  ]);
  return { conversationId, messageId, imageKey };
}

/** A report on `conversationId`, reviewed at `reviewedAt` (open when null). */
export async function plantReport(
  t: TestApp,
  b: RetentionBase,
  conversationId: string,
  reviewedAt: Date | null,
): Promise<string> {
  const rid = id('cvr');
  await q(
    t,
    `insert into conversation_report (id, conversation_id, reporter_user_id, reason, state, review_note, reviewed_at, created_at)
     values ($1, $2, $3, '对方骚扰', $4, $5, $6, $7)`,
    [
      rid,
      conversationId,
      b.residentId,
      reviewedAt ? 'reviewed' : 'open',
      reviewedAt ? '已处理' : null,
      reviewedAt,
      reviewedAt ?? t.clock.now,
    ],
  );
  return rid;
}

/** An interview in `state`, ended at `at`. */
export async function plantInterview(t: TestApp, b: RetentionBase, state: string, at: Date): Promise<string> {
  const iid = id('itv');
  await q(
    t,
    `insert into interview (id, worker_id, worker_user_id, organizer_user_id, company_id, scheduled_at, duration_minutes,
       state, notes, remind_at, ended_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, 30, $7, '沟通顺畅', $6, $8, $6, $6)`,
    [
      iid,
      b.workerId,
      b.workerUserId,
      b.residentId,
      b.companyId,
      at,
      state,
      state === 'completed' ? at : null,
    ],
  );
  return iid;
}

/** The summary audit rows of `job`, oldest first. */
export async function retentionAudits(
  t: TestApp,
  job: string,
): Promise<{ detail: Record<string, unknown> }[]> {
  const rows = await q(
    t,
    `select detail from audit_log where action = 'retention.run' and object_id = $1 order by seq`,
    [job],
  );
  return rows.map((r) => ({
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
  }));
}

/** The deps a retention job gets, on the test app at `now`. */
export function retentionDeps(t: TestApp, now: Date, batchSize?: number) {
  return {
    db: t.app.database.db,
    now,
    pii: t.app.pii,
    storage: t.app.storage,
    ...(batchSize ? { batchSize } : {}),
  };
}

/** `now` moved by whole years back and then by `days` (positive: later). */
export const dueAt = (now: Date, years: number, days: number) => {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return new Date(d.getTime() + days * DAY);
};
