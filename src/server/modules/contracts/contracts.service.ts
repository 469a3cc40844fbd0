import { createHash, randomInt } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { longTermModes, type ServiceMode } from '../../../shared/domain.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx, Tx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import { hasRole, orgIdsOf } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import { enqueueEvent } from '../../platform/outbox/outbox.js';
import type { Pii } from '../../platform/pii/index.js';
import type { SmsSender } from '../../platform/sms/sms.js';
import { type FileStorage, serverRendered, stripPng } from '../../platform/storage/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { OrdersService } from '../orders/index.js';
import type { OrgsService } from '../orgs/index.js';
import type { TrustFacts } from '../workers/index.js';
import { formatContractNumber, formatFilingNumber, parseContractNumber } from './contract-number.js';
import { renderContractPdf } from './contract-pdf.js';
import {
  availableContractActions,
  type ContractAction,
  type ContractParty,
  type ContractState,
  isEffective,
  transitionContract,
} from './contract-status.js';
import {
  asClauseFormat,
  currentClauseFormat,
  defaultTemplate,
  fillTemplate,
  type TemplateClause,
  templateVariables,
  validateTemplate,
} from './contract-template.js';
import {
  addDays,
  applyEdit,
  canonicalJson,
  changedFields,
  checkTerms,
  clauseRules,
  type ContractEdit,
  type ContractKind,
  type ContractTerms,
  contractTermsSchema,
} from './contract-terms.js';
import {
  contract,
  contractNumberSeq,
  contractRevision,
  contractSignature,
  contractSignCode,
  contractTemplate,
  contractTermination,
} from './contracts.tables.js';
import { computeSettlement, type Settlement } from './settlement.js';

type ContractRow = typeof contract.$inferSelect;
type Person = Exclude<ContractParty, 'system'>;
type Relation = Person | 'regulator';

export interface ContractEventPayload {
  contractId: string;
  number: string;
  orderId: string;
  companyId: string;
  workerId: string;
  residentUserId: string;
}
export interface ContractsEvents {
  'contracts.sealed': ContractEventPayload;
  'contracts.filed': ContractEventPayload & { filingNo: string };
  /** The last party agreed; the service ends at the end of `effectiveDate` (YYYY-MM-DD, Asia/Shanghai). */
  'contracts.terminated': ContractEventPayload & { effectiveDate: string };
  /** The feedback module opens a complaint from this (the parties did not agree on a termination). */
  'contracts.termination_disputed': ContractEventPayload & { terminationId: string; reason: string };
}

export interface ContractsDeps {
  db: Db;
  clock: () => Date;
  pii: Pii;
  storage: FileStorage;
  sms: Pick<SmsSender, 'sendCode'>;
  notifications: Pick<NotificationsService, 'notify'>;
  orders: Pick<OrdersService, 'contractFacts' | 'recordSealedContract'>;
  orgs: Pick<OrgsService, 'publicCompany' | 'getOrganization'>;
  workers: {
    trustFacts(workerId: string): Promise<TrustFacts | null>;
    findWorkerIdByUser(userId: string): Promise<string | null>;
  };
  phoneOf: (userId: string) => Promise<string | null>;
  profilesOf: (userIds: string[]) => Promise<{ id: string; name: string; phoneMasked: string }[]>;
  publicUrl: string;
}

const ADDRESS_AAD = 'contract.address';
const CODE_TTL_MS = 5 * 60_000;
const CODE_RESEND_MS = 60_000;
const CODE_MAX_ATTEMPTS = 5;
const MAX_SIGNATURE_BYTES = 300_000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The drawn signature without metadata chunks; a PNG that cannot be parsed is `CONTRACT_SIGNATURE_INVALID`. */
function cleanSignature(png: Buffer): Buffer {
  try {
    return stripPng(png);
  } catch (e) {
    if (e instanceof AppError && e.code === 'FILE_DAMAGED')
      throw new AppError('CONTRACT_SIGNATURE_INVALID', { detail: 'The signature image is damaged' });
    throw e;
  }
}
/** States in which a contract has been sealed and filed (its PDF and hashes exist). */
const sealedStates: ContractState[] = ['filed', 'terminating', 'terminated', 'disputed', 'superseded'];
const partyLabel: Record<Person, string> = {
  resident: '甲方（消费者）',
  company: '乙方（家政服务机构）',
  worker: '丙方（家政服务员）',
};

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const shanghaiTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The parties who must sign: three in the agency model, consumer and company in the employee model. */
export const signersOf = (kind: ContractKind): Person[] =>
  kind === 'agency' ? ['resident', 'company', 'worker'] : ['resident', 'company'];

/** Default negotiable terms for a new contract (every one passes checkTerms; the parties may change them). */
function defaultsFor(mode: string, kind: ContractKind, monthlyFeeFen: number) {
  const overnight = mode === 'live_in' || mode === 'maternity';
  return {
    dailyHours: mode === 'maternity' ? 12 : mode === 'live_in' ? 10 : 9,
    workStart: '08:00',
    restDaysPerMonth: mode === 'maternity' ? 0 : 4,
    sleepHoursPerDay: overnight ? 8 : null,
    holidayPayMultiplier: 3,
    agencyFeeFen: kind === 'agency' ? Math.round(monthlyFeeFen * 0.1) : 0,
    agencyFeeRefund: 'prorata' as const,
    depositFen: Math.round(monthlyFeeFen * 0.2),
    monthlyWageFen: Math.round(monthlyFeeFen * (kind === 'agency' ? 0.85 : 0.8)),
    trialDays: 7,
    replacementWithinDays: 3,
    accidentInsurance: true,
    terminationNoticeDays: 7,
    breachLiability:
      '任何一方违反本合同约定给他方造成损失的，应依法承担赔偿责任；乙方未按约定更换家政服务员或未投保的，按日退还服务费。',
    disputeResolution: 'mediation_then_arbitration' as const,
  };
}

/** Monthly instalments from the start date; the last one takes the remainder so they add up to the total. */
function scheduleOf(startDate: string, totalFen: number, monthlyFeeFen: number) {
  const n = Math.max(1, Math.ceil(totalFen / Math.max(1, monthlyFeeFen)));
  const out: { dueDate: string; amountFen: number }[] = [];
  let left = totalFen;
  for (let i = 0; i < n; i++) {
    const amount = i === n - 1 ? left : Math.min(left, monthlyFeeFen);
    out.push({ dueDate: addDays(startDate, i * 30), amountFen: amount });
    left -= amount;
  }
  return out;
}

function violationError(t: ContractTerms) {
  const v = checkTerms(t);
  if (v.length)
    throw new AppError('CONTRACT_CLAUSE_VIOLATION', {
      issues: v.map((x) => ({ path: x.field, message: `${x.rule}: ${x.zh} / ${x.en}` })),
    });
}

/** Contracts: templates, drafting from an order, three-party e-signing, sealing and filing, termination, chains. */
export function createContractsService(deps: ContractsDeps) {
  const { db, clock, pii, storage } = deps;

  // Helpers ---------------------------------------------------------------------------------------------------

  async function ownWorkerId(ctx: RequestContext): Promise<string | null> {
    return ctx.actor?.roles.includes('worker') ? deps.workers.findWorkerIdByUser(ctx.actor.userId) : null;
  }

  /** How the caller relates to a contract, best first; null when they may not see it (→ 404). */
  async function relationOf(ctx: RequestContext, c: ContractRow): Promise<Relation | null> {
    const a = ctx.actor;
    if (!a) return null;
    if (a.userId === c.residentUserId) return 'resident';
    // The contract's own worker is the worker, even with a staff seat at the company: they must never sign (or act)
    // for the employer on their own contract, and their signature must be recorded as theirs.
    if (c.workerId && c.workerId === (await ownWorkerId(ctx))) return 'worker';
    if (orgIdsOf(a, 'company').includes(c.companyId)) return 'company';
    if (hasRole(a, 'regulator') && (!a.regulatorDistrict || c.district.startsWith(a.regulatorDistrict)))
      return 'regulator';
    return null;
  }

  async function visible(ctx: RequestContext, id: string) {
    const [c] = await db.select().from(contract).where(eq(contract.id, id)).limit(1);
    if (!c) throw new AppError('NOT_FOUND');
    const rel = await relationOf(ctx, c);
    if (!rel) throw new AppError('NOT_FOUND');
    return { c, rel };
  }

  /** The caller as a signing party of this contract; a viewer who is not one gets 403. */
  function partyFor(c: ContractRow, rel: Relation): Person {
    if (rel === 'regulator' || !signersOf(c.kind as ContractKind).includes(rel))
      throw new AppError('CONTRACT_NOT_A_PARTY');
    return rel;
  }

  function check(state: ContractState, action: ContractAction, by: ContractParty): ContractState {
    const t = transitionContract({ from: state, action, by });
    if (t.ok) return t.to;
    if (t.error === 'not_your_step') throw new AppError('CONTRACT_NOT_A_PARTY');
    if (action === 'edit' && sealedStates.includes(state)) throw new AppError('CONTRACT_SEALED');
    if (action === 'edit' && state === 'signing') throw new AppError('CONTRACT_LOCKED');
    if (action === 'sign' && sealedStates.includes(state)) throw new AppError('CONTRACT_SEALED');
    throw new AppError('CONTRACT_INVALID_TRANSITION');
  }

  async function nextSeq(tx: DbOrTx, key: string): Promise<number> {
    const [row] = await tx
      .insert(contractNumberSeq)
      .values({ key, last: 1 })
      .onConflictDoUpdate({
        target: contractNumberSeq.key,
        set: { last: sql`${contractNumberSeq.last} + 1` },
      })
      .returning({ last: contractNumberSeq.last });
    return row!.last;
  }

  async function currentTemplate(tx: DbOrTx, kind: ContractKind) {
    const [t] = await tx
      .select()
      .from(contractTemplate)
      .where(eq(contractTemplate.kind, kind))
      .orderBy(desc(contractTemplate.version))
      .limit(1);
    if (t) return t;
    // The platform's first version is created on first use, so a fresh database needs no seed.
    const d = defaultTemplate(kind);
    const [row] = await tx
      .insert(contractTemplate)
      .values({ id: newId('ctp'), kind, version: 1, title: d.title, clauses: d.clauses, createdAt: clock() })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    const [again] = await tx
      .select()
      .from(contractTemplate)
      .where(and(eq(contractTemplate.kind, kind), eq(contractTemplate.version, 1)));
    return again!;
  }

  async function templateById(id: string, q: DbOrTx = db) {
    const [t] = await q.select().from(contractTemplate).where(eq(contractTemplate.id, id));
    return t!;
  }

  const payloadOf = (c: ContractRow): ContractEventPayload => ({
    contractId: c.id,
    number: c.number,
    orderId: c.orderId,
    companyId: c.companyId,
    workerId: c.workerId,
    residentUserId: c.residentUserId,
  });

  async function audit(
    tx: Tx,
    ctx: RequestContext,
    action: string,
    c: ContractRow,
    detail?: Record<string, unknown>,
  ) {
    await appendAudit(tx, ctx, {
      action,
      objectType: 'contract',
      objectId: c.id,
      detail: { number: c.number, ...detail },
    });
  }

  /** In-app notices to every party, after the step committed (they write another module's table). */
  async function tellAll(c: ContractRow, kind: string, title: string, body: string) {
    await deps.notifications.notify({
      userId: c.residentUserId,
      kind,
      title,
      body,
      link: `/resident/contracts/${c.id}`,
    });
    await deps.notifications.notify({
      orgId: c.companyId,
      kind,
      title,
      body,
      link: `/company/contracts/${c.id}`,
    });
    const facts = await deps.workers.trustFacts(c.workerId);
    if (facts?.userId)
      await deps.notifications.notify({
        userId: facts.userId,
        kind,
        title,
        body,
        link: `/worker/contracts/${c.id}`,
      });
  }

  const verifyUrl = (number: string) => `${deps.publicUrl}/contracts/verify?no=${encodeURIComponent(number)}`;

  async function signaturesOf(q: DbOrTx, contractId: string) {
    return q
      .select()
      .from(contractSignature)
      .where(eq(contractSignature.contractId, contractId))
      .orderBy(asc(contractSignature.signedAt), asc(contractSignature.id));
  }

  /** Renders the contract: the sealed version (with signature images) or a preview marked as not in force. */
  async function render(
    c: ContractRow,
    sigs: (typeof contractSignature.$inferSelect)[],
    sealed: { filingNo: string; at: Date } | null,
    q: DbOrTx = db,
  ) {
    const tpl = await templateById(c.templateId, q);
    const terms = c.terms as ContractTerms;
    // The contract's own clause format: a sealed or half-signed contract reads as its parties saw it.
    const vars = templateVariables(
      terms,
      pii.decrypt(c.addressEnc, ADDRESS_AAD),
      asClauseFormat(c.clauseFormat),
    );
    const names: Record<Person, string> = {
      resident: terms.consumer.name,
      company: terms.company.name,
      worker: terms.worker.name,
    };
    const signatures = [];
    for (const p of signersOf(c.kind as ContractKind)) {
      const s = sigs.find((x) => x.party === p);
      signatures.push({
        label: partyLabel[p],
        name: names[p],
        signedAt: s ? shanghaiTime(s.signedAt) : '',
        image: s ? await storage.get(s.signatureKey) : null,
      });
    }
    return renderContractPdf({
      title: tpl.title,
      number: c.number,
      revision: c.revision,
      templateVersion: tpl.version,
      filingNo: sealed?.filingNo ?? null,
      draftMark: sealed ? null : '预览稿：尚未全部签署，不具效力',
      clauses: fillTemplate(tpl.clauses as TemplateClause[], vars),
      signatures,
      verifyUrl: verifyUrl(c.number),
      createdAt: sealed?.at ?? c.updatedAt,
    });
  }

  // Views -----------------------------------------------------------------------------------------------------

  function summary(c: ContractRow) {
    const t = c.terms as ContractTerms;
    return {
      id: c.id,
      number: c.number,
      orderId: c.orderId,
      kind: c.kind as ContractKind,
      state: c.state as ContractState,
      effective: isEffective(c.state as ContractState),
      revision: c.revision,
      category: c.category,
      mode: c.mode,
      district: c.district,
      companyId: c.companyId,
      companyName: t.company.name,
      consumerName: t.consumer.name,
      workerName: t.worker.name,
      startDate: t.startDate,
      endDate: t.endDate,
      totalFeeFen: t.totalFeeFen,
      filingNo: c.filingNo,
      sealedAt: c.sealedAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    };
  }

  async function detail(ctx: RequestContext, c: ContractRow, rel: Relation) {
    const sigs = await signaturesOf(db, c.id);
    const tpl = await templateById(c.templateId);
    const terms = c.terms as ContractTerms;
    const showAddress = rel !== 'regulator';
    const address = showAddress ? pii.decrypt(c.addressEnc, ADDRESS_AAD) : null;
    // As with orders: the company and the worker reading a home address is recorded.
    if (rel === 'company' || rel === 'worker')
      await recordAudit(db, ctx, { action: 'contract.address_read', objectType: 'contract', objectId: c.id });
    const [termination] = await db
      .select()
      .from(contractTermination)
      .where(eq(contractTermination.contractId, c.id))
      .orderBy(desc(contractTermination.createdAt))
      .limit(1);
    const revisions = await db
      .select({
        revision: contractRevision.revision,
        party: contractRevision.party,
        changed: contractRevision.changed,
        at: contractRevision.at,
      })
      .from(contractRevision)
      .where(eq(contractRevision.contractId, c.id))
      .orderBy(asc(contractRevision.revision));
    const chain = await chainOf(c);
    const signers = signersOf(c.kind as ContractKind);
    let actions: string[] = [];
    if (rel !== 'regulator' && signers.includes(rel)) {
      actions = availableContractActions(c.state as ContractState, rel).filter(
        (a) => a !== 'confirm_termination',
      );
      if (sigs.some((s) => s.party === rel)) actions = actions.filter((a) => a !== 'sign');
      if (c.state === 'terminating' && termination && !(termination.confirmedBy as string[]).includes(rel))
        actions.push('confirm_termination');
    }
    return {
      ...summary(c),
      relation: rel,
      actions,
      templateVersion: tpl.version,
      templateTitle: tpl.title,
      terms,
      address,
      violations: checkTerms(terms),
      clauses: fillTemplate(
        tpl.clauses as TemplateClause[],
        templateVariables(terms, address ?? '（已隐藏）', asClauseFormat(c.clauseFormat)),
      ),
      signers,
      signatures: sigs.map((s) => ({
        party: s.party,
        signedAt: s.signedAt.toISOString(),
        signatureSha256: s.signatureSha256,
      })),
      pdfSha256: c.pdfSha256,
      termsSha256: c.termsSha256,
      previousId: c.previousId,
      replacedById: c.replacedById,
      chain,
      revisions: revisions.map((r) => ({
        revision: r.revision,
        party: r.party,
        changed: r.changed as string[],
        at: r.at.toISOString(),
      })),
      termination: termination
        ? {
            id: termination.id,
            requestedBy: termination.requestedBy,
            reason: termination.reason,
            effectiveDate: termination.effectiveDate,
            settlement: termination.settlement as Settlement,
            confirmedBy: termination.confirmedBy as string[],
            state: termination.state,
            disputeReason: termination.disputeReason,
            createdAt: termination.createdAt.toISOString(),
          }
        : null,
    };
  }

  /** The versions of this contract's chain, oldest first (replacements of the worker). */
  async function chainOf(c: ContractRow) {
    const rows = await db
      .select({
        id: contract.id,
        number: contract.number,
        state: contract.state,
        previousId: contract.previousId,
        workerId: contract.workerId,
        createdAt: contract.createdAt,
      })
      .from(contract)
      .where(eq(contract.orderId, c.orderId))
      .orderBy(asc(contract.createdAt), asc(contract.id));
    return rows.map((r) => ({ id: r.id, number: r.number, state: r.state, previousId: r.previousId }));
  }

  // Drafting --------------------------------------------------------------------------------------------------

  /** The terms for an order from the order, the company, the worker and the consumer (read before any tx). */
  async function termsForOrder(
    facts: NonNullable<Awaited<ReturnType<ContractsDeps['orders']['contractFacts']>>>,
    workerId: string,
    base?: ContractTerms,
  ) {
    const org = await deps.orgs.getOrganization(facts.companyId);
    const company = await deps.orgs.publicCompany(facts.companyId).catch(() => null);
    const kind: ContractKind = org?.model === 'employee' ? 'employee' : 'agency';
    const w = await deps.workers.trustFacts(workerId);
    if (!w) throw new AppError('CONTRACT_ORDER_NOT_READY');
    const [consumer] = await deps.profilesOf([facts.residentUserId]);
    const monthlyFeeFen = facts.unit === 'month' ? facts.unitPriceFen : facts.totalFen;
    const startDate = shanghaiDate(facts.serviceStart);
    const endDate = shanghaiDate(facts.serviceEnd);
    const terms: ContractTerms = {
      ...defaultsFor(facts.mode, kind, monthlyFeeFen),
      ...(base ? pickNegotiable(base) : {}),
      kind,
      category: facts.category,
      mode: facts.mode,
      company: {
        name: org?.name ?? company?.name ?? '',
        address: company?.address ?? '',
        legalRepresentative: company?.legalRepresentative ?? '',
        contactName: company?.contactName ?? '',
        uscc: company?.uscc ?? '',
      },
      consumer: { name: consumer?.name ?? '' },
      worker: {
        name: w.name,
        skillLevel: w.skillLevel ?? '',
        healthValidUntil: w.health.validUntil ?? '',
        trainingPassed: w.training.state === 'passed',
      },
      serviceDistrict: facts.district,
      serviceContent: base?.serviceContent ?? facts.priceTitle,
      startDate,
      endDate: endDate > startDate ? endDate : addDays(startDate, 1),
      monthlyFeeFen,
      totalFeeFen: facts.totalFen,
      paymentSchedule: base?.paymentSchedule ?? scheduleOf(startDate, facts.totalFen, monthlyFeeFen),
    };
    return { kind, terms: contractTermsSchema.parse(terms) };
  }

  function pickNegotiable(t: ContractTerms): ContractEdit {
    const {
      serviceContent,
      dailyHours,
      workStart,
      restDaysPerMonth,
      sleepHoursPerDay,
      holidayPayMultiplier,
      paymentSchedule,
      agencyFeeFen,
      agencyFeeRefund,
      depositFen,
      monthlyWageFen,
      trialDays,
      replacementWithinDays,
      accidentInsurance,
      terminationNoticeDays,
      breachLiability,
      disputeResolution,
    } = t;
    return {
      serviceContent,
      dailyHours,
      workStart,
      restDaysPerMonth,
      sleepHoursPerDay,
      holidayPayMultiplier,
      paymentSchedule,
      agencyFeeFen,
      agencyFeeRefund,
      depositFen,
      monthlyWageFen,
      trialDays,
      replacementWithinDays,
      accidentInsurance,
      terminationNoticeDays,
      breachLiability,
      disputeResolution,
    };
  }

  async function insertDraft(
    tx: Tx,
    ctx: RequestContext,
    input: {
      facts: {
        orderId: string;
        residentUserId: string;
        companyId: string;
        district: string;
        category: string;
        mode: string;
        address: string;
      };
      workerId: string;
      kind: ContractKind;
      terms: ContractTerms;
      previousId: string | null;
      party: ContractParty;
    },
  ): Promise<ContractRow> {
    const now = clock();
    const tpl = await currentTemplate(tx, input.kind);
    const number = formatContractNumber(
      Number(shanghaiDate(now).slice(0, 4)),
      await nextSeq(tx, `HT-${shanghaiDate(now).slice(0, 4)}`),
    );
    let row: ContractRow | undefined;
    try {
      await tx.transaction(async (sp) => {
        [row] = await sp
          .insert(contract)
          .values({
            id: newId('ctr'),
            number,
            orderId: input.facts.orderId,
            templateId: tpl.id,
            kind: input.kind,
            state: 'draft',
            revision: 1,
            terms: input.terms,
            clauseFormat: currentClauseFormat,
            addressEnc: pii.encrypt(input.facts.address, ADDRESS_AAD),
            residentUserId: input.facts.residentUserId,
            companyId: input.facts.companyId,
            workerId: input.workerId,
            category: input.facts.category,
            mode: input.facts.mode,
            district: input.facts.district,
            previousId: input.previousId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
      });
    } catch (e) {
      // The partial unique index: another draft for this order committed first.
      if (
        String((e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code) === '23505'
      )
        throw new AppError('CONTRACT_EXISTS');
      throw e;
    }
    await tx.insert(contractRevision).values({
      id: newId('ctv'),
      contractId: row!.id,
      revision: 1,
      terms: input.terms,
      party: input.party,
      actorId: ctx.actor?.userId ?? null,
      changed: [],
      at: now,
    });
    await audit(tx, ctx, 'contract.drafted', row!, {
      orderId: input.facts.orderId,
      previousId: input.previousId,
      templateVersion: tpl.version,
    });
    return row!;
  }

  // Sealing ---------------------------------------------------------------------------------------------------

  /** Inside the last signature's transaction: renders the final PDF once, stores it, hashes it and files it. */
  async function sealTx(tx: Tx, ctx: RequestContext, c: ContractRow): Promise<ContractRow> {
    const now = clock();
    const year = shanghaiDate(now).slice(0, 4);
    const filingNo = formatFilingNumber(
      c.district,
      Number(year),
      await nextSeq(tx, `BA-${c.district}-${year}`),
    );
    const sigs = await signaturesOf(tx, c.id);
    const pdf = await render(c, sigs, { filingNo, at: now }, tx);
    const pdfSha256 = sha256(pdf);
    const pdfKey = `contracts/${c.id}/sealed-${pdfSha256.slice(0, 16)}.pdf`;
    // Stored byte for byte: pdfSha256 is the hash of the stored file (the storage wrapper would strip its /Info).
    await storage.put(pdfKey, serverRendered(pdf));
    const [sealed] = await tx
      .update(contract)
      .set({
        state: check(c.state as ContractState, 'seal', 'system'),
        pdfKey,
        pdfSha256,
        termsSha256: sha256(canonicalJson(c.terms)),
        filingNo,
        sealedAt: now,
        updatedAt: now,
      })
      .where(eq(contract.id, c.id))
      .returning();
    await audit(tx, ctx, 'contract.sealed', sealed!, { pdfSha256, filingNo });
    await enqueueEvent<ContractsEvents>(tx, { topic: 'contracts.sealed', payload: payloadOf(sealed!) });
    await enqueueEvent<ContractsEvents>(tx, {
      topic: 'contracts.filed',
      payload: { ...payloadOf(sealed!), filingNo },
    });
    if (c.previousId) {
      const [prev] = await tx.select().from(contract).where(eq(contract.id, c.previousId)).for('update');
      if (prev && prev.state === 'filed') {
        await tx
          .update(contract)
          .set({ state: check('filed', 'supersede', 'system'), updatedAt: now })
          .where(eq(contract.id, prev.id));
        await audit(tx, ctx, 'contract.superseded', prev, { by: c.id });
      }
    }
    return sealed!;
  }

  async function afterSeal(ctx: RequestContext, c: ContractRow) {
    const facts = await deps.orders.contractFacts(c.orderId);
    if (facts?.state === 'accepted') {
      try {
        await deps.orders.recordSealedContract(ctx, c.orderId, c.id);
      } catch (e) {
        // Someone moved the order in between (cancelled it, or recorded a paper contract): the contract stays filed.
        if (!(e instanceof AppError && e.code === 'ORDER_INVALID_TRANSITION')) throw e;
      }
    }
    await tellAll(c, 'contract.filed', `合同 ${c.number} 已签署生效`, `各方已签署，备案编号 ${c.filingNo}`);
  }

  // Lists -----------------------------------------------------------------------------------------------------

  async function listWhere(
    scope: SQL | undefined,
    q: { state?: ContractState | undefined; cursor?: string | undefined; limit: number },
  ) {
    const cur = decodeCursor(q.cursor, idCursor);
    const rows = await db
      .select()
      .from(contract)
      .where(
        and(
          scope,
          q.state ? eq(contract.state, q.state) : undefined,
          cur ? lt(contract.id, cur.id) : undefined,
        ),
      )
      .orderBy(desc(contract.id))
      .limit(q.limit + 1);
    const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
    return { items: page.items.map(summary), nextCursor: page.nextCursor };
  }

  const service = {
    /** The latest version of each template kind (created from the platform default on first use). */
    async templates() {
      const out = [];
      for (const kind of ['agency', 'employee'] as const) {
        const t = await db.transaction((tx) => currentTemplate(tx, kind));
        out.push({
          id: t.id,
          kind,
          version: t.version,
          title: t.title,
          clauses: t.clauses as TemplateClause[],
          createdAt: t.createdAt.toISOString(),
        });
      }
      return out;
    },

    /** The regulator publishes a new template version; it must keep every mandatory clause and use known variables. */
    async publishTemplate(
      ctx: RequestContext,
      input: { kind: ContractKind; title: string; clauses: TemplateClause[] },
    ) {
      const problems = validateTemplate(input.kind, input.clauses);
      if (problems.length)
        throw new AppError('CONTRACT_TEMPLATE_INVALID', {
          issues: problems.map((p) => ({ path: 'clauses', message: p })),
        });
      const row = await db.transaction(async (tx) => {
        const cur = await currentTemplate(tx, input.kind);
        const [t] = await tx
          .insert(contractTemplate)
          .values({
            id: newId('ctp'),
            kind: input.kind,
            version: cur.version + 1,
            title: input.title,
            clauses: input.clauses,
            createdBy: ctx.actor?.userId ?? null,
            createdAt: clock(),
          })
          .returning();
        await appendAudit(tx, ctx, {
          action: 'contract.template_published',
          objectType: 'contract_template',
          objectId: t!.id,
          detail: { kind: input.kind, version: t!.version },
        });
        return t!;
      });
      return {
        id: row.id,
        kind: input.kind,
        version: row.version,
        title: row.title,
        clauses: row.clauses as TemplateClause[],
        createdAt: row.createdAt.toISOString(),
      };
    },

    /** The company drafts the contract of an accepted long-term order, filled from the order (revision 1). */
    async createFromOrder(ctx: RequestContext, orderId: string) {
      const facts = await deps.orders.contractFacts(orderId);
      if (!facts || !ctx.actor || !orgIdsOf(ctx.actor, 'company').includes(facts.companyId))
        throw new AppError('NOT_FOUND');
      if (!longTermModes.includes(facts.mode as ServiceMode) || facts.state !== 'accepted' || !facts.workerId)
        throw new AppError('CONTRACT_ORDER_NOT_READY');
      const existing = await db
        .select({ id: contract.id })
        .from(contract)
        .where(
          and(
            eq(contract.orderId, orderId),
            inArray(contract.state, ['draft', 'signing', 'filed', 'terminating']),
          ),
        )
        .limit(1);
      if (existing.length) throw new AppError('CONTRACT_EXISTS');
      const { kind, terms } = await termsForOrder(facts, facts.workerId);
      const row = await db.transaction((tx) =>
        insertDraft(tx, ctx, {
          facts,
          workerId: facts.workerId!,
          kind,
          terms,
          previousId: null,
          party: 'company',
        }),
      );
      await tellAll(row, 'contract.drafted', `合同 ${row.number} 待确认`, '请查看合同条款并签署');
      return detail(ctx, row, 'company');
    },

    /** One contract as the caller may see it (parties and the district's regulator), with its chain and revisions. */
    async get(ctx: RequestContext, id: string) {
      const { c, rel } = await visible(ctx, id);
      return detail(ctx, c, rel);
    },

    /** A party changes negotiable terms before anyone signs; the clause checks must still pass. Keeps the revision. */
    async edit(ctx: RequestContext, id: string, edit: ContractEdit) {
      const { rel } = await visible(ctx, id);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const party = partyFor(c!, rel);
        check(c!.state as ContractState, 'edit', party);
        const before = c!.terms as ContractTerms;
        let after: ContractTerms;
        try {
          after = applyEdit(before, edit);
        } catch {
          throw new AppError('VALIDATION_FAILED');
        }
        violationError(after);
        const changed = changedFields(before, after);
        if (!changed.length) return c!;
        const now = clock();
        const [u] = await tx
          .update(contract)
          // A draft's new revision is new text nobody has signed: it takes the current clause format.
          .set({ terms: after, revision: c!.revision + 1, clauseFormat: currentClauseFormat, updatedAt: now })
          .where(eq(contract.id, id))
          .returning();
        await tx.insert(contractRevision).values({
          id: newId('ctv'),
          contractId: id,
          revision: u!.revision,
          terms: after,
          party,
          actorId: ctx.actor?.userId ?? null,
          changed,
          at: now,
        });
        await audit(tx, ctx, 'contract.edited', u!, { revision: u!.revision, changed });
        return u!;
      });
      return detail(ctx, row, rel);
    },

    /** Sends the caller a 6-digit code to confirm their signature (5 minutes, once a minute). */
    async requestSignCode(ctx: RequestContext, id: string) {
      const { c, rel } = await visible(ctx, id);
      const party = partyFor(c, rel);
      check(c.state as ContractState, 'sign', party);
      if ((await signaturesOf(db, c.id)).some((s) => s.party === party))
        throw new AppError('CONTRACT_ALREADY_SIGNED');
      violationError(c.terms as ContractTerms);
      const now = clock();
      const [last] = await db
        .select()
        .from(contractSignCode)
        .where(
          and(
            eq(contractSignCode.contractId, c.id),
            eq(contractSignCode.party, party),
            eq(contractSignCode.userId, ctx.actor!.userId),
          ),
        )
        .orderBy(desc(contractSignCode.createdAt))
        .limit(1);
      if (last && now.getTime() - last.createdAt.getTime() < CODE_RESEND_MS)
        throw new AppError('CONTRACT_CODE_TOO_SOON');
      const phone = await deps.phoneOf(ctx.actor!.userId);
      if (!phone) throw new AppError('CONTRACT_NOT_A_PARTY');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const codeId = newId('ctc');
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
      // Issuing a signing code is part of the signature's evidence (who asked, for which party, when): audited with it.
      await db.transaction(async (tx) => {
        await tx.insert(contractSignCode).values({
          id: codeId,
          contractId: c.id,
          party,
          userId: ctx.actor!.userId,
          codeHash: pii.blindIndex(`${codeId}:${code}`, 'contract.sign_code'),
          expiresAt,
          createdAt: now,
        });
        await audit(tx, ctx, 'contract.sign_code_sent', c, { party, codeId });
      });
      await deps.sms.sendCode({ phone, code, purpose: 'contract_sign', sentAt: now });
      return {
        expiresAt: expiresAt.toISOString(),
        phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      };
    },

    /**
     * A party signs with a hand-drawn signature (PNG) and the SMS code. The last signature seals the contract in
     * the same transaction: final PDF rendered once and stored, SHA-256 of PDF and terms, filing number.
     */
    async sign(
      ctx: RequestContext,
      id: string,
      input: { code: string; signaturePng: string; userAgent: string | null },
    ) {
      const { c: seen, rel } = await visible(ctx, id);
      const party = partyFor(seen, rel);
      check(seen.state as ContractState, 'sign', party);
      const drawn = Buffer.from(input.signaturePng.replace(/^data:image\/png;base64,/, ''), 'base64');
      if (drawn.length < 67 || drawn.length > MAX_SIGNATURE_BYTES || !drawn.subarray(0, 8).equals(PNG_MAGIC))
        throw new AppError('CONTRACT_SIGNATURE_INVALID');
      // The PNG comes from the client: its text/EXIF chunks go before it is hashed, stored and sealed into the PDF.
      const image = cleanSignature(drawn);
      const now = clock();
      // The code is checked (and a wrong try counted) before the signing transaction, so the count survives.
      const [code] = await db
        .select()
        .from(contractSignCode)
        .where(
          and(
            eq(contractSignCode.contractId, id),
            eq(contractSignCode.party, party),
            eq(contractSignCode.userId, ctx.actor!.userId),
          ),
        )
        .orderBy(desc(contractSignCode.createdAt))
        .limit(1);
      if (!code || code.usedAt || code.expiresAt <= now) throw new AppError('CONTRACT_CODE_INVALID');
      if (code.attempts >= CODE_MAX_ATTEMPTS) throw new AppError('CONTRACT_CODE_LOCKED');
      if (!pii.anyProfileIndexes(`${code.id}:${input.code}`, 'contract.sign_code').includes(code.codeHash)) {
        await db
          .update(contractSignCode)
          .set({ attempts: sql`${contractSignCode.attempts} + 1` })
          .where(eq(contractSignCode.id, code.id));
        throw new AppError('CONTRACT_CODE_INVALID');
      }
      const digest = sha256(image);
      const signatureKey = `contracts/${id}/signature-${party}-${digest.slice(0, 16)}.png`;
      await storage.put(signatureKey, image);
      const { row, sealed } = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const to = check(c!.state as ContractState, 'sign', party);
        const used = await tx
          .update(contractSignCode)
          .set({ usedAt: now })
          .where(and(eq(contractSignCode.id, code.id), isNull(contractSignCode.usedAt)))
          .returning({ id: contractSignCode.id });
        if (!used.length) throw new AppError('CONTRACT_CODE_INVALID');
        const sigs = await signaturesOf(tx, id);
        if (sigs.some((s) => s.party === party)) throw new AppError('CONTRACT_ALREADY_SIGNED');
        await tx.insert(contractSignature).values({
          id: newId('ctg'),
          contractId: id,
          party,
          signerUserId: ctx.actor!.userId,
          revision: c!.revision,
          signerIp: ctx.ip,
          signerUserAgent: input.userAgent?.slice(0, 300) ?? null,
          signatureSha256: digest,
          signatureKey,
          signedAt: now,
        });
        const [u] = await tx
          .update(contract)
          .set({ state: to, updatedAt: now })
          .where(eq(contract.id, id))
          .returning();
        await audit(tx, ctx, 'contract.signed', u!, {
          party,
          revision: c!.revision,
          signatureSha256: digest,
        });
        const signed = new Set([...sigs.map((s) => s.party), party]);
        if (signersOf(c!.kind as ContractKind).every((p) => signed.has(p)))
          return { row: await sealTx(tx, ctx, u!), sealed: true };
        return { row: u!, sealed: false };
      });
      if (sealed) await afterSeal(ctx, row);
      else
        await tellAll(
          row,
          'contract.signed',
          `合同 ${row.number} 已有一方签署`,
          `${partyLabel[party]}已签署，等待其他各方签署`,
        );
      return detail(ctx, row, rel);
    },

    /** A draft or a contract being signed is abandoned (by the consumer or the company); nothing is in force. */
    async void(ctx: RequestContext, id: string, input: { reason: string }) {
      const { rel } = await visible(ctx, id);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const to = check(c!.state as ContractState, 'void', partyFor(c!, rel));
        const [u] = await tx
          .update(contract)
          .set({ state: to, updatedAt: clock() })
          .where(eq(contract.id, id))
          .returning();
        await audit(tx, ctx, 'contract.voided', u!, { reason: input.reason });
        return u!;
      });
      return detail(ctx, row, rel);
    },

    /** The PDF: the sealed, filed document as stored, or a preview marked as not in force. */
    async pdf(ctx: RequestContext, id: string): Promise<{ bytes: Buffer; filename: string }> {
      const { c } = await visible(ctx, id);
      if (c.pdfKey) return { bytes: await storage.get(c.pdfKey), filename: `${c.number}.pdf` };
      return {
        bytes: await render(c, await signaturesOf(db, c.id), null),
        filename: `${c.number}-preview.pdf`,
      };
    },

    /** Any party asks to end a filed contract (解除合约) with a reason and date; the settlement is computed. */
    async requestTermination(
      ctx: RequestContext,
      id: string,
      input: { reason: string; effectiveDate: string },
    ) {
      const { rel } = await visible(ctx, id);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const party = partyFor(c!, rel);
        const to = check(c!.state as ContractState, 'request_termination', party);
        const t = c!.terms as ContractTerms;
        const now = clock();
        if (input.effectiveDate < shanghaiDate(now) || input.effectiveDate > t.endDate)
          throw new AppError('CONTRACT_TERMINATION_INVALID');
        const settlement = computeSettlement(t, input.effectiveDate);
        await tx.insert(contractTermination).values({
          id: newId('ctt'),
          contractId: id,
          requestedBy: party,
          requestedByUserId: ctx.actor!.userId,
          reason: input.reason,
          effectiveDate: input.effectiveDate,
          settlement,
          confirmedBy: [party],
          state: 'pending',
          createdAt: now,
        });
        const [u] = await tx
          .update(contract)
          .set({ state: to, updatedAt: now })
          .where(eq(contract.id, id))
          .returning();
        await audit(tx, ctx, 'contract.termination_requested', u!, {
          party,
          effectiveDate: input.effectiveDate,
        });
        return u!;
      });
      await tellAll(
        row,
        'contract.termination_requested',
        `合同 ${row.number} 申请解除`,
        `生效日期 ${input.effectiveDate}，请确认结算或提出异议`,
      );
      return detail(ctx, row, rel);
    },

    /** A party agrees to the termination and its settlement; when all have, the contract is terminated. */
    async confirmTermination(ctx: RequestContext, id: string) {
      const { rel } = await visible(ctx, id);
      const { row, done } = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const party = partyFor(c!, rel);
        check(c!.state as ContractState, 'confirm_termination', party);
        const [term] = await tx
          .select()
          .from(contractTermination)
          .where(and(eq(contractTermination.contractId, id), eq(contractTermination.state, 'pending')))
          .for('update');
        const confirmed = term!.confirmedBy as string[];
        if (confirmed.includes(party)) throw new AppError('CONTRACT_INVALID_TRANSITION');
        const next = [...confirmed, party];
        const now = clock();
        const all = signersOf(c!.kind as ContractKind).every((p) => next.includes(p));
        await tx
          .update(contractTermination)
          .set({ confirmedBy: next, ...(all ? { state: 'agreed', resolvedAt: now } : {}) })
          .where(eq(contractTermination.id, term!.id));
        await audit(tx, ctx, 'contract.termination_confirmed', c!, { party });
        if (!all) return { row: c!, done: false };
        const [u] = await tx
          .update(contract)
          .set({
            state: check('terminating', 'complete_termination', 'system'),
            terminatedAt: now,
            updatedAt: now,
          })
          .where(eq(contract.id, id))
          .returning();
        await audit(tx, ctx, 'contract.terminated', u!, { effectiveDate: term!.effectiveDate });
        await enqueueEvent<ContractsEvents>(tx, {
          topic: 'contracts.terminated',
          payload: { ...payloadOf(u!), effectiveDate: term!.effectiveDate },
        });
        return { row: u!, done: true };
      });
      if (done)
        await tellAll(row, 'contract.terminated', `合同 ${row.number} 已解除`, '各方已确认解除及结算');
      return detail(ctx, row, rel);
    },

    /** A party does not accept the termination or its settlement: the dispute goes to the complaint flow. */
    async disputeTermination(ctx: RequestContext, id: string, input: { reason: string }) {
      const { rel } = await visible(ctx, id);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, id)).for('update');
        const party = partyFor(c!, rel);
        const to = check(c!.state as ContractState, 'dispute', party);
        const now = clock();
        const [term] = await tx
          .update(contractTermination)
          .set({ state: 'disputed', disputedBy: party, disputeReason: input.reason, resolvedAt: now })
          .where(and(eq(contractTermination.contractId, id), eq(contractTermination.state, 'pending')))
          .returning();
        const [u] = await tx
          .update(contract)
          .set({ state: to, updatedAt: now })
          .where(eq(contract.id, id))
          .returning();
        await audit(tx, ctx, 'contract.termination_disputed', u!, { party });
        await enqueueEvent<ContractsEvents>(tx, {
          topic: 'contracts.termination_disputed',
          payload: { ...payloadOf(u!), terminationId: term!.id, reason: input.reason },
        });
        return u!;
      });
      await tellAll(row, 'contract.termination_disputed', `合同 ${row.number} 解除有争议`, '已转入投诉处理');
      return detail(ctx, row, rel);
    },

    /**
     * The order's worker was replaced (event 'orders.worker_replaced'): a filed contract gets a new draft version
     * linked to it (the chain); a draft is re-filled with the new worker; one being signed is voided and redrafted.
     * Idempotent: a contract already naming the new worker, or already replaced, is left alone.
     */
    async onWorkerReplaced(ctx: RequestContext, p: { orderId: string; workerId: string | null }) {
      if (!p.workerId) return;
      const facts = await deps.orders.contractFacts(p.orderId);
      if (!facts || facts.workerId !== p.workerId) return;
      const [cur] = await db
        .select()
        .from(contract)
        .where(
          and(
            eq(contract.orderId, p.orderId),
            inArray(contract.state, ['draft', 'signing', 'filed', 'terminating']),
          ),
        )
        .orderBy(desc(contract.createdAt))
        .limit(1);
      if (!cur || cur.workerId === p.workerId || cur.replacedById) return;
      const { kind, terms } = await termsForOrder(facts, p.workerId, cur.terms as ContractTerms);
      const row = await db.transaction(async (tx) => {
        const [c] = await tx.select().from(contract).where(eq(contract.id, cur.id)).for('update');
        if (!c || c.replacedById || c.workerId === p.workerId) return null;
        const now = clock();
        if (c.state === 'draft') {
          const [u] = await tx
            .update(contract)
            .set({
              terms,
              workerId: p.workerId!,
              revision: c.revision + 1,
              clauseFormat: currentClauseFormat,
              updatedAt: now,
            })
            .where(eq(contract.id, c.id))
            .returning();
          await tx.insert(contractRevision).values({
            id: newId('ctv'),
            contractId: c.id,
            revision: u!.revision,
            terms,
            party: 'system',
            actorId: null,
            changed: ['worker'],
            at: now,
          });
          await audit(tx, ctx, 'contract.worker_replaced', u!, { workerId: p.workerId });
          return u!;
        }
        if (c.state === 'signing') {
          await tx
            .update(contract)
            .set({ state: check('signing', 'void', 'system'), updatedAt: now })
            .where(eq(contract.id, c.id));
          await audit(tx, ctx, 'contract.voided', c, { reason: 'worker_replaced' });
        }
        const next = await insertDraft(tx, ctx, {
          facts,
          workerId: p.workerId!,
          kind,
          terms,
          previousId: c.id,
          party: 'system',
        });
        await tx.update(contract).set({ replacedById: next.id }).where(eq(contract.id, c.id));
        return next;
      });
      if (row)
        await tellAll(
          row,
          'contract.worker_replaced',
          `合同 ${row.number} 需重新签署`,
          '家政员已更换，请确认并签署新版本合同',
        );
    },

    /** The caller's contracts: the resident's own, or the signed-in worker's. */
    async listMine(
      ctx: RequestContext,
      q: { state?: ContractState | undefined; cursor?: string | undefined; limit: number },
    ) {
      const wid = await ownWorkerId(ctx);
      const scope =
        wid && !ctx.actor!.roles.includes('resident')
          ? eq(contract.workerId, wid)
          : wid
            ? sql`(${contract.residentUserId} = ${ctx.actor!.userId} or ${contract.workerId} = ${wid})`
            : eq(contract.residentUserId, ctx.actor!.userId);
      return listWhere(scope, q);
    },

    /** A company's contracts (its admin and staff only). */
    async listForCompany(
      ctx: RequestContext,
      orgId: string,
      q: { state?: ContractState | undefined; cursor?: string | undefined; limit: number },
    ) {
      if (!orgIdsOf(ctx.actor!, 'company').includes(orgId)) throw new AppError('NOT_FOUND');
      return listWhere(eq(contract.companyId, orgId), q);
    },

    /** Regulators search filed contracts by company, period (filing time), category and state, in their district. */
    async regulatorSearch(
      ctx: RequestContext,
      q: {
        companyId?: string | undefined;
        from?: Date | undefined;
        to?: Date | undefined;
        category?: string | undefined;
        state?: ContractState | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      const d = ctx.actor!.regulatorDistrict;
      return listWhere(
        and(
          isNotNull(contract.sealedAt),
          d ? sql`${contract.district} like ${`${d}%`}` : undefined,
          q.companyId ? eq(contract.companyId, q.companyId) : undefined,
          q.category ? eq(contract.category, q.category) : undefined,
          q.from ? gte(contract.sealedAt, q.from) : undefined,
          q.to ? lt(contract.sealedAt, q.to) : undefined,
        ),
        q,
      );
    },

    /** Clause statistics over filed contracts in a period: how many meet each rule, and averages of key terms. */
    async regulatorStats(ctx: RequestContext, q: { from?: Date | undefined; to?: Date | undefined }) {
      const d = ctx.actor!.regulatorDistrict;
      const rows = await db
        .select({ terms: contract.terms, state: contract.state })
        .from(contract)
        .where(
          and(
            isNotNull(contract.sealedAt),
            d ? sql`${contract.district} like ${`${d}%`}` : undefined,
            q.from ? gte(contract.sealedAt, q.from) : undefined,
            q.to ? lt(contract.sealedAt, q.to) : undefined,
          ),
        )
        .limit(50_000);
      const byState: Record<string, number> = {};
      const failed: Record<string, number> = Object.fromEntries(clauseRules.map((r) => [r, 0]));
      let rest = 0;
      let restN = 0;
      let trial = 0;
      let deposit = 0;
      let insured = 0;
      const refundRules: Record<string, number> = {};
      for (const r of rows) {
        const t = r.terms as ContractTerms;
        byState[r.state] = (byState[r.state] ?? 0) + 1;
        for (const v of checkTerms(t)) failed[v.rule] = (failed[v.rule] ?? 0) + 1;
        if (t.mode !== 'maternity') {
          rest += t.restDaysPerMonth;
          restN++;
        }
        trial += t.trialDays;
        deposit += t.depositFen;
        if (t.accidentInsurance) insured++;
        refundRules[t.agencyFeeRefund] = (refundRules[t.agencyFeeRefund] ?? 0) + 1;
      }
      const n = rows.length;
      return {
        total: n,
        byState,
        clauses: clauseRules.map((rule) => ({ rule, checked: n, passed: n - (failed[rule] ?? 0) })),
        averages: {
          restDaysPerMonth: restN ? Math.round((rest / restN) * 10) / 10 : null,
          trialDays: n ? Math.round((trial / n) * 10) / 10 : null,
          depositFen: n ? Math.round(deposit / n) : null,
        },
        insuredShare: n ? Math.round((insured / n) * 1000) / 1000 : null,
        agencyFeeRefundRules: refundRules,
      };
    },

    /** Public verification by number: whether a filed contract exists and its hashes; never the terms. */
    async verify(numberInput: string, pdf?: Buffer) {
      const number = parseContractNumber(numberInput);
      if (!number)
        return { number: numberInput.slice(0, 40), found: false as const, checkCharacterValid: false };
      const [c] = await db.select().from(contract).where(eq(contract.number, number)).limit(1);
      if (!c) return { number, found: false as const, checkCharacterValid: true };
      const filed = !!c.pdfSha256;
      return {
        number,
        found: true as const,
        checkCharacterValid: true,
        state: c.state as ContractState,
        effective: isEffective(c.state as ContractState),
        filed,
        filingNo: c.filingNo,
        sealedAt: c.sealedAt?.toISOString() ?? null,
        companyName: (c.terms as ContractTerms).company.name,
        category: c.category,
        pdfSha256: c.pdfSha256,
        termsSha256: c.termsSha256,
        ...(pdf ? { uploadedSha256: sha256(pdf), matches: filed && sha256(pdf) === c.pdfSha256 } : {}),
      };
    },

    /** Monthly wage per position from filed contracts in [from, to) (the wage survey). */
    async wageSamples(from: Date, to: Date) {
      const rows = await db
        .select({
          category: contract.category,
          mode: contract.mode,
          district: contract.district,
          terms: contract.terms,
          sealedAt: contract.sealedAt,
        })
        .from(contract)
        .where(and(isNotNull(contract.sealedAt), gte(contract.sealedAt, from), lt(contract.sealedAt, to)))
        .orderBy(asc(contract.sealedAt))
        .limit(100_000);
      return rows.map((r) => ({
        category: r.category,
        mode: r.mode,
        district: r.district,
        monthlyWageFen: (r.terms as ContractTerms).monthlyWageFen,
        filedAt: r.sealedAt!,
      }));
    },

    /** The order's contract in force (or the latest), for "verified by contract" badges; null when none. */
    async contractForOrder(orderId: string) {
      const rows = await db
        .select({
          id: contract.id,
          number: contract.number,
          state: contract.state,
          sealedAt: contract.sealedAt,
        })
        .from(contract)
        .where(eq(contract.orderId, orderId))
        .orderBy(desc(contract.createdAt), desc(contract.id));
      const best = rows.find((r) => r.sealedAt) ?? rows[0];
      return best ? { id: best.id, number: best.number, state: best.state as ContractState } : null;
    },

    /** The worker's sealed contracts for their e-file (一档): numbers, company, term and wage; no household details. */
    async efileSection(workerId: string) {
      const rows = await db
        .select()
        .from(contract)
        .where(and(eq(contract.workerId, workerId), isNotNull(contract.sealedAt)))
        .orderBy(desc(contract.sealedAt), desc(contract.id))
        .limit(500);
      const companies = new Map<string, string>();
      for (const id of new Set(rows.map((r) => r.companyId)))
        companies.set(id, (await deps.orgs.getOrganization(id).catch(() => null))?.name ?? '');
      return rows.map((r) => {
        const terms = r.terms as ContractTerms;
        return {
          id: r.id,
          number: r.number,
          filingNo: r.filingNo,
          kind: r.kind,
          category: r.category,
          mode: r.mode,
          state: r.state as ContractState,
          companyName: companies.get(r.companyId) ?? '',
          startDate: terms.startDate,
          endDate: terms.endDate,
          monthlyWageFen: terms.monthlyWageFen,
          sealedAt: r.sealedAt!.toISOString(),
          terminatedAt: r.terminatedAt?.toISOString() ?? null,
        };
      });
    },
  };
  return service;
}

export type ContractsService = ReturnType<typeof createContractsService>;
export type ContractDetail = Awaited<ReturnType<ContractsService['get']>>;
