import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import './orders.css';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { MessageButton } from '../messaging/MessageButton';
import { useMe } from '../identity/identity.api';
import { useCompanyWorkers } from '../workers/workers.api';
import { type MessageKey, useLocale, useT } from '../../shared/i18n';
import { BackLink } from '../../shared/ui/BackLink';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { PageLoader } from '../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../shared/ui/useDocumentTitle';
import {
  formatDateTime,
  OrderStateTag,
  OrderTimeline,
  Stars,
  useOrderVocab,
  useScheduleText,
} from './components';
import { type OrderStep, useOrder, useOrderStep } from './orders.api';
import type { OrderDetail } from './orders.types';
import { estimateCancelFee } from './quote';
import { EmployerRatingsCard, OrderFeedbackPanel } from '../feedback/components';
import { formatAmount } from '../../shared/money';

type Dialog = 'accept' | 'decline' | 'cancel' | 'contract' | 'replace' | 'substitute' | 'pause' | null;

/** One order as the caller sees it (resident, company, worker, station, regulator), with the steps they may take. */
export function OrderDetailView({ id, backTo }: { id: string; backTo: string }) {
  const t = useT();
  const res = useOrder(id);
  useDocumentTitle(res.data ? t('orders.detail.title', { number: res.data.number }) : t('orders.detail'));
  if (res.isPending) return <PageLoader />;
  if (res.error)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <BackLink to={backTo}>{t('orders.back')}</BackLink>
        <ErrorAlert error={res.error} />
      </Space>
    );
  return <Detail o={res.data} backTo={backTo} />;
}

function Detail({ o, backTo }: { o: OrderDetail; backTo: string }) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const sched = useScheduleText();
  const { message } = App.useApp();
  const step = useOrderStep(o.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();

  const run = async (s: OrderStep, done: MessageKey) => {
    try {
      await step.mutateAsync(s);
      message.success(t(done));
      setDialog(null);
      form.resetFields();
    } catch {
      // shown by <ErrorAlert error={step.error} />
    }
  };
  const can = (a: string) => o.actions.includes(a);
  const canPause =
    o.mode === 'recurring' &&
    ['accepted', 'contracted', 'in_service'].includes(o.state) &&
    (o.relation === 'resident' || can('pause'));
  const current = o.assignments.find((a) => !a.toAt);
  const fee = o.relation === 'resident' ? estimateCancelFee(o, new Date()) : 0;
  const upcoming = o.bookings.filter(
    (b) => b.status === 'scheduled' && new Date(b.startsAt).getTime() > Date.now(),
  );
  const openModal = (d: Dialog) => {
    step.reset();
    form.resetFields();
    setDialog(d);
  };

  return (
    <div className="console-page orders-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to={backTo}>{t('orders.back')}</BackLink>
        <Card
          title={
            <Space wrap size={4}>
              <span>{t('orders.detail.title', { number: o.number })}</span>
              <OrderStateTag state={o.state} />
            </Space>
          }
          extra={
            o.relation === 'resident' || o.relation === 'company' || o.relation === 'worker' ? (
              <MessageButton
                size="small"
                input={{ context: 'order', orderId: o.id }}
                audience={o.relation === 'resident' ? 'resident' : o.relation}
              />
            ) : null
          }
        >
          <div className="orders-headline">
            {v.category(o.category)} · {v.mode(o.mode)}
          </div>
          <div className="muted">{o.priceTitle}</div>
          {o.state === 'requested' && o.expiresAt ? (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 8 }}
              message={t('orders.expiresAt', { at: formatDateTime(o.expiresAt, locale) })}
            />
          ) : null}
          {o.stateReason && (o.state === 'declined' || o.state === 'cancelled') ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              message={t('orders.reason', { reason: o.stateReason })}
            />
          ) : null}
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('orders.field.schedule')}>{sched(o.schedule)}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.period')}>
              {formatDateTime(o.serviceStart, locale)} – {formatDateTime(o.serviceEnd, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.address')}>
              {v.district(o.district)} {o.address ?? o.addressMasked}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.company')}>{o.company.name}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.worker')}>
              {current?.workerName ?? o.worker?.name ?? t('orders.worker.none')}
            </Descriptions.Item>
            {o.resident ? (
              <Descriptions.Item label={t('orders.field.resident')}>
                {o.resident.name} {o.resident.phoneMasked}
              </Descriptions.Item>
            ) : null}
            {o.note ? <Descriptions.Item label={t('orders.field.note')}>{o.note}</Descriptions.Item> : null}
            {o.contractRef ? (
              <Descriptions.Item label={t('orders.field.contract')}>{o.contractRef}</Descriptions.Item>
            ) : null}
            {o.cancelFeeFen ? (
              <Descriptions.Item label={t('orders.field.cancelFee')}>
                {t('orders.yuan', { amount: formatAmount(o.cancelFeeFen) })}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>

        <Card size="small" title={t('orders.price')}>
          <div className="orders-price-line">
            <span>
              {t('orders.price.unit', { amount: formatAmount(o.unitPriceFen), unit: v.unit(o.unit) })} ×{' '}
              {o.quantity}
            </span>
            <strong data-testid="order-total">
              {t('orders.yuan', { amount: formatAmount(o.totalFen) })}
            </strong>
          </div>
          {o.guideFlag ? (
            <Tag color={o.guideFlag === 'above' ? 'orange' : 'blue'} style={{ marginTop: 6 }}>
              {t(o.guideFlag === 'above' ? 'catalog.flag.above' : 'catalog.flag.below')}
            </Tag>
          ) : null}
        </Card>

        {o.relation === 'company' ? <EmployerRatingsCard orderId={o.id} /> : null}
        {['completed', 'closed', 'in_service', 'cancelled'].includes(o.state) ? (
          <OrderFeedbackPanel orderId={o.id} relation={o.relation} />
        ) : null}
        {(o.actions.length > 0 || canPause) && (
          <Card size="small" title={t('orders.actions')}>
            <Space wrap>
              {can('accept') && (
                <Button type="primary" onClick={() => openModal('accept')}>
                  {t('orders.act.accept')}
                </Button>
              )}
              {can('decline') && (
                <Button danger onClick={() => openModal('decline')}>
                  {t('orders.act.decline')}
                </Button>
              )}
              {can('contract') && (
                <Button type="primary" onClick={() => openModal('contract')}>
                  {t('orders.act.contract')}
                </Button>
              )}
              {can('start') && (
                <Button
                  type="primary"
                  loading={step.isPending}
                  onClick={() => run({ step: 'start' }, 'orders.done.start')}
                >
                  {t('orders.act.start')}
                </Button>
              )}
              {can('confirm') && (
                <Button
                  type="primary"
                  loading={step.isPending}
                  onClick={() =>
                    Modal.confirm({
                      title: t('orders.act.confirm'),
                      content: t('orders.confirm.body'),
                      okText: t('orders.act.confirm'),
                      cancelText: t('orders.cancelBtn'),
                      onOk: () => run({ step: 'confirm' }, 'orders.done.confirm'),
                    })
                  }
                >
                  {t('orders.act.confirm')}
                </Button>
              )}
              {can('replace_worker') && (
                <Button onClick={() => openModal('replace')}>{t('orders.act.replace')}</Button>
              )}
              {can('substitute') && (
                <Button onClick={() => openModal('substitute')}>{t('orders.act.substitute')}</Button>
              )}
              {canPause && <Button onClick={() => openModal('pause')}>{t('orders.act.pause')}</Button>}
              {can('cancel') && (
                <Button danger onClick={() => openModal('cancel')}>
                  {t('orders.act.cancel')}
                </Button>
              )}
            </Space>
            {!dialog && step.error ? <ErrorAlert error={step.error} className="orders-gap" /> : null}
          </Card>
        )}

        {o.followUps.length > 0 && (
          <Card size="small" title={t('orders.followUps')}>
            <List
              size="small"
              dataSource={o.followUps}
              renderItem={(f) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Space size={4} wrap>
                      <Tag>{t(`orders.assignee.${f.assigneeKind}` as MessageKey)}</Tag>
                      <OrderStateTag state={f.state} kind="followup" />
                      <Stars value={f.satisfaction} />
                    </Space>
                    <span className="muted small">
                      {f.recordedAt
                        ? t(f.reached ? 'orders.fu.reachedAt' : 'orders.fu.notReachedAt', {
                            at: formatDateTime(f.recordedAt, locale),
                          })
                        : t('orders.fu.dueAt', { at: formatDateTime(f.dueAt, locale) })}
                    </span>
                    {f.notes ? <span className="small">{f.notes}</span> : null}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        )}

        {o.bookings.length > 0 && (
          <Card size="small" title={t('orders.visits', { n: o.bookings.length })}>
            <List
              size="small"
              dataSource={o.bookings.slice(0, 30)}
              renderItem={(b) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <span>
                      {formatDateTime(b.startsAt, locale)} – {formatDateTime(b.endsAt, locale)}
                    </span>
                    <Space size={4} wrap>
                      <span className="muted small">{b.workerName}</span>
                      <Tag>{t(`orders.booking.${b.status}` as MessageKey)}</Tag>
                      {b.substituteFor ? <Tag color="purple">{t('orders.booking.substitute')}</Tag> : null}
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        )}

        {o.assignments.length > 1 && (
          <Card size="small" title={t('orders.assignments')}>
            <List
              size="small"
              dataSource={o.assignments}
              renderItem={(a) => (
                <List.Item>
                  <span>
                    {a.workerName} · {formatDateTime(a.fromAt, locale)}
                    {a.toAt ? ` – ${formatDateTime(a.toAt, locale)}` : ''}
                    {a.endedReason ? ` (${a.endedReason})` : ''}
                  </span>
                </List.Item>
              )}
            />
          </Card>
        )}

        <Card size="small" title={t('orders.history')}>
          <OrderTimeline history={o.history} />
        </Card>
      </Space>

      <Modal
        open={!!dialog}
        title={dialog ? t(`orders.dialog.${dialog}` as MessageKey) : ''}
        onCancel={() => setDialog(null)}
        okText={t('orders.ok')}
        cancelText={t('orders.cancelBtn')}
        confirmLoading={step.isPending}
        okButtonProps={{ danger: dialog === 'cancel' || dialog === 'decline' }}
        destroyOnClose
        onOk={async () => {
          const val = await form.validateFields();
          if (dialog === 'accept')
            await run({ step: 'accept', body: { workerId: val.workerId ?? null } }, 'orders.done.accept');
          if (dialog === 'decline')
            await run({ step: 'decline', body: { reason: val.reason } }, 'orders.done.decline');
          if (dialog === 'cancel')
            await run({ step: 'cancel', body: { reason: val.reason } }, 'orders.done.cancel');
          if (dialog === 'contract')
            await run({ step: 'contract', body: { contractRef: val.contractRef } }, 'orders.done.contract');
          if (dialog === 'replace')
            await run(
              { step: 'replace-worker', body: { workerId: val.workerId, reason: val.reason } },
              'orders.done.replace',
            );
          if (dialog === 'substitute')
            await run(
              {
                step: 'substitute',
                body: { bookingId: val.bookingId, workerId: val.workerId, reason: val.reason },
              },
              'orders.done.substitute',
            );
          if (dialog === 'pause') {
            const [from, to] = val.range as [Dayjs, Dayjs];
            await run(
              {
                step: 'pause',
                body: { from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD'), resume: !!val.resume },
              },
              val.resume ? 'orders.done.resume' : 'orders.done.pause',
            );
          }
        }}
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ workerId: o.worker?.id }}>
          {dialog === 'cancel' && (
            <Alert
              type={fee > 0 ? 'warning' : 'info'}
              showIcon
              style={{ marginBottom: 12 }}
              message={
                fee > 0
                  ? t('orders.cancel.fee', { amount: formatAmount(fee) })
                  : o.relation === 'resident'
                    ? t('orders.cancel.free')
                    : t('orders.cancel.company')
              }
              description={t('orders.cancel.rule')}
            />
          )}
          {(dialog === 'accept' || dialog === 'replace' || dialog === 'substitute') && (
            <WorkerPicker companyId={o.company.id} category={o.category} required={dialog !== 'accept'} />
          )}
          {dialog === 'substitute' && (
            <Form.Item name="bookingId" label={t('orders.field.visit')} rules={[{ required: true }]}>
              <Select
                options={upcoming.map((b) => ({
                  value: b.id,
                  label: `${formatDateTime(b.startsAt, locale)} · ${b.workerName}`,
                }))}
              />
            </Form.Item>
          )}
          {(dialog === 'decline' ||
            dialog === 'cancel' ||
            dialog === 'replace' ||
            dialog === 'substitute') && (
            <Form.Item
              name="reason"
              label={t('orders.field.reason')}
              rules={[{ required: true, whitespace: true, message: t('orders.reason.required') }]}
            >
              <Input.TextArea rows={3} maxLength={500} />
            </Form.Item>
          )}
          {dialog === 'contract' && (
            <Form.Item
              name="contractRef"
              label={t('orders.field.contractRef')}
              extra={t('orders.contract.hint')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          )}
          {dialog === 'pause' && (
            <>
              <Form.Item name="range" label={t('orders.field.pauseRange')} rules={[{ required: true }]}>
                <DatePicker.RangePicker style={{ width: '100%' }} inputReadOnly />
              </Form.Item>
              <Form.Item name="resume" label={t('orders.field.resume')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </>
          )}
          {dialog && step.error ? <ErrorAlert error={step.error} /> : null}
        </Form>
      </Modal>
    </div>
  );
}

/** The company's own workers for this category (the server checks each is green and free). */
function WorkerPicker({
  companyId,
  category,
  required,
}: {
  companyId: string;
  category: string;
  required: boolean;
}) {
  const t = useT();
  const me = useMe();
  // Only a member of the company can list its workers; the order's company is the member's.
  const isMember = !!me.data?.memberships.some((m) => m.orgId === companyId);
  const list = useCompanyWorkers(isMember ? companyId : undefined);
  const items = (list.data?.items ?? []).filter((w) => w.employedSince && w.status === 'active');
  const fits = items.filter((w) => w.categories.includes(category));
  return (
    <Form.Item
      name="workerId"
      label={t('orders.field.worker')}
      extra={t('orders.worker.hint')}
      rules={required ? [{ required: true }] : []}
    >
      <Select
        showSearch
        allowClear={!required}
        loading={list.isLoading}
        optionFilterProp="label"
        options={(fits.length ? fits : items).map((w) => ({
          value: w.id,
          // An expired or missing health certificate turns the 安心码 yellow: such a worker cannot be booked.
          label:
            w.health.state === 'valid'
              ? w.name
              : t('common.withNote', { text: w.name, note: t('orders.worker.healthExpired') }),
          disabled: w.health.state !== 'valid',
        }))}
      />
    </Form.Item>
  );
}
