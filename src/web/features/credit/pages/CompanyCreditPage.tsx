import { Empty } from 'antd';
import { isApiError } from '../../../shared/api';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { ExplanationView } from '../components';
import { useCompanyCredit } from '../credit.api';

/** /company/credit: the company's grade explained; admins may appeal an indicator. */
export default function CompanyCreditPage() {
  const t = useT();
  useDocumentTitle(t('sec.company.credit'));
  const me = useMe().data;
  const membership = me?.memberships.find((m) => m.orgType === 'company');
  const q = useCompanyCredit(membership?.orgId);
  if (!membership) return null;
  return (
    <div className="credit-page">
      <h1>{t('sec.company.credit')}</h1>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        isApiError(q.error) && q.error.status === 404 ? (
          <Empty description={t('credit.notRated')} />
        ) : (
          <ErrorAlert error={q.error} />
        )
      ) : (
        <ExplanationView
          e={q.data}
          {...(membership.role === 'admin' ? { appealAs: { orgId: membership.orgId } } : {})}
        />
      )}
    </div>
  );
}
