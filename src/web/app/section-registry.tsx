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
  'resident/workers': lazy(() => import('../features/efile/pages/WorkerFileRequestPage')),
  'company/worker-files': lazy(() => import('../features/efile/pages/WorkerFileRequestPage')),
  'admin/deletions': lazy(() => import('../features/efile/pages/AdminDeletionsPage')),
};
