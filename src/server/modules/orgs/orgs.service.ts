import { and, arrayContains, asc, count, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { CompanyModel, CreditGrade, ServiceCategory } from '../../../shared/domain.js';
import type { MemberRole, OrgType } from '../../../shared/roles.js';
import {
  maskMiddle,
  maskMobile,
  maskName,
  normalizeMobile,
  parseUscc,
} from '../../../shared/validators/index.js';
import { appendAudit, recordAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Actor, Membership } from '../../platform/http/actor.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import type { Pii } from '../../platform/pii/index.js';
import { type FileStorage, prepareUpload, type UploadMime } from '../../platform/storage/index.js';
import {
  type ApplicationStatus,
  applicationEventNeedsReason,
  isApplicationEditable,
  nextApplicationStatus,
  nextOrgStatus,
  orgEventNeedsReason,
  type OrgStatus,
} from './application-status.js';
import { orgInvitation, orgMembership, orgReview, organization } from './orgs.tables.js';

export type NewOrganization = typeof organization.$inferInsert;
type OrgRow = typeof organization.$inferSelect;

export const LICENCE_MAX_BYTES = 10 * 1024 * 1024;
const LICENCE_TYPES: readonly UploadMime[] = ['image/jpeg', 'image/png', 'application/pdf'];
const INVITATION_TTL_MS = 7 * 24 * 3600_000;
const CONTACT_AAD = 'organization.contact_phone';
const INVITE_AAD = 'org_invitation.phone';
const INVITE_HASH = 'org_invitation.phone';
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export interface Location {
  lon: number;
  lat: number;
}

/** What an applicant fills in; every field is required to submit, the same shape edits a draft. */
export interface CompanyApplicationInput {
  name: string;
  uscc: string;
  legalRepresentative: string;
  model: CompanyModel;
  address: string;
  district: string;
  location: Location;
  serviceCategories: ServiceCategory[];
  contactName: string;
  contactPhone: string;
  description?: string | null | undefined;
}

export interface OrganizationInput {
  type: 'station' | 'training' | 'insurer';
  name: string;
  district: string;
  address: string;
  location: Location;
  contactName: string;
  contactPhone: string;
  description?: string | null | undefined;
  /** Optional first admin, invited by phone. */
  adminPhone?: string | undefined;
}

export interface ReviewEntry {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actorId: string | null;
  at: Date;
}

export interface CompanyDetail {
  id: string;
  type: OrgType;
  name: string;
  status: OrgStatus;
  applicationStatus: ApplicationStatus | null;
  uscc: string | null;
  legalRepresentative: string | null;
  model: CompanyModel | null;
  address: string | null;
  district: string | null;
  location: (Location & { coordSystem: string }) | null;
  serviceCategories: ServiceCategory[];
  contactName: string | null;
  contactPhone: string | null;
  creditGrade: CreditGrade | null;
  description: string | null;
  licence: { mime: string; size: number; uploadedAt: Date } | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  reviews: ReviewEntry[];
}

export interface PublicOrganization {
  id: string;
  type: OrgType;
  name: string;
  district: string | null;
  address: string | null;
  location: (Location & { coordSystem: string }) | null;
  model: CompanyModel | null;
  serviceCategories: ServiceCategory[];
  creditGrade: CreditGrade | null;
  description: string | null;
  uscc: string | null;
  legalRepresentative: string | null;
  contactName: string | null;
  contactPhoneMasked: string | null;
}

export interface RegulatorListItem {
  id: string;
  type: OrgType;
  name: string;
  uscc: string | null;
  district: string | null;
  model: CompanyModel | null;
  status: OrgStatus;
  applicationStatus: ApplicationStatus | null;
  creditGrade: CreditGrade | null;
  submittedAt: Date | null;
  createdAt: Date;
}

export interface InvitationView {
  id: string;
  orgId: string;
  orgName: string;
  orgType: OrgType;
  role: MemberRole;
  phoneMasked: string;
  status: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface MemberView {
  id: string;
  userId: string;
  name: string;
  phoneMasked: string;
  role: MemberRole;
  startedAt: Date;
  endedAt: Date | null;
}

export interface OrgsDeps {
  db: Db;
  pii?: Pick<Pii, 'encrypt' | 'decrypt' | 'blindIndex' | 'blindIndexes' | 'anyProfileIndexes'>;
  storage?: FileStorage;
  clock?: () => Date;
  /** The account's mobile (from identity), to match invitations addressed to it. */
  phoneOf?: (userId: string) => Promise<string | null>;
  /** Names and masked phones of accounts (from identity), for member lists. */
  profilesOf?: (userIds: string[]) => Promise<{ id: string; name: string; phoneMasked: string }[]>;
}

function isUniqueViolation(e: unknown): boolean {
  for (let cur: unknown = e, i = 0; cur && i < 4; i++) {
    if ((cur as { code?: unknown }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

function requireUscc(input: string): string {
  const parsed = parseUscc(input);
  if (!parsed.ok)
    throw new AppError('ORG_USCC_INVALID', {
      issues: [{ path: 'uscc', message: `invalid: ${parsed.reason}` }],
    });
  return parsed.value.normalized;
}

/** A company contact: a mainland mobile (stored as 11 digits) or a landline such as 020-12345678. */
function requireContactPhone(input: string, path = 'contactPhone'): string {
  const mobile = normalizeMobile(input);
  if (mobile) return mobile;
  const compact = input.trim();
  if (LANDLINE.test(compact)) return compact;
  throw new AppError('PHONE_INVALID', { issues: [{ path, message: 'not a mobile or landline number' }] });
}

function requireMobile(input: string, path: string): string {
  const mobile = normalizeMobile(input);
  if (!mobile)
    throw new AppError('PHONE_INVALID', { issues: [{ path, message: 'not a mainland mobile number' }] });
  return mobile;
}

const maskContactPhone = (p: string) => (normalizeMobile(p) ? maskMobile(p) : maskMiddle(p, 4, 2));

function requireReason(needed: boolean, reason: string | undefined | null): string | null {
  const r = reason?.trim() || null;
  if (needed && !r)
    throw new AppError('ORG_REASON_REQUIRED', { issues: [{ path: 'reason', message: 'required' }] });
  return r;
}

function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Organizations, memberships, company applications and their review, public listings and staff invitations. */
export function createOrgsService(deps: OrgsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const pii = () => {
    if (!deps.pii) throw new Error('orgs service needs pii');
    return deps.pii;
  };
  const storage = () => {
    if (!deps.storage) throw new Error('orgs service needs storage');
    return deps.storage;
  };

  const decryptContact = (row: Pick<OrgRow, 'contactPhoneEnc'>) =>
    row.contactPhoneEnc ? pii().decrypt(row.contactPhoneEnc, CONTACT_AAD) : null;

  const locationOf = (r: Pick<OrgRow, 'lon' | 'lat' | 'coordSystem'>) =>
    r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat, coordSystem: r.coordSystem };

  async function reviewsOf(orgId: string, q: DbOrTx = db): Promise<ReviewEntry[]> {
    return q
      .select({
        action: orgReview.action,
        fromStatus: orgReview.fromStatus,
        toStatus: orgReview.toStatus,
        reason: orgReview.reason,
        actorId: orgReview.actorId,
        at: orgReview.at,
      })
      .from(orgReview)
      .where(eq(orgReview.orgId, orgId))
      .orderBy(asc(orgReview.at), asc(orgReview.id));
  }

  async function toDetail(row: OrgRow, q: DbOrTx = db): Promise<CompanyDetail> {
    return {
      id: row.id,
      type: row.type as OrgType,
      name: row.name,
      status: row.status as OrgStatus,
      applicationStatus: row.applicationStatus as ApplicationStatus | null,
      uscc: row.uscc,
      legalRepresentative: row.legalRepresentative,
      model: row.model as CompanyModel | null,
      address: row.address,
      district: row.district,
      location: locationOf(row),
      serviceCategories: row.serviceCategories as ServiceCategory[],
      contactName: row.contactName,
      contactPhone: decryptContact(row),
      creditGrade: row.creditGrade as CreditGrade | null,
      description: row.description,
      licence:
        row.licenceKey && row.licenceMime && row.licenceUploadedAt
          ? { mime: row.licenceMime, size: row.licenceSize ?? 0, uploadedAt: row.licenceUploadedAt }
          : null,
      submittedAt: row.submittedAt,
      decidedAt: row.decidedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      reviews: await reviewsOf(row.id, q),
    };
  }

  function toPublic(row: OrgRow): PublicOrganization {
    const phone = decryptContact(row);
    return {
      id: row.id,
      type: row.type as OrgType,
      name: row.name,
      district: row.district,
      address: row.address,
      location: locationOf(row),
      model: row.model as CompanyModel | null,
      serviceCategories: row.serviceCategories as ServiceCategory[],
      creditGrade: row.creditGrade as CreditGrade | null,
      description: row.description,
      uscc: row.uscc,
      legalRepresentative: row.legalRepresentative,
      contactName: row.contactName ? maskName(row.contactName) : null,
      contactPhoneMasked: phone ? maskContactPhone(phone) : null,
    };
  }

  const toListItem = (r: OrgRow): RegulatorListItem => ({
    id: r.id,
    type: r.type as OrgType,
    name: r.name,
    uscc: r.uscc,
    district: r.district,
    model: r.model as CompanyModel | null,
    status: r.status as OrgStatus,
    applicationStatus: r.applicationStatus as ApplicationStatus | null,
    creditGrade: r.creditGrade as CreditGrade | null,
    submittedAt: r.submittedAt,
    createdAt: r.createdAt,
  });

  const organizationStmt = db
    .select({
      id: organization.id,
      type: organization.type,
      name: organization.name,
      status: organization.status,
      district: organization.district,
      model: organization.model,
      creditGrade: organization.creditGrade,
      serviceCategories: organization.serviceCategories,
    })
    .from(organization)
    .where(eq(organization.id, sql.placeholder('id')))
    .prepare('orgs_get_organization');

  async function loadOrg(id: string, q: DbOrTx = db, lock = false): Promise<OrgRow | undefined> {
    const base = q.select().from(organization).where(eq(organization.id, id));
    const [row] = lock ? await base.for('update') : await base;
    return row;
  }

  async function denied(ctx: RequestContext, action: string, orgId: string, reason: string) {
    await recordAudit(db, ctx, {
      action,
      objectType: 'organization',
      objectId: orgId,
      outcome: 'denied',
      detail: { reason },
    });
  }

  /**
   * The organization, if the caller is one of its current members (admin when `adminOnly`). Another
   * organization's rows are hidden (404) and the attempt audited; a non-admin member gets 403.
   */
  async function requireMember(ctx: RequestContext, orgId: string, action: string, adminOnly: boolean) {
    const actor = actorOf(ctx);
    const row = await loadOrg(orgId);
    if (!row) throw new AppError('NOT_FOUND');
    const m = actor.memberships.find((x) => x.orgId === orgId);
    if (!m) {
      await denied(ctx, action, orgId, 'not_a_member');
      throw new AppError('NOT_FOUND');
    }
    if (adminOnly && m.role !== 'admin') {
      await denied(ctx, action, orgId, 'not_admin');
      throw new AppError('FORBIDDEN');
    }
    return row;
  }

  /**
   * A district regulator acts only inside their district. Outside it, a company the public can already see
   * (active) answers 403; anything else is hidden (404). Both are audited as denied.
   */
  async function requireRegulatorScope(
    ctx: RequestContext,
    row: OrgRow | undefined,
    action: string,
  ): Promise<OrgRow> {
    const actor = actorOf(ctx);
    if (!row) throw new AppError('NOT_FOUND');
    if (actor.regulatorDistrict && row.district !== actor.regulatorDistrict) {
      await denied(ctx, action, row.id, 'outside_district');
      throw new AppError(row.status === 'active' ? 'FORBIDDEN' : 'NOT_FOUND');
    }
    return row;
  }

  async function addReview(
    tx: DbOrTx,
    ctx: RequestContext,
    e: { orgId: string; action: string; from: string | null; to: string; reason?: string | null },
  ) {
    await tx.insert(orgReview).values({
      id: newId('orv'),
      orgId: e.orgId,
      action: e.action,
      fromStatus: e.from,
      toStatus: e.to,
      reason: e.reason ?? null,
      actorId: ctx.actor?.userId ?? null,
      at: clock(),
    });
  }

  function normalizedApplication(input: CompanyApplicationInput) {
    return {
      name: input.name.trim(),
      uscc: requireUscc(input.uscc),
      legalRepresentative: input.legalRepresentative.trim(),
      model: input.model,
      address: input.address.trim(),
      district: input.district,
      lon: input.location.lon,
      lat: input.location.lat,
      coordSystem: 'wgs84',
      serviceCategories: [...new Set(input.serviceCategories)],
      contactName: input.contactName.trim(),
      contactPhoneEnc: pii().encrypt(requireContactPhone(input.contactPhone), CONTACT_AAD),
      description: input.description?.trim() || null,
    };
  }

  async function assertUsccFree(q: DbOrTx, uscc: string, exceptId?: string) {
    const rows = await q
      .select({ id: organization.id })
      .from(organization)
      .where(
        and(
          eq(organization.uscc, uscc),
          sql`${organization.applicationStatus} is distinct from 'rejected'`,
          exceptId ? sql`${organization.id} <> ${exceptId}` : undefined,
        ),
      );
    if (rows.length) throw new AppError('ORG_USCC_TAKEN', { issues: [{ path: 'uscc', message: 'taken' }] });
  }

  async function pageOf(where: SQL | undefined, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, idCursor);
    const rows = await db
      .select()
      .from(organization)
      .where(and(where, after ? gt(organization.id, after.id) : undefined))
      .orderBy(asc(organization.id))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => ({ id: r.id }));
  }

  async function inviteInTx(
    tx: DbOrTx,
    ctx: RequestContext,
    org: { id: string; name: string; type: string },
    phone: string,
    role: MemberRole,
  ): Promise<InvitationView> {
    const hash = pii().blindIndex(phone, INVITE_HASH);
    const now = clock();
    // Expired pending invitations no longer block a new one.
    await tx
      .update(orgInvitation)
      .set({ status: 'expired', updatedAt: now })
      .where(
        and(
          eq(orgInvitation.orgId, org.id),
          inArray(orgInvitation.phoneHash, pii().blindIndexes(phone, INVITE_HASH)),
          eq(orgInvitation.status, 'pending'),
          sql`${orgInvitation.expiresAt} <= ${now}`,
        ),
      );
    // The unique index sees one profile's hash; a pending invitation under the other's counts too (crypto switch).
    const [pending] = await tx
      .select({ id: orgInvitation.id })
      .from(orgInvitation)
      .where(
        and(
          eq(orgInvitation.orgId, org.id),
          inArray(orgInvitation.phoneHash, pii().blindIndexes(phone, INVITE_HASH)),
          eq(orgInvitation.status, 'pending'),
        ),
      )
      .limit(1);
    if (pending) throw new AppError('ORG_INVITATION_PENDING');
    const id = newId('inv');
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const inserted = await tx
      .insert(orgInvitation)
      .values({
        id,
        orgId: org.id,
        role,
        phoneHash: hash,
        phoneEnc: pii().encrypt(phone, INVITE_AAD),
        invitedBy: ctx.actor?.userId ?? null,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: orgInvitation.id });
    if (!inserted.length) throw new AppError('ORG_INVITATION_PENDING');
    await appendAudit(
      tx,
      ctx,
      {
        action: 'orgs.invitation_created',
        objectType: 'org_invitation',
        objectId: id,
        detail: { orgId: org.id, role },
      },
      now,
    );
    return {
      id,
      orgId: org.id,
      orgName: org.name,
      orgType: org.type as OrgType,
      role,
      phoneMasked: maskMobile(phone),
      status: 'pending',
      expiresAt,
      createdAt: now,
    };
  }

  return {
    /** Current memberships of a person in organizations that are not expelled. */
    async activeMembershipsOf(userId: string, q: DbOrTx = db): Promise<Membership[]> {
      const rows = await q
        .select({
          orgId: organization.id,
          orgName: organization.name,
          orgType: organization.type,
          role: orgMembership.role,
          status: organization.status,
        })
        .from(orgMembership)
        .innerJoin(organization, eq(organization.id, orgMembership.orgId))
        .where(and(eq(orgMembership.userId, userId), isNull(orgMembership.endedAt)));
      return rows
        .filter((r) => r.status !== 'expelled')
        .map((r) => ({
          orgId: r.orgId,
          orgName: r.orgName,
          orgType: r.orgType as OrgType,
          role: r.role as MemberRole,
        }));
    },

    /** Creates an organization (used by the seed and by tests). */
    async createOrganization(
      q: DbOrTx,
      input: {
        type: OrgType;
        name: string;
        district?: string | null;
        status?: string;
      } & Partial<NewOrganization>,
    ) {
      const id = newId('org');
      await q.insert(organization).values({
        ...input,
        id,
        type: input.type,
        name: input.name,
        district: input.district ?? null,
        status: input.status ?? 'active',
      });
      return id;
    },

    /** An organization's type, status, district and model, or null when there is none (used by workers). */
    async getOrganization(
      id: string,
      q: DbOrTx = db,
    ): Promise<{
      id: string;
      type: OrgType;
      name: string;
      status: string;
      district: string | null;
      model: CompanyModel | null;
      creditGrade: CreditGrade | null;
      serviceCategories: ServiceCategory[];
    } | null> {
      // Read by every booking's quote and many views: the columns it returns, built once and prepared.
      const [row] = q === db ? await organizationStmt.execute({ id }) : await loadOrg(id, q).then((r) => [r]);
      return row
        ? {
            id: row.id,
            type: row.type as OrgType,
            name: row.name,
            status: row.status,
            district: row.district,
            model: row.model as CompanyModel | null,
            creditGrade: row.creditGrade as CreditGrade | null,
            serviceCategories: row.serviceCategories as ServiceCategory[],
          }
        : null;
    },

    /** How many organizations exist (the seed runs only on an empty platform). */
    async countOrganizations(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(organization);
      return row?.n ?? 0;
    },

    /** Active companies by credit grade, for public statistics (partners module). */
    async activeCompanyCounts(): Promise<{ creditGrade: string | null; n: number }[]> {
      return db
        .select({ creditGrade: organization.creditGrade, n: count() })
        .from(organization)
        .where(and(eq(organization.type, 'company'), eq(organization.status, 'active')))
        .groupBy(organization.creditGrade);
    },

    /** Inserts many organizations in one statement (demo seed, data generator). */
    async bulkInsert(rows: NewOrganization[], q: DbOrTx = db) {
      for (let i = 0; i < rows.length; i += 1000)
        await q.insert(organization).values(rows.slice(i, i + 1000));
    },

    /** Inserts review history rows in bulk (demo seed). */
    async bulkInsertReviews(rows: (typeof orgReview.$inferInsert)[], q: DbOrTx = db) {
      for (let i = 0; i < rows.length; i += 1000) await q.insert(orgReview).values(rows.slice(i, i + 1000));
    },

    /** Encrypts a contact phone for a bulk-inserted row (demo seed). */
    sealContactPhone(phone: string): string {
      return pii().encrypt(requireContactPhone(phone), CONTACT_AAD);
    },

    /** Adds a person to an organization with a member role. */
    async addMember(q: DbOrTx, input: { orgId: string; userId: string; role: MemberRole }) {
      const id = newId('mem');
      await q.insert(orgMembership).values({ id, ...input });
      return id;
    },

    // ---- company application -------------------------------------------------------------------------

    /** Starts a company application as a draft; the applicant becomes the pending company's admin. */
    async apply(ctx: RequestContext, input: CompanyApplicationInput): Promise<CompanyDetail> {
      const actor = actorOf(ctx);
      const values = normalizedApplication(input);
      const id = newId('org');
      const now = clock();
      try {
        return await db.transaction(async (tx) => {
          await assertUsccFree(tx, values.uscc);
          await tx.insert(organization).values({
            ...values,
            id,
            type: 'company',
            status: 'pending',
            applicationStatus: 'draft',
            createdAt: now,
            updatedAt: now,
          });
          await tx
            .insert(orgMembership)
            .values({ id: newId('mem'), orgId: id, userId: actor.userId, role: 'admin', startedAt: now });
          await addReview(tx, ctx, { orgId: id, action: 'create', from: null, to: 'draft' });
          await appendAudit(
            tx,
            ctx,
            { action: 'orgs.application_created', objectType: 'organization', objectId: id },
            now,
          );
          return toDetail((await loadOrg(id, tx))!, tx);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError('ORG_USCC_TAKEN', { issues: [{ path: 'uscc', message: 'taken' }] });
        throw e;
      }
    },

    /** The application and profile as its own members see it (contact in full, review history). */
    async getOwnCompany(ctx: RequestContext, orgId: string): Promise<CompanyDetail> {
      const row = await requireMember(ctx, orgId, 'orgs.application_read', false);
      if (row.type !== 'company') throw new AppError('NOT_FOUND');
      return toDetail(row);
    },

    /** Replaces the application's fields; only while it is a draft or more information was asked for. */
    async updateApplication(
      ctx: RequestContext,
      orgId: string,
      input: CompanyApplicationInput,
    ): Promise<CompanyDetail> {
      const pre = await requireMember(ctx, orgId, 'orgs.application_update', true);
      if (pre.type !== 'company') throw new AppError('NOT_FOUND');
      const values = normalizedApplication(input);
      try {
        return await db.transaction(async (tx) => {
          const row = (await loadOrg(orgId, tx, true))!;
          if (!isApplicationEditable(row.applicationStatus as ApplicationStatus))
            throw new AppError('ORG_APPLICATION_NOT_EDITABLE');
          await assertUsccFree(tx, values.uscc, orgId);
          const now = clock();
          await tx
            .update(organization)
            .set({ ...values, updatedAt: now })
            .where(eq(organization.id, orgId));
          const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
            (k) => k !== 'contactPhoneEnc' && JSON.stringify(values[k]) !== JSON.stringify(row[k]),
          );
          await appendAudit(
            tx,
            ctx,
            {
              action: 'orgs.application_updated',
              objectType: 'organization',
              objectId: orgId,
              detail: { changed },
            },
            now,
          );
          return toDetail((await loadOrg(orgId, tx))!, tx);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError('ORG_USCC_TAKEN', { issues: [{ path: 'uscc', message: 'taken' }] });
        throw e;
      }
    },

    /** Stores the business licence (JPEG, PNG or PDF by content, ≤ 10 MB) while the application is editable. */
    async uploadLicence(
      ctx: RequestContext,
      orgId: string,
      data: () => Promise<Buffer>,
    ): Promise<CompanyDetail> {
      const pre = await requireMember(ctx, orgId, 'orgs.licence_upload', true);
      if (pre.type !== 'company') throw new AppError('NOT_FOUND');
      if (!isApplicationEditable(pre.applicationStatus as ApplicationStatus))
        throw new AppError('ORG_APPLICATION_NOT_EDITABLE');
      const bytes = await data();
      // A photographed licence loses its metadata (EXIF GPS, XMP); size and hash are those of the stored bytes.
      const file = await prepareUpload(bytes, { allowed: LICENCE_TYPES, maxBytes: LICENCE_MAX_BYTES });
      const key = `orgs/${orgId.toLowerCase()}/licence-${file.sha256.slice(0, 16)}.${file.ext}`;
      // The file goes first: a crash between the two leaves an unreferenced file, never a dangling reference.
      await storage().put(key, file.data);
      return db.transaction(async (tx) => {
        const row = (await loadOrg(orgId, tx, true))!;
        if (!isApplicationEditable(row.applicationStatus as ApplicationStatus))
          throw new AppError('ORG_APPLICATION_NOT_EDITABLE');
        const now = clock();
        await tx
          .update(organization)
          .set({
            licenceKey: key,
            licenceMime: file.mime,
            licenceSize: file.size,
            licenceSha256: file.sha256,
            licenceUploadedAt: now,
            updatedAt: now,
          })
          .where(eq(organization.id, orgId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.licence_uploaded',
            objectType: 'organization',
            objectId: orgId,
            detail: { mime: file.mime, size: file.size, sha256: file.sha256 },
          },
          now,
        );
        return toDetail((await loadOrg(orgId, tx))!, tx);
      });
    },

    /** Sends a draft (or an application asked for more information) to the regulator; needs the licence. */
    async submitApplication(ctx: RequestContext, orgId: string): Promise<CompanyDetail> {
      const pre = await requireMember(ctx, orgId, 'orgs.application_submit', true);
      if (pre.type !== 'company') throw new AppError('NOT_FOUND');
      return db.transaction(async (tx) => {
        const row = (await loadOrg(orgId, tx, true))!;
        const from = row.applicationStatus as ApplicationStatus;
        const to = nextApplicationStatus(from, 'submit');
        if (!to) throw new AppError('ORG_INVALID_TRANSITION');
        if (!row.licenceKey) throw new AppError('ORG_LICENCE_MISSING');
        const now = clock();
        await tx
          .update(organization)
          .set({ applicationStatus: to, submittedAt: now, updatedAt: now })
          .where(eq(organization.id, orgId));
        await addReview(tx, ctx, { orgId, action: 'submit', from, to });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.application_submitted',
            objectType: 'organization',
            objectId: orgId,
            detail: { from, to },
          },
          now,
        );
        return toDetail((await loadOrg(orgId, tx))!, tx);
      });
    },

    /** The licence file for the company's members and for regulators in scope. */
    async readLicence(
      ctx: RequestContext,
      orgId: string,
    ): Promise<{ data: Buffer; mime: string; name: string }> {
      const actor = actorOf(ctx);
      let row: OrgRow | undefined;
      if (actor.roles.includes('regulator'))
        row = await requireRegulatorScope(ctx, await loadOrg(orgId), 'orgs.licence_read');
      else row = await requireMember(ctx, orgId, 'orgs.licence_read', false);
      if (!row.licenceKey || !row.licenceMime) throw new AppError('NOT_FOUND');
      const data = await storage().get(row.licenceKey);
      await recordAudit(db, ctx, {
        action: 'orgs.licence_read',
        objectType: 'organization',
        objectId: orgId,
      });
      return { data, mime: row.licenceMime, name: row.licenceKey.split('/').pop()! };
    },

    // ---- regulator -------------------------------------------------------------------------------------

    /** The regulator's company list (the review queue when `state=submitted`), limited to their district. */
    async regulatorList(
      ctx: RequestContext,
      q: { state?: ApplicationStatus; status?: OrgStatus; district?: string; cursor?: string; limit: number },
    ) {
      const actor = actorOf(ctx);
      const scope = actor.regulatorDistrict;
      // A district regulator asking for another district gets an empty page, not the other district's queue.
      const district = scope ?? q.district;
      const where = and(
        eq(organization.type, 'company'),
        q.state
          ? eq(organization.applicationStatus, q.state)
          : sql`${organization.applicationStatus} <> 'draft'`,
        q.status ? eq(organization.status, q.status) : undefined,
        district ? eq(organization.district, district) : undefined,
        scope && q.district && q.district !== scope ? sql`false` : undefined,
      );
      const page = await pageOf(where, q.cursor, q.limit);
      return { items: page.items.map(toListItem), nextCursor: page.nextCursor };
    },

    /** A company's full application for a regulator in scope (404 or 403 outside their district). */
    async regulatorGet(ctx: RequestContext, orgId: string): Promise<CompanyDetail> {
      const row = await loadOrg(orgId);
      if (row?.type !== 'company' || row.applicationStatus === 'draft') throw new AppError('NOT_FOUND');
      await requireRegulatorScope(ctx, row, 'orgs.regulator_read');
      return toDetail(row);
    },

    /** Approves, rejects or asks for more information on a submitted application; approval activates the company. */
    async decide(
      ctx: RequestContext,
      orgId: string,
      input: { decision: 'approve' | 'reject' | 'request_info'; reason?: string | undefined },
    ): Promise<CompanyDetail> {
      const pre = await loadOrg(orgId);
      if (pre?.type !== 'company' || pre.applicationStatus === 'draft') throw new AppError('NOT_FOUND');
      await requireRegulatorScope(ctx, pre, 'orgs.decision');
      const reason = requireReason(applicationEventNeedsReason(input.decision), input.reason);
      return db.transaction(async (tx) => {
        const row = (await loadOrg(orgId, tx, true))!;
        const from = row.applicationStatus as ApplicationStatus;
        const to = nextApplicationStatus(from, input.decision);
        if (!to) throw new AppError('ORG_INVALID_TRANSITION');
        const now = clock();
        let status = row.status as OrgStatus;
        if (to === 'approved') {
          const next = nextOrgStatus(status, 'activate');
          if (!next) throw new AppError('ORG_INVALID_TRANSITION');
          status = next;
        }
        await tx
          .update(organization)
          .set({ applicationStatus: to, status, decidedAt: now, updatedAt: now })
          .where(eq(organization.id, orgId));
        await addReview(tx, ctx, { orgId, action: input.decision, from, to, reason });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.decision',
            objectType: 'organization',
            objectId: orgId,
            detail: { decision: input.decision, from, to, status },
          },
          now,
        );
        return toDetail((await loadOrg(orgId, tx))!, tx);
      });
    },

    /** Suspends, reinstates or expels (清退) a company; suspend and expel need a reason. */
    async changeStatus(
      ctx: RequestContext,
      orgId: string,
      input: { action: 'suspend' | 'reinstate' | 'expel'; reason?: string | undefined },
    ): Promise<CompanyDetail> {
      const pre = await loadOrg(orgId);
      if (pre?.type !== 'company' || pre.applicationStatus === 'draft') throw new AppError('NOT_FOUND');
      await requireRegulatorScope(ctx, pre, 'orgs.status_change');
      const reason = requireReason(orgEventNeedsReason(input.action), input.reason);
      return db.transaction(async (tx) => {
        const row = (await loadOrg(orgId, tx, true))!;
        const from = row.status as OrgStatus;
        const to = nextOrgStatus(from, input.action);
        if (!to) throw new AppError('ORG_INVALID_TRANSITION');
        const now = clock();
        await tx.update(organization).set({ status: to, updatedAt: now }).where(eq(organization.id, orgId));
        await addReview(tx, ctx, { orgId, action: input.action, from, to, reason });
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.status_changed',
            objectType: 'organization',
            objectId: orgId,
            detail: { action: input.action, from, to },
          },
          now,
        );
        return toDetail((await loadOrg(orgId, tx))!, tx);
      });
    },

    /** Stores the credit module's grades (5A … A, or null) on the companies' rows. */
    async setCreditGrades(grades: { orgId: string; grade: string | null }[], q: DbOrTx = db): Promise<void> {
      for (const g of grades)
        await q.update(organization).set({ creditGrade: g.grade }).where(eq(organization.id, g.orgId));
    },

    // ---- public ---------------------------------------------------------------------------------------

    /** Active companies, optionally in one district or offering one category; contacts masked. */
    async publicCompanies(q: { district?: string; category?: string; cursor?: string; limit: number }) {
      const where = and(
        eq(organization.type, 'company'),
        eq(organization.status, 'active'),
        q.district ? eq(organization.district, q.district) : undefined,
        q.category ? arrayContains(organization.serviceCategories, [q.category]) : undefined,
      );
      const page = await pageOf(where, q.cursor, q.limit);
      return { items: page.items.map(toPublic), nextCursor: page.nextCursor };
    },

    /** One active company for the public; anything else is 404. */
    async publicCompany(id: string): Promise<PublicOrganization> {
      const row = await loadOrg(id);
      if (row?.type !== 'company' || row.status !== 'active') throw new AppError('NOT_FOUND');
      return toPublic(row);
    },

    /** Active stations, training institutions and insurers with their locations (the map uses stations). */
    async publicOrganizations(q: {
      type: 'station' | 'training' | 'insurer';
      district?: string;
      cursor?: string;
      limit: number;
    }) {
      const where = and(
        eq(organization.type, q.type),
        eq(organization.status, 'active'),
        q.district ? eq(organization.district, q.district) : undefined,
      );
      const page = await pageOf(where, q.cursor, q.limit);
      return { items: page.items.map(toPublic), nextCursor: page.nextCursor };
    },

    // ---- admin: stations, training institutions, insurers ---------------------------------------------

    /** Creates a station, training institution or insurer (active at once); a district regulator only in their district. */
    async createByAdmin(ctx: RequestContext, input: OrganizationInput): Promise<PublicOrganization> {
      const actor = actorOf(ctx);
      if (
        actor.regulatorDistrict &&
        !actor.roles.includes('platform_admin') &&
        input.district !== actor.regulatorDistrict
      ) {
        await recordAudit(db, ctx, {
          action: 'orgs.created',
          outcome: 'denied',
          detail: { reason: 'outside_district', district: input.district },
        });
        throw new AppError('FORBIDDEN');
      }
      const contact = requireContactPhone(input.contactPhone);
      const adminPhone = input.adminPhone ? requireMobile(input.adminPhone, 'adminPhone') : null;
      const id = newId('org');
      const now = clock();
      return db.transaction(async (tx) => {
        await tx.insert(organization).values({
          id,
          type: input.type,
          name: input.name.trim(),
          district: input.district,
          status: 'active',
          address: input.address.trim(),
          lon: input.location.lon,
          lat: input.location.lat,
          contactName: input.contactName.trim(),
          contactPhoneEnc: pii().encrypt(contact, CONTACT_AAD),
          description: input.description?.trim() || null,
          createdAt: now,
          updatedAt: now,
        });
        await addReview(tx, ctx, { orgId: id, action: 'create', from: null, to: 'active' });
        await appendAudit(
          tx,
          ctx,
          { action: 'orgs.created', objectType: 'organization', objectId: id, detail: { type: input.type } },
          now,
        );
        if (adminPhone)
          await inviteInTx(tx, ctx, { id, name: input.name, type: input.type }, adminPhone, 'admin');
        return toPublic((await loadOrg(id, tx))!);
      });
    },

    /** Every organization for the admin console, filtered by type; a district regulator sees their district. */
    async adminList(ctx: RequestContext, q: { type?: OrgType; cursor?: string; limit: number }) {
      const actor = actorOf(ctx);
      const scope = actor.roles.includes('platform_admin') ? null : actor.regulatorDistrict;
      const where = and(
        q.type ? eq(organization.type, q.type) : sql`${organization.type} <> 'regulator'`,
        scope ? eq(organization.district, scope) : undefined,
      );
      const page = await pageOf(where, q.cursor, q.limit);
      return {
        items: page.items.map((r) => ({
          ...toPublic(r),
          status: r.status as OrgStatus,
          contactPhone: decryptContact(r),
        })),
        nextCursor: page.nextCursor,
      };
    },

    // ---- staff: invitations and memberships -----------------------------------------------------------

    /** Invites a phone into the organization with a member role; only its admins may, only while it is active. */
    async invite(
      ctx: RequestContext,
      orgId: string,
      input: { phone: string; role: MemberRole },
    ): Promise<InvitationView> {
      const org = await requireMember(ctx, orgId, 'orgs.invitation_create', true);
      const phone = requireMobile(input.phone, 'phone');
      if (org.status !== 'active') throw new AppError('ORG_NOT_ACTIVE');
      if (deps.phoneOf) {
        const members = await db
          .select({ userId: orgMembership.userId })
          .from(orgMembership)
          .where(and(eq(orgMembership.orgId, orgId), isNull(orgMembership.endedAt)));
        for (const m of members)
          if ((await deps.phoneOf(m.userId)) === phone) throw new AppError('ORG_ALREADY_MEMBER');
      }
      return db.transaction((tx) => inviteInTx(tx, ctx, org, phone, input.role));
    },

    /** The organization's invitations, newest last, phones masked (admins only). */
    async orgInvitations(ctx: RequestContext, orgId: string, q: { cursor?: string; limit: number }) {
      const org = await requireMember(ctx, orgId, 'orgs.invitation_list', true);
      const after = decodeCursor(q.cursor, idCursor);
      const rows = await db
        .select()
        .from(orgInvitation)
        .where(and(eq(orgInvitation.orgId, orgId), after ? gt(orgInvitation.id, after.id) : undefined))
        .orderBy(asc(orgInvitation.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => ({ id: r.id }));
      const now = clock();
      return {
        items: page.items.map((r) => ({
          id: r.id,
          orgId,
          orgName: org.name,
          orgType: org.type as OrgType,
          role: r.role as MemberRole,
          phoneMasked: maskMobile(pii().decrypt(r.phoneEnc, INVITE_AAD)),
          status: r.status === 'pending' && r.expiresAt <= now ? 'expired' : r.status,
          expiresAt: r.expiresAt,
          createdAt: r.createdAt,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** Withdraws a pending invitation (admins only). */
    async revokeInvitation(ctx: RequestContext, orgId: string, invitationId: string): Promise<void> {
      await requireMember(ctx, orgId, 'orgs.invitation_revoke', true);
      await db.transaction(async (tx) => {
        const [inv] = await tx
          .select()
          .from(orgInvitation)
          .where(and(eq(orgInvitation.id, invitationId), eq(orgInvitation.orgId, orgId)))
          .for('update');
        if (!inv) throw new AppError('NOT_FOUND');
        if (inv.status !== 'pending') throw new AppError('ORG_INVITATION_CLOSED');
        const now = clock();
        await tx
          .update(orgInvitation)
          .set({
            status: 'revoked',
            respondedAt: now,
            respondedBy: ctx.actor?.userId ?? null,
            updatedAt: now,
          })
          .where(eq(orgInvitation.id, invitationId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.invitation_revoked',
            objectType: 'org_invitation',
            objectId: invitationId,
            detail: { orgId },
          },
          now,
        );
      });
    },

    /** Pending, unexpired invitations addressed to the signed-in person's phone. */
    async myInvitations(ctx: RequestContext): Promise<InvitationView[]> {
      const actor = actorOf(ctx);
      const phone = deps.phoneOf ? await deps.phoneOf(actor.userId) : null;
      if (!phone) return [];
      const now = clock();
      const rows = await db
        .select({
          inv: orgInvitation,
          orgName: organization.name,
          orgType: organization.type,
          orgStatus: organization.status,
        })
        .from(orgInvitation)
        .innerJoin(organization, eq(organization.id, orgInvitation.orgId))
        .where(
          and(
            inArray(orgInvitation.phoneHash, pii().blindIndexes(phone, INVITE_HASH)),
            eq(orgInvitation.status, 'pending'),
            gt(orgInvitation.expiresAt, now),
            inArray(organization.status, ['active']),
          ),
        )
        .orderBy(asc(orgInvitation.id))
        .limit(100);
      return rows.map((r) => ({
        id: r.inv.id,
        orgId: r.inv.orgId,
        orgName: r.orgName,
        orgType: r.orgType as OrgType,
        role: r.inv.role as MemberRole,
        phoneMasked: maskMobile(phone),
        status: r.inv.status,
        expiresAt: r.inv.expiresAt,
        createdAt: r.inv.createdAt,
      }));
    },

    /** Accepts (joins the organization at once) or declines an invitation addressed to the caller's phone. */
    async respondInvitation(
      ctx: RequestContext,
      invitationId: string,
      accept: boolean,
    ): Promise<{ status: string; orgId: string }> {
      const actor = actorOf(ctx);
      const phone = deps.phoneOf ? await deps.phoneOf(actor.userId) : null;
      const hashes = phone ? pii().blindIndexes(phone, INVITE_HASH) : [];
      return db.transaction(async (tx) => {
        const [inv] = await tx
          .select()
          .from(orgInvitation)
          .where(eq(orgInvitation.id, invitationId))
          .for('update');
        // Someone else's invitation is hidden: its existence says nothing to the caller.
        if (!inv || !hashes.includes(inv.phoneHash)) throw new AppError('NOT_FOUND');
        const now = clock();
        if (inv.status !== 'pending' || inv.expiresAt <= now) throw new AppError('ORG_INVITATION_CLOSED');
        const org = (await loadOrg(inv.orgId, tx))!;
        if (org.status !== 'active') throw new AppError('ORG_NOT_ACTIVE');
        if (accept) {
          const current = await tx
            .select({ id: orgMembership.id })
            .from(orgMembership)
            .where(
              and(
                eq(orgMembership.orgId, inv.orgId),
                eq(orgMembership.userId, actor.userId),
                isNull(orgMembership.endedAt),
              ),
            );
          if (current.length) throw new AppError('ORG_ALREADY_MEMBER');
          await tx.insert(orgMembership).values({
            id: newId('mem'),
            orgId: inv.orgId,
            userId: actor.userId,
            role: inv.role,
            startedAt: now,
          });
        }
        const status = accept ? 'accepted' : 'declined';
        await tx
          .update(orgInvitation)
          .set({ status, respondedAt: now, respondedBy: actor.userId, updatedAt: now })
          .where(eq(orgInvitation.id, invitationId));
        await appendAudit(
          tx,
          ctx,
          {
            action: `orgs.invitation_${status}`,
            objectType: 'org_invitation',
            objectId: invitationId,
            detail: { orgId: inv.orgId, role: inv.role },
          },
          now,
        );
        return { status, orgId: inv.orgId };
      });
    },

    /** Members of the organization, current first then ended (history), for its admins. */
    async members(ctx: RequestContext, orgId: string, q: { includeEnded?: boolean }): Promise<MemberView[]> {
      await requireMember(ctx, orgId, 'orgs.member_list', true);
      const rows = await db
        .select()
        .from(orgMembership)
        .where(
          and(eq(orgMembership.orgId, orgId), q.includeEnded ? undefined : isNull(orgMembership.endedAt)),
        )
        .orderBy(asc(orgMembership.startedAt), asc(orgMembership.id))
        .limit(500);
      const people = new Map(
        (deps.profilesOf ? await deps.profilesOf([...new Set(rows.map((r) => r.userId))]) : []).map((p) => [
          p.id,
          p,
        ]),
      );
      return rows.map((r) => ({
        id: r.id,
        userId: r.userId,
        name: people.get(r.userId)?.name ?? '',
        phoneMasked: people.get(r.userId)?.phoneMasked ?? '',
        role: r.role as MemberRole,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
      }));
    },

    /** Ends a membership (kept as history); takes effect on the member's next request. The last admin stays. */
    async endMembership(ctx: RequestContext, orgId: string, membershipId: string): Promise<void> {
      await requireMember(ctx, orgId, 'orgs.membership_end', true);
      await db.transaction(async (tx) => {
        // Lock the organization row so two admins cannot end each other at the same moment.
        await loadOrg(orgId, tx, true);
        const [m] = await tx
          .select()
          .from(orgMembership)
          .where(and(eq(orgMembership.id, membershipId), eq(orgMembership.orgId, orgId)));
        if (!m) throw new AppError('NOT_FOUND');
        if (m.endedAt) throw new AppError('ORG_INVALID_TRANSITION');
        if (m.role === 'admin') {
          const [admins] = await tx
            .select({ n: count() })
            .from(orgMembership)
            .where(
              and(
                eq(orgMembership.orgId, orgId),
                eq(orgMembership.role, 'admin'),
                isNull(orgMembership.endedAt),
              ),
            );
          if ((admins?.n ?? 0) <= 1) throw new AppError('ORG_LAST_ADMIN');
        }
        const now = clock();
        await tx
          .update(orgMembership)
          .set({ endedAt: now, endedBy: ctx.actor?.userId ?? null })
          .where(eq(orgMembership.id, membershipId));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'orgs.membership_ended',
            objectType: 'org_membership',
            objectId: membershipId,
            detail: { orgId, userId: m.userId },
          },
          now,
        );
      });
    },
  };
}

export type OrgsService = ReturnType<typeof createOrgsService>;
