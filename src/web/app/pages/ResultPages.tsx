import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { ButtonLink } from '../../shared/ui/ButtonLink';
import type { Me } from '../../features/identity/identity.types';
import { isApiError } from '../../shared/api';
import { useLocale, useT } from '../../shared/i18n';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import { homeFor } from '../audiences';
import { PublicShell } from '../layouts/PublicLayout';

export function NotFoundPage() {
  const t = useT();
  useDocumentTitle(t('error.notFound.title'));
  return (
    <Result
      status="404"
      title={<h1 className="result-title">{t('error.notFound.title')}</h1>}
      subTitle={t('error.notFound.body')}
      extra={
        <ButtonLink to="/" type="primary" size="large">
          {t('nav.backHome')}
        </ButtonLink>
      }
    />
  );
}

/** Shown in place of a console the person has no role for. */
export function ForbiddenPage({ me }: { me: Me }) {
  const t = useT();
  useDocumentTitle(t('error.forbidden.title'));
  const home = homeFor(me);
  return (
    <PublicShell>
      <main id="main" className="result-main" tabIndex={-1}>
        <Result
          status="403"
          title={<h1 className="result-title">{t('error.forbidden.title')}</h1>}
          subTitle={t('error.forbidden.body')}
          extra={[
            home !== '/' && (
              <ButtonLink key="home" to={home} type="primary" size="large">
                {t('nav.myConsole')}
              </ButtonLink>
            ),
            <ButtonLink key="portal" to="/" size="large">
              {t('nav.backHome')}
            </ButtonLink>,
          ]}
        />
      </main>
    </PublicShell>
  );
}

export function ErrorPage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const detail = isApiError(error) ? error.localized(locale) : t('error.generic.body');
  return (
    <Result
      status="error"
      title={<h1 className="result-title">{t('error.generic.title')}</h1>}
      subTitle={
        <span role="alert">
          {detail}
          {isApiError(error) && error.requestId ? ` · ${t('error.requestId', { id: error.requestId })}` : ''}
        </span>
      }
      extra={
        <Button type="primary" size="large" onClick={onRetry ?? (() => window.location.reload())}>
          {t('error.retry')}
        </Button>
      }
    />
  );
}

/** The router's error boundary: unknown URLs and pages that failed to load (e.g. after a deploy). */
export function RouteErrorPage() {
  const error = useRouteError();
  return (
    <PublicShell>
      <main id="main" className="result-main" tabIndex={-1}>
        {isRouteErrorResponse(error) && error.status === 404 ? <NotFoundPage /> : <ErrorPage error={error} />}
      </main>
    </PublicShell>
  );
}
