import { createBrowserRouter, Navigate, type RouteObject } from 'react-router-dom';
import VerifyPage from '../features/certification/pages/VerifyPage';
import ContractVerifyPage from '../features/contracts/pages/ContractVerifyPage';
import FiveAListPage from '../features/credit/pages/FiveAListPage';
import CreditListsPage from '../features/credit/pages/ListsPage';
import SharedFilePage from '../features/efile/pages/SharedFilePage';
import ForgotPasswordPage from '../features/identity/pages/ForgotPasswordPage';
import LoginPage from '../features/identity/pages/LoginPage';
import RegisterPage from '../features/identity/pages/RegisterPage';
import NotificationsPage from '../features/notifications/NotificationsPage';
import HomePage from '../features/portal/HomePage';
import { audiences } from './audiences';
import { RequireAudience } from './guards';
import { ConsoleLayout } from './layouts/ConsoleLayout';
import { PublicLayout } from './layouts/PublicLayout';
import { ConsoleHome, SectionPage } from './pages/ConsolePages';
import { NotFoundPage, RouteErrorPage } from './pages/ResultPages';

// The shell's pages are a few KB next to antd, so they load with it: a lazy chunk would only add a round
// trip. Heavy features (charts, maps) should use React.lazy; both layouts already wrap pages in <Suspense>.

const consoleRoutes: RouteObject[] = audiences.map((audience) => ({
  path: audience.path,
  element: (
    <RequireAudience audience={audience}>
      {(me) => <ConsoleLayout audience={audience} me={me} />}
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
          { path: 'verify', element: <VerifyPage /> },
          // What the QR code on a contract PDF opens: check a number, or compare a PDF with the filed one.
          { path: 'contracts/verify', element: <ContractVerifyPage /> },
          // The published credit lists (5A companies; red and black lists).
          { path: 'credit/5a', element: <FiveAListPage /> },
          { path: 'credit/blacklist', element: <CreditListsPage /> },
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
