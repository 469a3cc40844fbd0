import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import VerifyPage from '../features/certification/pages/VerifyPage';
import HomePage from '../features/portal/HomePage';
import ArticlePage from '../features/portal/ArticlePage';
import NewsListPage from '../features/portal/NewsListPage';
import { audiences } from './audiences';
import { RequireAudience, RequireAuth } from './guards';
import { PublicLayout } from './layouts/PublicLayout';
import { NotFoundPage, RouteErrorPage } from './pages/ResultPages';
import { PageLoader } from '../shared/ui/PageLoader';

// Only what a QR scan or the portal opens first loads with the shell (the home and verification pages, which the
// service worker also keeps for offline use). Every other page, and all of the consoles with their antd tables,
// forms and menus, is a lazy chunk: add new public pages the same way (docs/performance.md, "Page weight").
const ContractVerifyPage = lazy(() => import('../features/contracts/pages/ContractVerifyPage'));
const FiveAListPage = lazy(() => import('../features/credit/pages/FiveAListPage'));
const WagesPage = lazy(() => import('../features/insights/pages/WagesPage'));
const CreditListsPage = lazy(() => import('../features/credit/pages/ListsPage'));
const SharedFilePage = lazy(() => import('../features/efile/pages/SharedFilePage'));
const ForgotPasswordPage = lazy(() => import('../features/identity/pages/ForgotPasswordPage'));
const LoginPage = lazy(() => import('../features/identity/pages/LoginPage'));
const RegisterPage = lazy(() => import('../features/identity/pages/RegisterPage'));
const AccountSecurityPage = lazy(() => import('../features/identity/pages/AccountSecurityPage'));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage'));
const PublicFairsPage = lazy(() => import('../features/recruitment/pages/PublicFairsPage'));
const ConsoleLayout = lazy(() =>
  import('./layouts/ConsoleLayout').then((m) => ({ default: m.ConsoleLayout })),
);
const ConsoleHome = lazy(() => import('./pages/ConsolePages').then((m) => ({ default: m.ConsoleHome })));
const SectionPage = lazy(() => import('./pages/ConsolePages').then((m) => ({ default: m.SectionPage })));

const consoleRoutes: RouteObject[] = audiences.map((audience) => ({
  path: audience.path,
  element: (
    <RequireAudience audience={audience}>
      {(me) => (
        <Suspense fallback={<PageLoader />}>
          <ConsoleLayout audience={audience} me={me} />
        </Suspense>
      )}
    </RequireAudience>
  ),
  children: [
    { index: true, element: <ConsoleHome /> },
    // The full notification centre of every console (the header bell shows the latest).
    { path: 'notifications', element: <NotificationsPage /> },
    // `/*`: a section's page may route further inside itself (e.g. /company/workers/:id).
    { path: ':section/*', element: <SectionPage /> },
    { path: '*', element: <NotFoundPage /> },
  ],
}));

export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      {
        path: '/',
        element: <PublicLayout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'login', element: <LoginPage /> },
          { path: 'register', element: <RegisterPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          // 账号安全 for every signed-in person: password change and the list of signed-in devices.
          { path: 'account/security', element: <RequireAuth>{() => <AccountSecurityPage />}</RequireAuth> },
          { path: 'verify', element: <VerifyPage /> },
          // What the QR code on a contract PDF opens: check a number, or compare a PDF with the filed one.
          { path: 'contracts/verify', element: <ContractVerifyPage /> },
          // The published credit lists (5A companies; red and black lists).
          { path: 'credit/5a', element: <FiveAListPage /> },
          { path: 'credit/blacklist', element: <CreditListsPage /> },
          // The published wage and price survey (insights), small cells hidden.
          { path: 'wages', element: <WagesPage /> },
          // Job fairs for everyone (recruitment): registering sends a stranger to sign in first.
          { path: 'jobs/fairs', element: <PublicFairsPage /> },
          { path: 'jobs/fairs/:id', element: <PublicFairsPage /> },
          // News, policies, notices and standards (content module).
          { path: 'news', element: <NewsListPage /> },
          { path: 'news/:slug', element: <ArticlePage /> },
          // A worker's share link (the token is the authorisation; the server checks it on every load).
          { path: 'shared/:token', element: <SharedFilePage /> },
          // The server answers /v/<token> (what QR codes open); a bare /v/ lands on the number lookup.
          { path: 'v/*', element: <Navigate to="/verify" replace /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
      ...consoleRoutes,
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
