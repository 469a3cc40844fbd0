import { Button, Empty, List, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { formatDateTime } from '../../orders/components';
import { ComplaintStateTag, SlaTimer } from '../components';
import { useComplaints } from '../feedback.api';
import { type ComplaintState, complaintStates } from '../feedback.types';
import { FilterSegmented } from '../../../shared/ui/FilterSegmented';

/** Complaints as phone-friendly cards with their state and SLA timer; each opens its page. */
export function ComplaintList({
  scope,
  initial,
}: {
  scope: Parameters<typeof useComplaints>[0];
  initial?: ComplaintState | 'all';
}) {
  const t = useT();
  const { locale } = useLocale();
  const [filter, setFilter] = useState<ComplaintState | 'all'>(initial ?? 'all');
  const q = useComplaints(scope, filter === 'all' ? undefined : filter);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <div style={{ overflowX: 'auto' }}>
        <FilterSegmented
          label={t('feedback.complaints.filterLabel')}
          size="small"
          value={filter}
          onChange={(v) => setFilter(v as ComplaintState | 'all')}
          options={(['all', ...complaintStates] as const).map((s) => ({
            value: s,
            label: t((s === 'all' ? 'feedback.filter.all' : `feedback.state.${s}`) as MessageKey),
          }))}
        />
      </div>
      <ErrorAlert error={q.error} />
      <List
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: (
            <Empty description={t('feedback.complaints.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ),
        }}
        renderItem={(c) => (
          <List.Item>
            <Link to={c.id} className="feedback-item-link" data-testid="complaint-item">
              <div className="feedback-item-head">
                <strong>{t(`feedback.category.${c.category}` as MessageKey)}</strong>
                <Space size={4}>
                  <SlaTimer remainingMs={c.slaRemainingMs} />
                  <ComplaintStateTag state={c.state} />
                </Space>
              </div>
              <div className="muted small">
                {c.orderNumber ?? ''} {t(`feedback.subject.${c.subjectType}` as MessageKey)}{' '}
                {c.worker?.name ?? (c.subjectType === 'employer' ? c.employerName : c.company?.name)}
              </div>
              <div className="small">{formatDateTime(c.filedAt, locale)}</div>
            </Link>
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('feedback.more')}
        </Button>
      ) : null}
    </Space>
  );
}
