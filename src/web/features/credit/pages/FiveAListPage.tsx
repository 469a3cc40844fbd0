import { Card, Empty, List, Tag } from 'antd';
import { Link } from 'react-router-dom';
import '../credit.css';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useFiveA } from '../credit.api';

/** /credit/5a (public): the published 5A list. */
export default function FiveAListPage() {
  const t = useT();
  useDocumentTitle(t('credit.fiveA.title'));
  const q = useFiveA();
  return (
    <Card className="credit-public">
      <h1>{t('credit.fiveA.title')}</h1>
      <p className="muted">{t('credit.fiveA.intro')}</p>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Empty description={t('credit.fiveA.none')} />
      ) : (
        <List
          dataSource={q.data.items}
          renderItem={(c) => (
            <List.Item data-testid="five-a-item">
              <List.Item.Meta
                title={
                  <>
                    <Tag color="gold">5A</Tag>
                    {c.name}
                  </>
                }
                description={t('credit.fiveA.score', { score: c.score.toFixed(2) })}
              />
            </List.Item>
          )}
        />
      )}
      <p>
        <Link to="/credit/blacklist">{t('credit.lists.title')}</Link>
      </p>
    </Card>
  );
}
