import { Button, Card, DatePicker, Form, Input, QRCode, Select, Statistic, Table, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type MessageKey, useLocale, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { formatDate } from '../../../shared/ui/format';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useLabels } from '../components';
import {
  useCreateFair,
  useEmploymentStats,
  useFairCheckin,
  useFairOutcomes,
  useFairs,
  useInviteLikelyWorker,
  useLikelyWorkers,
} from '../recruitment.api';
import type { Fair, LikelyWorkers } from '../recruitment.types';
import '../recruitment.css';

const month = (d: Dayjs) => d.format('YYYY-MM');

/** /regulator/employment: employment statistics (months, categories, source regions, time to hire) and job fairs. */
export default function RegulatorEmploymentPage() {
  const t = useT();
  useDocumentTitle(t('sec.regulator.employment'));
  return (
    <div className="recruitment-page">
      <h1>{t('sec.regulator.employment')}</h1>
      <Tabs
        items={[
          { key: 'stats', label: t('recruitment.tab.stats'), children: <Stats /> },
          { key: 'fairs', label: t('recruitment.tab.fairs'), children: <Fairs /> },
          { key: 'likely', label: t('recruitment.tab.likely'), children: <Likely /> },
        ]}
      />
    </div>
  );
}

function Stats() {
  const t = useT();
  const l = useLabels();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(6, 'month'), dayjs()]);
  const stats = useEmploymentStats(month(range[0]), month(range[1]));
  return (
    <>
      <Form layout="inline">
        <Form.Item label={t('recruitment.stats.range')}>
          <DatePicker.RangePicker
            picker="month"
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
        </Form.Item>
      </Form>
      {stats.isPending ? (
        <PageLoader />
      ) : stats.error ? (
        <ErrorAlert error={stats.error} />
      ) : (
        <>
          <p className="recruitment-meta">
            {stats.data.district
              ? t('recruitment.scope.district', { district: l.district(stats.data.district) })
              : t('recruitment.scope.city')}
          </p>
          <div className="recruitment-stats">
            <Card size="small">
              <Statistic title={t('recruitment.stats.applications')} value={stats.data.totals.applications} />
            </Card>
            <Card size="small">
              <Statistic title={t('recruitment.stats.hires')} value={stats.data.totals.hires} />
            </Card>
            <Card size="small">
              <Statistic
                title={t('recruitment.stats.medianDays')}
                value={stats.data.medianDaysToHire ?? '—'}
              />
            </Card>
          </div>
          <h2>{t('recruitment.stats.perMonth')}</h2>
          <Table
            rowKey="month"
            size="small"
            pagination={false}
            dataSource={stats.data.perMonth}
            columns={[
              { title: t('recruitment.stats.month'), dataIndex: 'month' },
              { title: t('recruitment.stats.applications'), dataIndex: 'applications' },
              { title: t('recruitment.stats.hires'), dataIndex: 'hires' },
              { title: t('recruitment.stats.fairRegistrations'), dataIndex: 'fairRegistrations' },
            ]}
          />
          <h2>{t('recruitment.stats.byCategory')}</h2>
          <Table
            rowKey="category"
            size="small"
            pagination={false}
            dataSource={stats.data.byCategory}
            columns={[
              { title: t('recruitment.field.category'), render: (_, r) => l.category(r.category) },
              { title: t('recruitment.stats.applications'), dataIndex: 'applications' },
              { title: t('recruitment.stats.hires'), dataIndex: 'hires' },
            ]}
          />
          <h2>{t('recruitment.stats.bySource')}</h2>
          <RegionTable rows={stats.data.bySourceRegion} />
        </>
      )}
    </>
  );
}

/** Cohort outcomes per source region: placement and retention rates where the 3/6-month mark has passed. */
export function RegionTable({
  rows,
}: {
  rows: {
    sourceRegionCode: string;
    sourceRegionName: string;
    cohorts: number;
    trainees: number;
    placed: number;
    due3: number;
    retained3: number;
    due6: number;
    retained6: number;
  }[];
}) {
  const t = useT();
  const rate = (n: number, d: number) => (d ? `${Math.round((n / d) * 100)}%` : '—');
  return (
    <Table
      rowKey="sourceRegionCode"
      size="small"
      pagination={false}
      scroll={{ x: true }}
      dataSource={rows}
      columns={[
        { title: t('recruitment.cohort.source'), dataIndex: 'sourceRegionName' },
        { title: t('recruitment.cohort.cohorts'), dataIndex: 'cohorts' },
        { title: t('recruitment.cohort.trainees'), dataIndex: 'trainees' },
        {
          title: t('recruitment.cohort.placed'),
          render: (_, r) => `${r.placed} (${rate(r.placed, r.trainees)})`,
        },
        {
          title: t('recruitment.cohort.retained3'),
          render: (_, r) => `${r.retained3}/${r.due3} (${rate(r.retained3, r.due3)})`,
        },
        {
          title: t('recruitment.cohort.retained6'),
          render: (_, r) => `${r.retained6}/${r.due6} (${rate(r.retained6, r.due6)})`,
        },
      ]}
    />
  );
}

function Fairs() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const fairs = useFairs();
  const create = useCreateFair();
  const [selected, setSelected] = useState<string | null>(null);
  const [form] = Form.useForm();
  const required = [{ required: true, message: t('recruitment.required') }];
  return (
    <>
      {fairs.isPending ? (
        <PageLoader />
      ) : fairs.error ? (
        <ErrorAlert error={fairs.error} />
      ) : (
        <Table<Fair>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={fairs.data.items}
          columns={[
            { title: t('recruitment.field.title'), dataIndex: 'title' },
            { title: t('recruitment.fair.start'), render: (_, f) => formatDate(f.startsAt, locale) },
            {
              title: t('recruitment.field.state'),
              render: (_, f) => t(`recruitment.fair.phase.${f.phase}` as MessageKey),
            },
            {
              title: t('recruitment.fair.registrations'),
              render: (_, f) => `${f.registrations} / ${f.checkedIn}`,
            },
            {
              title: t('recruitment.fair.outcomes'),
              render: (_, f) => (
                <Button
                  size="small"
                  onClick={() => setSelected(f.id)}
                  aria-label={t('recruitment.fair.outcomesNamed', { title: f.title })}
                >
                  {t('recruitment.fair.outcomes')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {selected && <FairOutcomesCard id={selected} />}
      <h2>{t('recruitment.fair.new')}</h2>
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ format: 'venue' }}
        onFinish={(v: {
          title: string;
          format: 'online' | 'venue';
          venue?: string;
          district?: string;
          period: [Dayjs, Dayjs];
        }) =>
          create.mutate(
            {
              title: v.title,
              format: v.format,
              venue: v.venue ?? null,
              district: v.district ?? null,
              startsAt: v.period[0].toISOString(),
              endsAt: v.period[1].toISOString(),
            },
            { onSuccess: () => form.resetFields() },
          )
        }
      >
        <Form.Item name="title" label={t('recruitment.field.title')} rules={required}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="format" label={t('recruitment.fair.format')}>
          <Select
            options={[
              { value: 'venue', label: t('recruitment.fair.venue') },
              { value: 'online', label: t('recruitment.fair.online') },
            ]}
          />
        </Form.Item>
        <Form.Item name="venue" label={t('recruitment.fair.venueAddress')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="district" label={t('recruitment.field.district')}>
          <Select allowClear options={l.districtOptions} />
        </Form.Item>
        <Form.Item name="period" label={t('recruitment.fair.period')} rules={required}>
          <DatePicker.RangePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        {create.error && <ErrorAlert error={create.error} />}
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('recruitment.fair.create')}
        </Button>
      </Form>
    </>
  );
}

function FairOutcomesCard({ id }: { id: string }) {
  const t = useT();
  const out = useFairOutcomes(id);
  const checkin = useFairCheckin(id);
  if (out.isPending) return <PageLoader />;
  if (out.error) return <ErrorAlert error={out.error} />;
  const o = out.data;
  return (
    <Card size="small" title={t('recruitment.fair.outcomes')} style={{ marginTop: 16 }}>
      <div className="recruitment-stats">
        <Statistic title={t('recruitment.fair.companiesCount')} value={o.companies} />
        <Statistic title={t('recruitment.fair.registrations')} value={o.registrations} />
        <Statistic title={t('recruitment.fair.checkedInCount')} value={o.checkedIn} />
        <Statistic title={t('recruitment.stats.applications')} value={o.applications} />
        <Statistic title={t('recruitment.stats.hires')} value={o.hired} />
      </div>
      {checkin.data && (
        <div>
          <p>{t('recruitment.fair.qrHelp')}</p>
          <QRCode value={checkin.data.url} aria-label={t('recruitment.fair.qr')} />
        </div>
      )}
    </Card>
  );
}

/** 当家政: likely workers of the district as counts; those who opted in as a list with an invitation button. */
function Likely() {
  const t = useT();
  const { locale } = useLocale();
  const l = useLabels();
  const likely = useLikelyWorkers();
  const invite = useInviteLikelyWorker();
  if (likely.isPending) return <PageLoader />;
  if (likely.error) return <ErrorAlert error={likely.error} />;
  const d: LikelyWorkers = likely.data;
  return (
    <>
      <p className="recruitment-meta">{t('recruitment.likely.basis')}</p>
      <div className="recruitment-stats">
        <Card size="small">
          <Statistic title={t('recruitment.likely.total')} value={d.total} />
        </Card>
        {(['fair', 'cohort', 'saved_search', 'training'] as const).map((k) => (
          <Card size="small" key={k}>
            <Statistic title={t(`recruitment.likely.signal.${k}` as MessageKey)} value={d.bySignal[k]} />
          </Card>
        ))}
        <Card size="small">
          <Statistic title={t('recruitment.likely.optedIn')} value={d.optedIn} />
        </Card>
      </div>
      <h2>{t('recruitment.likely.contacts')}</h2>
      {invite.error && <ErrorAlert error={invite.error} />}
      <Table
        rowKey="workerId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={d.contacts}
        locale={{ emptyText: t('recruitment.likely.none') }}
        columns={[
          { title: t('recruitment.likely.name'), dataIndex: 'name' },
          { title: t('recruitment.field.district'), render: (_, r) => l.district(r.district) },
          {
            title: t('recruitment.likely.signals'),
            render: (_, r) =>
              r.signals.map((s) => <Tag key={s}>{t(`recruitment.likely.signal.${s}` as MessageKey)}</Tag>),
          },
          {
            title: t('recruitment.likely.missing'),
            render: (_, r) =>
              r.missing.map((m) => <Tag key={m}>{t(`recruitment.likely.step.${m}` as MessageKey)}</Tag>),
          },
          {
            title: t('recruitment.likely.lastInvited'),
            render: (_, r) => (r.lastInvitedAt ? formatDate(r.lastInvitedAt, locale) : '—'),
          },
          {
            title: t('recruitment.likely.invite'),
            render: (_, r) => (
              <Button
                size="small"
                loading={invite.isPending && invite.variables === r.workerId}
                onClick={() => invite.mutate(r.workerId)}
                aria-label={t('recruitment.likely.inviteNamed', { name: r.name })}
              >
                {t('recruitment.likely.invite')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
