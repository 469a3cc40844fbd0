import { Grid } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useMe } from '../../features/identity/identity.api';
import { useT } from '../../shared/i18n';
import { ButtonLink } from '../../shared/ui/ButtonLink';
import { ElderSwitch } from '../../shared/ui/ElderSwitch';
import { LanguageSwitch } from '../../shared/ui/LanguageSwitch';
import { Logo } from '../../shared/ui/Logo';
import { PageLoader } from '../../shared/ui/PageLoader';
import { homeFor } from '../audiences';

// The account menu (antd Dropdown and Menu) only matters once someone is signed in: most people here scanned a
// QR code and never are, so it stays out of the first load.
const UserMenu = lazy(() => import('./UserMenu').then((m) => ({ default: m.UserMenu })));

function PublicHeader() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const me = useMe();
  const { pathname } = useLocation();
  const onAuthPage = /^\/(login|register|forgot-password)/.test(pathname);

  return (
    <header className="public-header">
      <div className="public-header-inner">
        <Logo variant={phone ? 'compact' : 'full'} />
        <nav className="public-nav" aria-label={t('nav.mainNav')}>
          {!phone && (
            <Link className="tap nav-link" to="/verify">
              {t('nav.verify')}
            </Link>
          )}
          <ElderSwitch showLabel={!phone} />
          <LanguageSwitch />
          {me.data ? (
            <>
              {!phone && (
                <ButtonLink to={homeFor(me.data)} type="primary">
                  {t('nav.myConsole')}
                </ButtonLink>
              )}
              <Suspense fallback={null}>
                <UserMenu me={me.data} showName={!phone} />
              </Suspense>
            </>
          ) : (
            !onAuthPage && (
              <>
                <Link to="/login" className="tap nav-link">
                  {t('nav.login')}
                </Link>
                {!phone && (
                  <ButtonLink to="/register" type="primary">
                    {t('nav.register')}
                  </ButtonLink>
                )}
              </>
            )
          )}
        </nav>
      </div>
    </header>
  );
}

function PublicFooter() {
  const t = useT();
  return (
    <footer className="public-footer">
      <div className="public-footer-inner">
        <span>{t('portal.footer.about')}</span>
        <span>{t('portal.footer.license')}</span>
      </div>
    </footer>
  );
}

/** Header and footer around public pages (portal, sign-in, error pages). */
export function PublicShell({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="public-shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <PublicHeader />
      {children}
      <PublicFooter />
    </div>
  );
}

export function PublicLayout() {
  return (
    <PublicShell>
      <main id="main" className="public-main" tabIndex={-1}>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </main>
    </PublicShell>
  );
}
