import {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CommentOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FileExcelOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  InsuranceOutlined,
  LineChartOutlined,
  LikeOutlined,
  MoneyCollectOutlined,
  NotificationOutlined,
  PhoneOutlined,
  ProfileOutlined,
  QrcodeOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SearchOutlined,
  ShareAltOutlined,
  ShopOutlined,
  SolutionOutlined,
  StarOutlined,
  TagsOutlined,
  TeamOutlined,
  ToolOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Role } from '../features/identity/identity.types';
import type { MessageKey } from '../shared/i18n';

export type AudienceKey =
  | 'resident'
  | 'worker'
  | 'company'
  | 'station'
  | 'training'
  | 'insurer'
  | 'regulator'
  | 'admin'
  | 'security'
  | 'audit';

/** One capability of a console: a sub-route (`/<audience>/<key>`), its menu entry and its home card. */
export interface Section {
  key: string;
  label: MessageKey;
  desc: MessageKey;
  icon: ReactNode;
  /** Set when the capability already lives on a page elsewhere (then it is not "coming soon"). */
  to?: string;
}

export interface Audience {
  key: AudienceKey;
  path: string;
  title: MessageKey;
  hint: MessageKey;
  icon: ReactNode;
  /** Having any one of these roles opens the console. */
  roles: Role[];
  sections: Section[];
}

export const audiences: Audience[] = [
  {
    key: 'resident',
    path: '/resident',
    title: 'aud.resident',
    hint: 'aud.resident.hint',
    icon: <HomeOutlined />,
    roles: ['resident'],
    sections: [
      { key: 'find', label: 'sec.resident.find', desc: 'sec.resident.find.desc', icon: <SearchOutlined /> },
      {
        key: 'orders',
        label: 'sec.resident.orders',
        desc: 'sec.resident.orders.desc',
        icon: <ProfileOutlined />,
      },
      {
        key: 'contracts',
        label: 'sec.resident.contracts',
        desc: 'sec.resident.contracts.desc',
        icon: <FileDoneOutlined />,
      },
      {
        key: 'messages',
        label: 'sec.resident.messages',
        desc: 'sec.resident.messages.desc',
        icon: <CommentOutlined />,
      },
      {
        key: 'feedback',
        label: 'sec.resident.feedback',
        desc: 'sec.resident.feedback.desc',
        icon: <LikeOutlined />,
      },
      {
        key: 'verify',
        label: 'sec.resident.verify',
        desc: 'sec.resident.verify.desc',
        icon: <QrcodeOutlined />,
      },
      {
        key: 'workers',
        label: 'sec.resident.workers',
        desc: 'sec.resident.workers.desc',
        icon: <FileSearchOutlined />,
      },
      { key: 'join', label: 'sec.resident.join', desc: 'sec.resident.join.desc', icon: <ShopOutlined /> },
      {
        key: 'become-worker',
        label: 'sec.resident.becomeWorker',
        desc: 'sec.resident.becomeWorker.desc',
        icon: <IdcardOutlined />,
      },
      {
        key: 'invitations',
        label: 'sec.resident.invitations',
        desc: 'sec.resident.invitations.desc',
        icon: <NotificationOutlined />,
      },
    ],
  },
  {
    key: 'worker',
    path: '/worker',
    title: 'aud.worker',
    hint: 'aud.worker.hint',
    icon: <IdcardOutlined />,
    roles: ['worker'],
    sections: [
      {
        key: 'profile',
        label: 'sec.worker.profile',
        desc: 'sec.worker.profile.desc',
        icon: <SolutionOutlined />,
      },
      {
        key: 'documents',
        label: 'sec.worker.documents',
        desc: 'sec.worker.documents.desc',
        icon: <FileProtectOutlined />,
      },
      {
        key: 'card',
        label: 'sec.worker.certificate',
        desc: 'sec.worker.certificate.desc',
        icon: <SafetyCertificateOutlined />,
      },
      {
        key: 'training',
        label: 'sec.worker.training',
        desc: 'sec.worker.training.desc',
        icon: <ReadOutlined />,
      },
      {
        key: 'schedule',
        label: 'sec.worker.schedule',
        desc: 'sec.worker.schedule.desc',
        icon: <CalendarOutlined />,
      },
      {
        key: 'messages',
        label: 'sec.worker.messages',
        desc: 'sec.worker.messages.desc',
        icon: <CommentOutlined />,
      },
      {
        key: 'contracts',
        label: 'sec.worker.contracts',
        desc: 'sec.worker.contracts.desc',
        icon: <FileDoneOutlined />,
      },
      { key: 'jobs', label: 'sec.worker.jobs', desc: 'sec.worker.jobs.desc', icon: <SearchOutlined /> },
      { key: 'credit', label: 'sec.worker.credit', desc: 'sec.worker.credit.desc', icon: <StarOutlined /> },
      {
        key: 'insurance',
        label: 'sec.worker.insurance',
        desc: 'sec.worker.insurance.desc',
        icon: <InsuranceOutlined />,
      },
      {
        key: 'feedback',
        label: 'sec.worker.feedback',
        desc: 'sec.worker.feedback.desc',
        icon: <LikeOutlined />,
      },
      { key: 'file', label: 'sec.worker.file', desc: 'sec.worker.file.desc', icon: <ProfileOutlined /> },
      {
        key: 'access-log',
        label: 'sec.worker.accessLog',
        desc: 'sec.worker.accessLog.desc',
        icon: <EyeOutlined />,
      },
      {
        key: 'sharing',
        label: 'sec.worker.sharing',
        desc: 'sec.worker.sharing.desc',
        icon: <ShareAltOutlined />,
      },
      {
        key: 'partner-access',
        label: 'sec.worker.partnerAccess',
        desc: 'sec.worker.partnerAccess.desc',
        icon: <ApiOutlined />,
      },
      {
        key: 'invitations',
        label: 'sec.worker.invitations',
        desc: 'sec.worker.invitations.desc',
        icon: <NotificationOutlined />,
      },
    ],
  },
  {
    key: 'company',
    path: '/company',
    title: 'aud.company',
    hint: 'aud.company.hint',
    icon: <ShopOutlined />,
    roles: ['company_admin', 'company_staff'],
    sections: [
      {
        key: 'profile',
        label: 'sec.company.profile',
        desc: 'sec.company.profile.desc',
        icon: <ShopOutlined />,
      },
      { key: 'staff', label: 'sec.company.staff', desc: 'sec.company.staff.desc', icon: <TeamOutlined /> },
      {
        key: 'workers',
        label: 'sec.company.workers',
        desc: 'sec.company.workers.desc',
        icon: <IdcardOutlined />,
      },
      {
        key: 'worker-files',
        label: 'sec.company.workerFiles',
        desc: 'sec.company.workerFiles.desc',
        icon: <FileSearchOutlined />,
      },
      {
        key: 'orders',
        label: 'sec.company.orders',
        desc: 'sec.company.orders.desc',
        icon: <ProfileOutlined />,
      },
      {
        key: 'messages',
        label: 'sec.company.messages',
        desc: 'sec.company.messages.desc',
        icon: <CommentOutlined />,
      },
      {
        key: 'contracts',
        label: 'sec.company.contracts',
        desc: 'sec.company.contracts.desc',
        icon: <FileDoneOutlined />,
      },
      {
        key: 'services',
        label: 'sec.company.services',
        desc: 'sec.company.services.desc',
        icon: <TagsOutlined />,
      },
      {
        key: 'insurance',
        label: 'sec.company.insurance',
        desc: 'sec.company.insurance.desc',
        icon: <InsuranceOutlined />,
      },
      {
        key: 'complaints',
        label: 'sec.company.complaints',
        desc: 'sec.company.complaints.desc',
        icon: <AlertOutlined />,
      },
      {
        key: 'credit',
        label: 'sec.company.credit',
        desc: 'sec.company.credit.desc',
        icon: <TrophyOutlined />,
      },
      {
        key: 'recruiting',
        label: 'sec.company.recruiting',
        desc: 'sec.company.recruiting.desc',
        icon: <SolutionOutlined />,
      },
    ],
  },
  {
    key: 'station',
    path: '/station',
    title: 'aud.station',
    hint: 'aud.station.hint',
    icon: <EnvironmentOutlined />,
    roles: ['station_staff'],
    sections: [
      {
        key: 'demands',
        label: 'sec.station.demands',
        desc: 'sec.station.demands.desc',
        icon: <FormOutlined />,
      },
      {
        key: 'referrals',
        label: 'sec.station.referrals',
        desc: 'sec.station.referrals.desc',
        icon: <ShareAltOutlined />,
      },
      { key: 'map', label: 'sec.station.map', desc: 'sec.station.map.desc', icon: <EnvironmentOutlined /> },
      {
        key: 'followups',
        label: 'sec.station.followups',
        desc: 'sec.station.followups.desc',
        icon: <PhoneOutlined />,
      },
    ],
  },
  {
    key: 'training',
    path: '/training',
    title: 'aud.training',
    hint: 'aud.training.hint',
    icon: <BookOutlined />,
    roles: ['training_staff'],
    sections: [
      {
        key: 'courses',
        label: 'sec.training.courses',
        desc: 'sec.training.courses.desc',
        icon: <BookOutlined />,
      },
      {
        key: 'classes',
        label: 'sec.training.classes',
        desc: 'sec.training.classes.desc',
        icon: <CalendarOutlined />,
      },
      { key: 'exams', label: 'sec.training.exams', desc: 'sec.training.exams.desc', icon: <FormOutlined /> },
      {
        key: 'records',
        label: 'sec.training.records',
        desc: 'sec.training.records.desc',
        icon: <ScheduleOutlined />,
      },
      {
        key: 'subsidies',
        label: 'sec.training.subsidies',
        desc: 'sec.training.subsidies.desc',
        icon: <MoneyCollectOutlined />,
      },
    ],
  },
  {
    key: 'insurer',
    path: '/insurer',
    title: 'aud.insurer',
    hint: 'aud.insurer.hint',
    icon: <InsuranceOutlined />,
    roles: ['insurer_staff'],
    sections: [
      {
        key: 'policies',
        label: 'sec.insurer.policies',
        desc: 'sec.insurer.policies.desc',
        icon: <FileProtectOutlined />,
      },
      {
        key: 'insured',
        label: 'sec.insurer.insured',
        desc: 'sec.insurer.insured.desc',
        icon: <TeamOutlined />,
      },
      {
        key: 'claims',
        label: 'sec.insurer.claims',
        desc: 'sec.insurer.claims.desc',
        icon: <AuditOutlined />,
      },
    ],
  },
  {
    key: 'regulator',
    path: '/regulator',
    title: 'aud.regulator',
    hint: 'aud.regulator.hint',
    icon: <BankOutlined />,
    roles: ['regulator'],
    sections: [
      {
        key: 'message-reports',
        label: 'sec.regulator.messageReports',
        desc: 'sec.regulator.messageReports.desc',
        icon: <CommentOutlined />,
      },
      {
        key: 'dashboard',
        label: 'sec.regulator.dashboard',
        desc: 'sec.regulator.dashboard.desc',
        icon: <DashboardOutlined />,
      },
      {
        key: 'companies',
        label: 'sec.regulator.companies',
        desc: 'sec.regulator.companies.desc',
        icon: <ShopOutlined />,
      },
      {
        key: 'reviews',
        label: 'sec.regulator.reviews',
        desc: 'sec.regulator.reviews.desc',
        icon: <FileSearchOutlined />,
      },
      {
        key: 'workers',
        label: 'sec.regulator.workers',
        desc: 'sec.regulator.workers.desc',
        icon: <IdcardOutlined />,
      },
      {
        key: 'certificates',
        label: 'sec.regulator.certificates',
        desc: 'sec.regulator.certificates.desc',
        icon: <SafetyCertificateOutlined />,
      },
      {
        key: 'training',
        label: 'sec.regulator.training',
        desc: 'sec.regulator.training.desc',
        icon: <BookOutlined />,
      },
      {
        key: 'insurance',
        label: 'sec.regulator.insurance',
        desc: 'sec.regulator.insurance.desc',
        icon: <InsuranceOutlined />,
      },
      {
        key: 'orders',
        label: 'sec.regulator.orders',
        desc: 'sec.regulator.orders.desc',
        icon: <ProfileOutlined />,
      },
      {
        key: 'contracts',
        label: 'sec.regulator.contracts',
        desc: 'sec.regulator.contracts.desc',
        icon: <FileDoneOutlined />,
      },
      {
        key: 'prices',
        label: 'sec.regulator.prices',
        desc: 'sec.regulator.prices.desc',
        icon: <TagsOutlined />,
      },
      {
        key: 'credit',
        label: 'sec.regulator.credit',
        desc: 'sec.regulator.credit.desc',
        icon: <TrophyOutlined />,
      },
      {
        key: 'complaints',
        label: 'sec.regulator.complaints',
        desc: 'sec.regulator.complaints.desc',
        icon: <AlertOutlined />,
      },
      {
        key: 'evaluation',
        label: 'sec.regulator.evaluation',
        desc: 'sec.regulator.evaluation.desc',
        icon: <BarChartOutlined />,
      },
      {
        key: 'content',
        label: 'sec.regulator.content',
        desc: 'sec.regulator.content.desc',
        icon: <NotificationOutlined />,
      },
      {
        key: 'reports',
        label: 'sec.regulator.reports',
        desc: 'sec.regulator.reports.desc',
        icon: <FileExcelOutlined />,
      },
      {
        key: 'wage-survey',
        label: 'sec.regulator.wageSurvey',
        desc: 'sec.regulator.wageSurvey.desc',
        icon: <LineChartOutlined />,
      },
      {
        key: 'employment',
        label: 'sec.regulator.employment',
        desc: 'sec.regulator.employment.desc',
        icon: <BarChartOutlined />,
      },
      {
        key: 'cohorts',
        label: 'sec.regulator.cohorts',
        desc: 'sec.regulator.cohorts.desc',
        icon: <TeamOutlined />,
      },
    ],
  },
  {
    key: 'admin',
    path: '/admin',
    title: 'aud.admin',
    hint: 'aud.admin.hint',
    icon: <ToolOutlined />,
    roles: ['platform_admin'],
    sections: [
      // 三权分立: accounts and roles belong to the security admin (/security), the audit log to the audit admin (/audit).
      { key: 'organizations', label: 'sec.admin.orgs', desc: 'sec.admin.orgs.desc', icon: <BankOutlined /> },
      {
        key: 'catalog',
        label: 'sec.admin.catalog',
        desc: 'sec.admin.catalog.desc',
        icon: <AppstoreOutlined />,
      },
      {
        key: 'partners',
        label: 'sec.admin.partners',
        desc: 'sec.admin.partners.desc',
        icon: <ShareAltOutlined />,
      },
      {
        key: 'deletions',
        label: 'sec.admin.deletions',
        desc: 'sec.admin.deletions.desc',
        icon: <FileProtectOutlined />,
      },
    ],
  },
  {
    key: 'security',
    path: '/security',
    title: 'aud.security',
    hint: 'aud.security.hint',
    icon: <SafetyCertificateOutlined />,
    roles: ['security_admin'],
    sections: [
      {
        key: 'accounts',
        label: 'sec.security.accounts',
        desc: 'sec.security.accounts.desc',
        icon: <UserOutlined />,
      },
    ],
  },
  {
    key: 'audit',
    path: '/audit',
    title: 'aud.audit',
    hint: 'aud.audit.hint',
    icon: <AuditOutlined />,
    roles: ['audit_admin'],
    sections: [
      { key: 'log', label: 'sec.audit.log', desc: 'sec.audit.log.desc', icon: <FileSearchOutlined /> },
    ],
  },
];

/** Where a section's menu entry and card lead. */
export const sectionPath = (audience: Audience, section: Section): string =>
  section.to ?? `${audience.path}/${section.key}`;

export function canEnter(audience: Audience, roles: readonly Role[]): boolean {
  return audience.roles.some((r) => roles.includes(r));
}

/** The consoles a person may open, in menu order. */
export function audiencesFor(roles: readonly Role[]): Audience[] {
  return audiences.filter((a) => canEnter(a, roles));
}

/** Only same-site paths are followed after sign-in, so `?next=` cannot send anyone to another site. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (/^\/(login|register|forgot-password)(\/|\?|$)/.test(next)) return null;
  return next;
}

/** Where to go after sign-in: the page they came for, else their main console. */
export function homeFor(me: { home: string; roles: readonly Role[] }): string {
  if (safeNext(me.home)) return me.home;
  return audiencesFor(me.roles)[0]?.path ?? '/';
}
