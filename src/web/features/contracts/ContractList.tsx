import { Button, Empty, List, Space } from 'antd';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDate } from '../../shared/ui/format';
import { ContractStateTag } from './ContractDetailView';
import type { ContractSummary, Page } from './contracts.types';
import { useMoney } from '../../shared/money';

interface Paged {
  data?: { pages: Page<ContractSummary>[] } | undefined;
  error: unknown;
  isLoading: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** Contracts as phone-friendly rows: number, state, parties, term, total; each opens its page. */
export function ContractList({ q, linkTo }: { q: Paged; linkTo: (c: ContractSummary) => string }) {
  const t = useT();
  const money = useMoney();
  const { locale } = useLocale();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: <Empty description={t('contracts.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        renderItem={(c) => (
          <List.Item>
            <Link to={linkTo(c)} style={{ width: '100%' }} data-testid="contract-row">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <b>{c.number}</b>
                  <ContractStateTag state={c.state} />
                </Space>
                <span className="muted small">
                  {c.companyName} · {c.consumerName} · {c.workerName}
                </span>
                <span className="muted small">
                  {formatDate(c.startDate, locale)} – {formatDate(c.endDate, locale)} · {money(c.totalFeeFen)}
                </span>
              </Space>
            </Link>
          </List.Item>
        )}
      />
      {q.hasNextPage && (
        <Button block loading={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          {t('contracts.more')}
        </Button>
      )}
    </>
  );
}
