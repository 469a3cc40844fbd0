import { Empty } from 'antd';
import { isApiError } from '../../../shared/api';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { ExplanationView } from '../components';
import { useMyCredit } from '../credit.api';

/** /worker/credit (phone-first): my score explained, history, appeals. */
export default function WorkerCreditPage() {
  const t = useT();
  useDocumentTitle(t('sec.worker.credit'));
  const q = useMyCredit();
  return (
    <div className="credit-page credit-phone">
      <h1>{t('sec.worker.credit')}</h1>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        isApiError(q.error) && q.error.status === 404 ? (
          <Empty description={t('credit.notRated')} />
        ) : (
          <ErrorAlert error={q.error} />
        )
      ) : (
        <ExplanationView e={q.data} appealAs={{ orgId: null }} />
      )}
    </div>
  );
}
