import { Button, Empty, List, Space, Tag } from 'antd';
import './orders.css';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDateTime, OrderStateTag, useOrderVocab } from './components';
import type { OrderSummary, Page } from './orders.types';
import { formatAmount } from '../../shared/money';

interface Paged {
  data?: { pages: Page<OrderSummary>[] } | undefined;
  error: unknown;
  isLoading: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** Orders as phone-friendly cards: number, state, what, when, who, total; each opens its detail. */
export function OrderList({
  q,
  linkTo,
  showCompany = true,
}: {
  q: Paged;
  linkTo: (o: OrderSummary) => string;
  showCompany?: boolean;
}) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('orders.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        renderItem={(o) => (
          <List.Item className="orders-item">
            <Link to={linkTo(o)} className="orders-item-link" data-testid="order-item">
              <div className="orders-item-head">
                <strong>{v.category(o.category)}</strong>
                <OrderStateTag state={o.state} />
              </div>
              <div className="muted small">
                {o.number} · {v.mode(o.mode)}
              </div>
              <div className="small">{formatDateTime(o.serviceStart, locale)}</div>
              <Space size={4} wrap className="small">
                {showCompany ? <span>{o.company.name}</span> : null}
                {o.worker ? <Tag>{o.worker.name}</Tag> : null}
                <span className="muted">
                  {v.district(o.district)} {o.addressMasked}
                </span>
              </Space>
              <div className="orders-item-total">
                {t('orders.yuan', { amount: formatAmount(o.totalFen) })}
              </div>
            </Link>
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('orders.more')}
        </Button>
      ) : null}
    </>
  );
}
