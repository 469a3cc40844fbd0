import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * Pages that fill a console section, keyed `<audience>/<section>` (e.g. `company/workers`). A section without an
 * entry shows the "coming soon" page. Each page may route further inside itself (`/company/workers/:id`) with
 * relative <Routes>. Features add one line each here, e.g.
 *   'company/workers': lazy(() => import('../features/workers/pages/CompanyWorkersPage')),
 */
export const sectionPages: Record<string, LazyExoticComponent<ComponentType>> = {
  'worker/profile': lazy(() => import('../features/workers/pages/WorkerProfilePage')),
  'resident/become-worker': lazy(() => import('../features/workers/pages/WorkerProfilePage')),
  'worker/documents': lazy(() => import('../features/workers/pages/WorkerDocumentsPage')),
  'regulator/reviews': lazy(() => import('../features/workers/pages/RegulatorReviewsPage')),
  'regulator/workers': lazy(() => import('../features/workers/pages/RegulatorWorkersPage')),
  'company/workers': lazy(() => import('../features/workers/pages/CompanyWorkersPage')),
  // orgs
  'resident/join': lazy(() => import('../features/orgs/pages/CompanyApplyPage')),
  'resident/invitations': lazy(() => import('../features/orgs/pages/InvitationsPage')),
  'worker/invitations': lazy(() => import('../features/orgs/pages/InvitationsPage')),
  'company/profile': lazy(() => import('../features/orgs/pages/CompanyProfilePage')),
  'company/staff': lazy(() => import('../features/orgs/pages/CompanyStaffPage')),
  'regulator/companies': lazy(() => import('../features/orgs/pages/RegulatorCompaniesPage')),
  'admin/organizations': lazy(() => import('../features/orgs/pages/AdminOrganizationsPage')),
  // certification
  'regulator/certificates': lazy(() => import('../features/certification/pages/RegulatorCertificatesPage')),
  'worker/card': lazy(() => import('../features/certification/pages/WorkerCardPage')),
  'resident/verify': lazy(() => import('../features/certification/pages/ResidentVerifyPage')),
  // efile
  'worker/file': lazy(() => import('../features/efile/pages/WorkerFilePage')),
  'worker/access-log': lazy(() => import('../features/efile/pages/WorkerAccessLogPage')),
  'worker/sharing': lazy(() => import('../features/efile/pages/WorkerSharingPage')),
  // partners: admin partner clients, the worker's consent grants to partner platforms
  'admin/partners': lazy(() => import('../features/partners/pages/AdminPartnersPage')),
  'worker/partner-access': lazy(() => import('../features/partners/pages/WorkerPartnerAccessPage')),
  'resident/workers': lazy(() => import('../features/efile/pages/WorkerFileRequestPage')),
  'company/worker-files': lazy(() => import('../features/efile/pages/WorkerFileRequestPage')),
  'admin/deletions': lazy(() => import('../features/efile/pages/AdminDeletionsPage')),
  // training
  'worker/training': lazy(() => import('../features/training/pages/WorkerTrainingPage')),
  'training/courses': lazy(() => import('../features/training/pages/TrainingCoursesPage')),
  'training/classes': lazy(() => import('../features/training/pages/TrainingClassesPage')),
  'training/exams': lazy(() => import('../features/training/pages/TrainingExamsPage')),
  'training/records': lazy(() => import('../features/training/pages/TrainingRecordsPage')),
  'training/subsidies': lazy(() => import('../features/training/pages/TrainingSubsidiesPage')),
  'regulator/training': lazy(() => import('../features/training/pages/RegulatorTrainingPage')),
  // catalog and discovery
  'resident/find': lazy(() => import('../features/discovery/pages/FindPage')),
  'station/map': lazy(() => import('../features/discovery/pages/StationMapPage')),
  'company/services': lazy(() => import('../features/catalog/pages/CompanyServicesPage')),
  'regulator/prices': lazy(() => import('../features/catalog/pages/RegulatorPricesPage')),
  // orders, demands, referrals, follow-ups
  'resident/orders': lazy(() => import('../features/orders/pages/ResidentOrdersPage')),
  'company/orders': lazy(() => import('../features/orders/pages/CompanyOrdersPage')),
  'worker/schedule': lazy(() => import('../features/orders/pages/WorkerSchedulePage')),
  'station/demands': lazy(() => import('../features/orders/pages/StationDemandsPage')),
  'station/referrals': lazy(() => import('../features/orders/pages/StationReferralsPage')),
  'station/followups': lazy(() => import('../features/orders/pages/StationFollowUpsPage')),
  'regulator/orders': lazy(() => import('../features/orders/pages/RegulatorOrdersPage')),
  // feedback: reviews and complaints
  'resident/feedback': lazy(() => import('../features/feedback/pages/ResidentFeedbackPage')),
  'worker/feedback': lazy(() => import('../features/feedback/pages/WorkerFeedbackPage')),
  'company/complaints': lazy(() => import('../features/feedback/pages/CompanyComplaintsPage')),
  'regulator/complaints': lazy(() => import('../features/feedback/pages/RegulatorComplaintsPage')),
  // insurance
  'insurer/policies': lazy(() => import('../features/insurance/pages/InsurerProductsPage')),
  'insurer/insured': lazy(() => import('../features/insurance/pages/InsurerInsuredPage')),
  'insurer/claims': lazy(() => import('../features/insurance/pages/InsurerClaimsPage')),
  'company/insurance': lazy(() => import('../features/insurance/pages/CompanyInsurancePage')),
  'worker/insurance': lazy(() => import('../features/insurance/pages/WorkerInsurancePage')),
  'regulator/insurance': lazy(() => import('../features/insurance/pages/RegulatorInsurancePage')),
  // recruitment
  'worker/jobs': lazy(() => import('../features/recruitment/pages/WorkerJobsPage')),
  'company/recruiting': lazy(() => import('../features/recruitment/pages/CompanyRecruitingPage')),
  'regulator/employment': lazy(() => import('../features/recruitment/pages/RegulatorEmploymentPage')),
  'regulator/cohorts': lazy(() => import('../features/recruitment/pages/RegulatorCohortsPage')),
  // contracts
  'resident/contracts': lazy(() => import('../features/contracts/pages/PartyContractsPage')),
  'worker/contracts': lazy(() => import('../features/contracts/pages/PartyContractsPage')),
  'company/contracts': lazy(() => import('../features/contracts/pages/CompanyContractsPage')),
  'regulator/contracts': lazy(() => import('../features/contracts/pages/RegulatorContractsPage')),
  // credit
  'worker/credit': lazy(() => import('../features/credit/pages/WorkerCreditPage')),
  'company/credit': lazy(() => import('../features/credit/pages/CompanyCreditPage')),
  'regulator/credit': lazy(() => import('../features/credit/pages/RegulatorCreditPage')),
  'regulator/evaluation': lazy(() => import('../features/credit/pages/RegulatorEvaluationPage')),
  // messaging
  'resident/messages': lazy(() => import('../features/messaging/pages/MessagesSection')),
  'worker/messages': lazy(() => import('../features/messaging/pages/MessagesSection')),
  'company/messages': lazy(() => import('../features/messaging/pages/MessagesSection')),
  'regulator/message-reports': lazy(() => import('../features/messaging/pages/RegulatorReportsPage')),
  // content
  'regulator/content': lazy(() => import('../features/content/pages/RegulatorContentPage')),
  // insights: dashboard, reports and exports, wage survey editor
  'regulator/dashboard': lazy(() => import('../features/insights/pages/RegulatorDashboardPage')),
  'regulator/reports': lazy(() => import('../features/insights/pages/RegulatorReportsPage')),
  'regulator/wage-survey': lazy(() => import('../features/insights/pages/RegulatorWageSurveyPage')),
  // separation of duties (三权分立): the security and audit administrators' consoles
  'security/accounts': lazy(() => import('../features/admin-security/SecurityAccountsPage')),
  'audit/log': lazy(() => import('../features/admin-security/AuditLogPage')),
};
