import { App, Button, Empty, Form, Input, List, Modal, Rate, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useLocale, useT } from '../../shared/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { formatDateTime, OrderStateTag, Stars, useOrderVocab } from './components';
import { useFollowUps, useRecordFollowUp } from './orders.api';
import type { FollowUpItem } from './orders.types';
import './orders.css';
import { FilterSegmented } from '../../shared/ui/FilterSegmented';

/** Follow-up visits (回访) of a company, a station or the regulator's sample: list and the record form. */
export function FollowUpList({
  scope,
  orderLink,
}: {
  scope: { orgId: string } | { regulator: true } | null;
  orderLink: (f: FollowUpItem) => string;
}) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const { message } = App.useApp();
  const [state, setState] = useState<'pending' | 'done'>('pending');
  const q = useFollowUps(scope, state);
  const record = useRecordFollowUp();
  const [open, setOpen] = useState<FollowUpItem | null>(null);
  const [form] = Form.useForm<{ reached: boolean; satisfaction?: number; notes?: string }>();
  const reached = Form.useWatch('reached', form);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const save = async () => {
    const val = await form.validateFields();
    try {
      await record.mutateAsync({
        id: open!.id,
        reached: val.reached,
        satisfaction: val.reached ? (val.satisfaction ?? null) : null,
        notes: val.notes ?? null,
      });
      message.success(t('orders.fu.saved'));
      setOpen(null);
    } catch {
      // shown in the dialog
    }
  };
  return (
    <>
      <FilterSegmented
        label={t('orders.followups.filterLabel')}
        value={state}
        onChange={(s) => setState(s as 'pending' | 'done')}
        options={[
          { value: 'pending', label: t('orders.followupState.pending') },
          { value: 'done', label: t('orders.followupState.done') },
        ]}
      />
      <ErrorAlert error={q.error} className="orders-gap" />
      <List
        itemLayout="vertical"
        loading={q.isLoading}
        dataSource={items}
        locale={{
          emptyText: <Empty description={t('orders.fu.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />,
        }}
        renderItem={(f) => (
          <List.Item
            data-testid="followup-item"
            actions={
              f.state === 'pending'
                ? [
                    <Button
                      key="r"
                      type="primary"
                      size="small"
                      onClick={() => {
                        record.reset();
                        form.setFieldsValue({ reached: true, satisfaction: undefined, notes: '' });
                        setOpen(f);
                      }}
                    >
                      {t('orders.fu.record')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space size={4} wrap>
                  <Link to={orderLink(f)}>{f.orderNumber}</Link>
                  <OrderStateTag state={f.state} kind="followup" />
                  <Stars value={f.satisfaction} />
                </Space>
              }
              description={
                <Space direction="vertical" size={0}>
                  <span>
                    {v.category(f.category)} · {v.mode(f.mode)} · {f.company.name}
                  </span>
                  <span className="small">
                    {f.recordedAt
                      ? t(f.reached ? 'orders.fu.reachedAt' : 'orders.fu.notReachedAt', {
                          at: formatDateTime(f.recordedAt, locale),
                        })
                      : t('orders.fu.dueAt', { at: formatDateTime(f.dueAt, locale) })}
                    {' · '}
                    {v.district(f.district)}
                  </span>
                  {f.notes ? <span className="small">{f.notes}</span> : null}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {q.hasNextPage ? (
        <Button block onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('orders.more')}
        </Button>
      ) : null}
      <Modal
        open={!!open}
        title={open ? t('orders.fu.recordFor', { number: open.orderNumber }) : ''}
        onCancel={() => setOpen(null)}
        onOk={save}
        okText={t('orders.ok')}
        cancelText={t('orders.cancelBtn')}
        confirmLoading={record.isPending}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reached" label={t('orders.fu.reached')} valuePropName="checked">
            <Switch checkedChildren={t('orders.fu.yes')} unCheckedChildren={t('orders.fu.no')} />
          </Form.Item>
          {reached ? (
            <Form.Item
              name="satisfaction"
              label={t('orders.fu.satisfaction')}
              rules={[{ required: true, message: t('orders.fu.satisfaction.required') }]}
            >
              <Rate count={5} />
            </Form.Item>
          ) : (
            <Tag>{t('orders.fu.notReachedHint')}</Tag>
          )}
          <Form.Item name="notes" label={t('orders.fu.notes')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <ErrorAlert error={record.error} />
        </Form>
      </Modal>
    </>
  );
}
