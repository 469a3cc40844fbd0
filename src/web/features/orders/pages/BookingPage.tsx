import { Alert, Button, Card, Empty, Form, Input, Radio, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { districts } from '../../../../shared/districts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import { useLocale, useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { applyFieldErrors } from '../../../shared/ui/form-errors';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import type { ServiceItem } from '../../catalog/catalog.api';
import { TrustBadge } from '../../certification/components';
import { useWorkerProfile } from '../../discovery/discovery.api';
import { useOrderVocab } from '../components';
import { newIdempotencyKey, useCreateOrder } from '../orders.api';
import { earliestSlot, quantityFor } from '../quote';
import { ScheduleFields, scheduleOf, type ScheduleValues as Values } from '../ScheduleFields';
import { formatAmount } from '../../../shared/money';

/** /resident/orders/new?worker=&item= — book a company's service item with one of its green workers. */
export default function BookingPage() {
  const t = useT();
  const [params] = useSearchParams();
  const workerId = params.get('worker') ?? '';
  const companyParam = params.get('company') ?? '';
  useDocumentTitle(t('orders.book.title'));
  const worker = useWorkerProfile(workerId);
  const companyId = workerId ? worker.data?.company?.id : companyParam;
  // Without a worker (a company's page), its public price list.
  const companyItems = useQuery({
    queryKey: ['catalog', 'public', companyParam],
    enabled: !workerId && !!companyParam,
    queryFn: ({ signal }) =>
      api.get<{ items: ServiceItem[] }>(
        `/api/v1/public/companies/${encodeURIComponent(companyParam)}/service-items`,
        {
          signal,
        },
      ),
  });
  if (!workerId && !companyParam)
    return (
      <Card>
        <Empty description={t('orders.book.pick')}>
          <Link to="/resident/find">
            <Button type="primary">{t('orders.book.find')}</Button>
          </Link>
        </Empty>
      </Card>
    );
  if ((workerId && worker.isPending) || (!workerId && companyItems.isPending)) return <PageLoader />;
  const error = workerId ? worker.error : companyItems.error;
  if (error) return <ErrorAlert error={error} />;
  const items =
    (workerId ? worker.data?.items : companyItems.data?.items)?.filter((i) => i.active && i.current) ?? [];
  return (
    <BookingForm
      workerId={workerId || null}
      workerName={worker.data?.maskedName ?? null}
      workerColor={worker.data?.color ?? null}
      bookable={workerId ? !!worker.data?.bookable : true}
      companyName={worker.data?.company?.name ?? ''}
      companyId={companyId ?? ''}
      defaultDistrict={worker.data?.district ?? undefined}
      items={items}
      initialItem={params.get('item')}
    />
  );
}

function BookingForm(props: {
  workerId: string | null;
  workerName: string | null;
  workerColor: 'green' | 'yellow' | 'red' | null;
  bookable: boolean;
  companyName: string;
  companyId: string;
  defaultDistrict: string | undefined;
  items: ServiceItem[];
  initialItem: string | null;
}) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const navigate = useNavigate();
  const create = useCreateOrder();
  const [form] = Form.useForm<Values>();
  const [itemId, setItemId] = useState<string | null>(
    props.items.find((i) => i.id === props.initialItem)?.id ??
      (props.items.length === 1 ? props.items[0]!.id : null),
  );
  const item = props.items.find((i) => i.id === itemId) ?? null;
  const values = Form.useWatch([], form) as Values | undefined;
  // One key per submission: a retry after a lost answer reuses it, so the server books once.
  const key = useRef<string | null>(null);
  const slot = useMemo(() => earliestSlot(new Date()), []);

  const schedule = item ? scheduleOf(item.mode, values ?? {}) : null;
  const quantity = item && schedule ? quantityFor(schedule, item.unit) : null;
  const total = item && quantity !== null ? item.priceFen * quantity : null;

  const submit = async () => {
    if (!item) return;
    const val = await form.validateFields();
    const s = scheduleOf(item.mode, val);
    if (!s) return;
    key.current ??= newIdempotencyKey();
    try {
      const o = await create.mutateAsync({
        key: key.current,
        body: {
          priceItemId: item.id,
          workerId: props.workerId,
          schedule: s,
          address: val.address!.trim(),
          district: val.district!,
          note: val.note?.trim() || null,
        },
      });
      key.current = null;
      navigate(`/resident/orders/${o.id}`);
    } catch (e) {
      applyFieldErrors(form, e, locale);
    }
  };

  return (
    <div className="console-page orders-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to={props.workerId ? `/resident/find/workers/${props.workerId}` : '/resident/find'}>
          {t('orders.back')}
        </BackLink>
        <Card title={t('orders.book.title')}>
          {props.workerName ? (
            <Space size={6} wrap>
              <strong>{props.workerName}</strong>
              {props.workerColor ? <TrustBadge color={props.workerColor} /> : null}
              <span className="muted">{props.companyName}</span>
            </Space>
          ) : null}
          {!props.bookable ? (
            <Alert type="error" showIcon style={{ marginTop: 8 }} message={t('orders.book.notBookable')} />
          ) : null}
        </Card>

        <Card size="small" title={t('orders.book.item')}>
          {props.items.length === 0 ? (
            <Empty description={t('orders.book.noItems')} />
          ) : (
            <Radio.Group
              value={itemId}
              onChange={(e) => {
                setItemId(e.target.value as string);
                key.current = null;
              }}
              style={{ width: '100%' }}
            >
              <Space direction="vertical" style={{ width: '100%' }}>
                {props.items.map((i) => (
                  <Radio key={i.id} value={i.id}>
                    <span>{i.title}</span>{' '}
                    <span className="orders-price">
                      {t('orders.price.unit', { amount: formatAmount(i.priceFen), unit: v.unit(i.unit) })}
                    </span>{' '}
                    <Tag>{v.mode(i.mode)}</Tag>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          )}
        </Card>

        {item && props.bookable ? (
          <Card size="small" title={t('orders.book.when')}>
            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              onValuesChange={() => {
                key.current = null;
              }}
              initialValues={{
                date: dayjs(slot.date),
                time: item.mode === 'hourly' ? slot.time : '09:00',
                hours: 2,
                startDate: dayjs(slot.date).add(item.mode === 'recurring' ? 1 : 7, 'day'),
                weekdays: [],
                weeks: 4,
                months: 1,
                dueDate: dayjs(slot.date).add(30, 'day'),
                stars: 4,
                district: props.defaultDistrict,
              }}
            >
              <ScheduleFields mode={item.mode} />
              <Form.Item name="district" label={t('orders.field.district')} rules={[{ required: true }]}>
                <Select options={districts.map((d) => ({ value: d.code, label: d.name }))} />
              </Form.Item>
              <Form.Item
                name="address"
                label={t('orders.field.address')}
                extra={t('orders.book.addressHint')}
                rules={[{ required: true, whitespace: true, max: 200 }]}
              >
                <Input maxLength={200} autoComplete="street-address" />
              </Form.Item>
              <Form.Item name="note" label={t('orders.field.note')}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>

              <div className="orders-total" aria-live="polite">
                {total !== null && quantity !== null ? (
                  <>
                    <span>
                      {t('orders.price.unit', {
                        amount: formatAmount(item.priceFen),
                        unit: v.unit(item.unit),
                      })}{' '}
                      × {quantity}
                    </span>
                    <strong data-testid="booking-total">
                      {t('orders.yuan', { amount: formatAmount(total) })}
                    </strong>
                  </>
                ) : (
                  <span className="muted">{t('orders.book.fill')}</span>
                )}
              </div>
              <div className="muted small orders-gap-b">{t('orders.book.priceNote')}</div>
              <ErrorAlert error={create.error} className="orders-gap-b" />
              <Button
                type="primary"
                block
                size="large"
                loading={create.isPending}
                onClick={submit}
                disabled={!schedule}
              >
                {t('orders.book.submit')}
              </Button>
            </Form>
          </Card>
        ) : null}
      </Space>
    </div>
  );
}
