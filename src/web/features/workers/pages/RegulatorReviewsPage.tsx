import { App, Button, Card, Input, Modal, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useT } from '../../../shared/i18n';
import { rowCheckboxProps } from '../../../shared/ui/a11y';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { StateTag, useLabels } from '../labels';
import { documentFileUrl, useReview, useReviewQueue } from '../workers.api';
import type { ReviewQueueItem } from '../workers.types';

/** The regulator's document review queue: filters, bulk selection, approve or reject with a reason. */
export default function RegulatorReviewsPage() {
  const t = useT();
  const l = useLabels();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({
    state: 'pending',
    limit: '50',
  });
  const [cursors, setCursors] = useState<string[]>([]);
  const queue = useReviewQueue({ ...filters, cursor: cursors[cursors.length - 1] });
  const review = useReview();
  const [selected, setSelected] = useState<string[]>([]);
  const [rejecting, setRejecting] = useState<string[] | null>(null);
  const [reason, setReason] = useState('');

  const setFilter = (k: string, v: string | undefined) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setCursors([]);
    setSelected([]);
  };

  const decide = async (ids: string[], decision: 'approve' | 'reject', why?: string) => {
    const out = await review.mutateAsync({ ids, decision, ...(why ? { reason: why } : {}) });
    const failed = out.results.filter((r) => !r.ok).length;
    if (failed) message.warning(t('wk.review.partial', { ok: out.results.length - failed, failed }));
    else message.success(t('wk.review.done', { n: out.results.length }));
    setSelected([]);
  };

  return (
    <Card title={t('wk.review.title')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('wk.field.status')}
          style={{ width: 140 }}
          value={filters.state}
          onChange={(v) => setFilter('state', v)}
          options={['pending', 'approved', 'rejected'].map((s) => ({
            value: s,
            label: t(`wk.state.${s}` as 'wk.state.pending'),
          }))}
        />
        <Select
          aria-label={t('wk.doc.kind')}
          style={{ width: 180 }}
          allowClear
          placeholder={t('wk.doc.kind')}
          value={filters.kind}
          onChange={(v) => setFilter('kind', v)}
          options={l.kindOptions}
        />
        <Select
          aria-label={t('wk.field.district')}
          style={{ width: 140 }}
          allowClear
          placeholder={t('wk.field.district')}
          value={filters.district}
          onChange={(v) => setFilter('district', v)}
          options={l.districtOptions}
        />
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          disabled={!selected.length}
          loading={review.isPending}
          onClick={() => decide(selected, 'approve')}
        >
          {t('wk.review.approveSelected', { n: selected.length })}
        </Button>
        <Button danger disabled={!selected.length} onClick={() => setRejecting(selected)}>
          {t('wk.review.rejectSelected', { n: selected.length })}
        </Button>
      </Space>
      {queue.error || review.error ? <ErrorAlert error={queue.error ?? review.error} /> : null}
      <div style={{ overflowX: 'auto' }}>
        <Table<ReviewQueueItem>
          rowKey="id"
          size="small"
          loading={queue.isLoading}
          dataSource={queue.data?.items ?? []}
          pagination={false}
          // Not `scroll.x`: antd then copies the "select all" checkbox into a hidden measuring row where it stays
          // focusable (axe aria-hidden-focus); the wrapper scrolls instead.
          style={{ minWidth: 640 }}
          rowSelection={
            filters.state === 'pending'
              ? {
                  selectedRowKeys: selected,
                  onChange: (keys) => setSelected(keys as string[]),
                  getCheckboxProps: (r) => rowCheckboxProps(t('a11y.selectRow', { name: r.workerName })),
                }
              : undefined
          }
          columns={[
            { title: t('wk.field.name'), dataIndex: 'workerName' },
            {
              title: t('wk.field.district'),
              dataIndex: 'district',
              render: (d: string | null) => l.district(d),
            },
            { title: t('wk.doc.kind'), dataIndex: 'kind', render: (k: string) => l.kind(k) },
            { title: t('wk.doc.expiresOn'), dataIndex: 'expiresOn', render: (d: string | null) => d ?? '—' },
            {
              title: t('wk.field.status'),
              dataIndex: 'state',
              render: (s: string) => <StateTag state={s} />,
            },
            {
              title: t('wk.actions'),
              key: 'actions',
              render: (_: unknown, d) => (
                <Space wrap>
                  <a href={documentFileUrl(d.id)}>{t('wk.doc.view')}</a>
                  {d.state === 'pending' && (
                    <>
                      <Button size="small" type="link" onClick={() => decide([d.id], 'approve')}>
                        {t('wk.review.approve')}
                      </Button>
                      <Button size="small" type="link" danger onClick={() => setRejecting([d.id])}>
                        {t('wk.review.reject')}
                      </Button>
                    </>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </div>
      <Space style={{ marginTop: 12 }}>
        <Button disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('wk.prev')}
        </Button>
        <Button
          disabled={!queue.data?.nextCursor}
          onClick={() => queue.data?.nextCursor && setCursors((c) => [...c, queue.data!.nextCursor!])}
        >
          {t('wk.more')}
        </Button>
      </Space>
      <Modal
        open={!!rejecting}
        title={t('wk.review.rejectTitle')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onCancel={() => setRejecting(null)}
        onOk={async () => {
          await decide(rejecting ?? [], 'reject', reason.trim());
          setRejecting(null);
          setReason('');
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('wk.review.reason')}
        />
      </Modal>
    </Card>
  );
}
