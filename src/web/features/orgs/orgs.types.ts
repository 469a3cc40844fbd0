import type { CompanyModel, CreditGrade, ServiceCategory } from '../../../shared/domain';
import type { MemberRole, OrgType } from '../../../shared/roles';

// Mirrors the server's orgs contract (src/server/modules/orgs/orgs.routes.ts).
export type ApplicationStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'needs_more_info';
export type OrgStatus = 'pending' | 'active' | 'suspended' | 'expelled';

export interface Location {
  lon: number;
  lat: number;
  coordSystem?: string;
}

export interface ReviewEntry {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actorId: string | null;
  at: string;
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
  location: Location | null;
  serviceCategories: ServiceCategory[];
  contactName: string | null;
  contactPhone: string | null;
  creditGrade: CreditGrade | null;
  description: string | null;
  licence: { mime: string; size: number; uploadedAt: string } | null;
  submittedAt: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  reviews: ReviewEntry[];
}

export interface CompanyInput {
  name: string;
  uscc: string;
  legalRepresentative: string;
  model: CompanyModel;
  address: string;
  district: string;
  location: { lon: number; lat: number };
  serviceCategories: ServiceCategory[];
  contactName: string;
  contactPhone: string;
  description?: string | null;
}

export interface PublicOrganization {
  id: string;
  type: OrgType;
  name: string;
  district: string | null;
  address: string | null;
  location: Location | null;
  model: CompanyModel | null;
  serviceCategories: ServiceCategory[];
  creditGrade: CreditGrade | null;
  description: string | null;
  uscc: string | null;
  legalRepresentative: string | null;
  contactName: string | null;
  contactPhoneMasked: string | null;
}

export interface AdminOrganization extends PublicOrganization {
  status: OrgStatus;
  contactPhone: string | null;
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
  submittedAt: string | null;
  createdAt: string;
}

export interface Invitation {
  id: string;
  orgId: string;
  orgName: string;
  orgType: OrgType;
  role: MemberRole;
  phoneMasked: string;
  status: string;
  expiresAt: string;
  createdAt: string;
}

export interface Member {
  id: string;
  userId: string;
  name: string;
  phoneMasked: string;
  role: MemberRole;
  startedAt: string;
  endedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NewOrganizationInput {
  type: 'station' | 'training' | 'insurer';
  name: string;
  district: string;
  address: string;
  location: { lon: number; lat: number };
  contactName: string;
  contactPhone: string;
  description?: string | null;
  adminPhone?: string;
}
