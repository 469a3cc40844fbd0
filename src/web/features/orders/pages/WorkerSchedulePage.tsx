import { App, Button, Card, Empty, List, Space, Tag } from 'antd';
import { useMemo } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { formatDate } from '../../../shared/ui/format';
import { formatTime, isLongTermMode, OrderStateTag, shanghaiDay, useOrderVocab } from '../components';
import { OrderDetailView } from '../OrderDetailView';
import { useMySchedule, useOrderStep } from '../orders.api';
import type { ScheduleItem } from '../orders.types';
import '../orders.css';

const DAY = 86_400_000;
/** The company (or the worker) may start up to two hours before the booked start (schedule.ts EARLY_START_MS). */
const EARLY_START_MS = 2 * 3600_000;

/** /worker/schedule: my agenda for the next 14 days, and each order's page. */
export default function WorkerScheduleSection() {
  return (
    <Routes>
      <Route index element={<Agenda />} />
      <Route path=":id" element={<WorkerOrder />} />
    </Routes>
  );
}

function WorkerOrder() {
  const { id = '' } = useParams();
  return <OrderDetailView id={id} backTo="/worker/schedule" />;
}

function Agenda() {
  const t = useT();
  const { locale } = useLocale();
  useDocumentTitle(t('orders.schedule.title'));
  // From Shanghai midnight today, 14 days; fixed for the page's life so the query key is stable.
  const range = useMemo(() => {
    const today = shanghaiDay(new Date());
    const from = new Date(`${today}T00:00:00+08:00`);
    return { today, from: from.toISOString(), to: new Date(from.getTime() + 14 * DAY).toISOString() };
  }, []);
  const q = useMySchedule(range.from, range.to);
  if (q.isPending) return <PageLoader />;
  const byDay = new Map<string, ScheduleItem[]>();
  for (const i of q.data?.items ?? []) {
    // A long-term span that began earlier shows on today.
    const d = shanghaiDay(new Date(Math.max(new Date(i.startsAt).getTime(), new Date(range.from).getTime())));
    byDay.set(d, [...(byDay.get(d) ?? []), i]);
  }
  const days = [...byDay.keys()].sort();
  return (
    <div className="console-page orders-page">
      <Card title={t('orders.schedule.title')}>
        <p className="muted small">{t('orders.schedule.hint')}</p>
        <ErrorAlert error={q.error} />
        {days.length === 0 ? (
          <Empty description={t('orders.schedule.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          days.map((d) => (
            <div key={d}>
              <div className="orders-day">
                {d === range.today ? t('orders.schedule.today') : ''} {formatDate(d, locale)}
              </div>
              <List
                size="small"
                itemLayout="vertical"
                dataSource={byDay.get(d)}
                renderItem={(i) => <Visit item={i} />}
              />
            </div>
          ))
        )}
      </Card>
    </div>
  );
}

function Visit({ item }: { item: ScheduleItem }) {
  const t = useT();
  const { locale } = useLocale();
  const v = useOrderVocab();
  const { message } = App.useApp();
  const step = useOrderStep(item.orderId);
  // A long-term booking is one span of days (live-in, 月嫂): shown as dates, not times.
  const span = new Date(item.endsAt).getTime() - new Date(item.startsAt).getTime() >= DAY;
  const ready =
    (item.state === 'accepted' && !isLongTermMode(item.mode)) ||
    (item.state === 'contracted' && isLongTermMode(item.mode));
  const canStart =
    ready && new Date(item.startsAt).getTime() - Date.now() <= EARLY_START_MS && item.status === 'scheduled';
  return (
    <List.Item
      actions={
        canStart
          ? [
              <Button
                key="s"
                type="primary"
                loading={step.isPending}
                onClick={async () => {
                  try {
                    await step.mutateAsync({ step: 'start' });
                    message.success(t('orders.done.start'));
                  } catch {
                    // shown below
                  }
                }}
              >
                {t('orders.act.start')}
              </Button>,
            ]
          : []
      }
    >
      <Space direction="vertical" size={0}>
        <Link to={item.orderId}>
          <strong>
            {span
              ? `${formatDate(item.startsAt, locale)} – ${formatDate(item.endsAt, locale)}`
              : `${formatTime(item.startsAt, locale)}–${formatTime(item.endsAt, locale)}`}
          </strong>{' '}
          {v.category(item.category)}
        </Link>
        <Space size={4} wrap className="small">
          <OrderStateTag state={item.state} />
          {item.substitute ? <Tag color="purple">{t('orders.booking.substitute')}</Tag> : null}
          <span className="muted">
            {v.district(item.district)} {item.addressMasked}
          </span>
        </Space>
        <span className="muted small">
          {item.number} · {item.company.name}
        </span>
        <ErrorAlert error={step.error} />
      </Space>
    </List.Item>
  );
}
