import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Dropdown,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { districts } from '../../../../shared/districts';
import { serviceCategories } from '../../../../shared/domain';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import EChart from '../EChart';
import { exportUrl, useDashboard, useDrillCompanies, useDrillOrders, useRefresh } from '../insights.api';
import type { Dashboard, Filters } from '../insights.types';
import { shanghaiTime, useVocab, yuan } from '../vocab';
import '../insights.css';

const exportTables = [
  'summary',
  'companies-by-grade',
  'orders-by-district',
  'orders-by-category',
  'orders-by-mode',
  'trend',
  'complaints-by-district',
] as const;

type Drill =
  | {
      kind: 'orders';
      district?: string | undefined;
      category?: string | undefined;
      month?: string | undefined;
    }
  | { kind: 'companies'; district?: string | undefined; grade?: string | undefined };

/** /regulator/dashboard: the market at a glance from the rollups — figures, trends, map, heat map, drill-down. */
export default function RegulatorDashboardPage() {
  const t = useT();
  const v = useVocab();
  const { message } = App.useApp();
  useDocumentTitle(t('sec.regulator.dashboard'));
  const [filters, setFilters] = useState<Filters>({});
  const [drill, setDrill] = useState<Drill | null>(null);
  const q = useDashboard(filters);
  const refresh = useRefresh();
  const d = q.data;
  const range: [dayjs.Dayjs, dayjs.Dayjs] | null = d ? [dayjs(d.filters.from), dayjs(d.filters.to)] : null;

  return (
    <div className="console-page insights-page">
      <div className="insights-head">
        <h1>{t('insights.dashboard.title')}</h1>
        {d && (
          <span className="muted small" data-testid="as-of">
            {t('insights.asOf', { time: shanghaiTime(d.asOf) })}
          </span>
        )}
      </div>
      <Space wrap className="insights-filters">
        <Select
          allowClear
          aria-label={t('insights.filter.district')}
          placeholder={t('insights.filter.allDistricts')}
          style={{ minWidth: 140 }}
          value={filters.district}
          onChange={(district) => setFilters((f) => ({ ...f, district }))}
          options={districts.map((x) => ({ value: x.code, label: x.name }))}
        />
        <Select
          allowClear
          aria-label={t('insights.filter.category')}
          placeholder={t('insights.filter.allCategories')}
          style={{ minWidth: 180 }}
          value={filters.category}
          onChange={(category) => setFilters((f) => ({ ...f, category }))}
          options={serviceCategories.map((c) => ({ value: c.code, label: v.category(c.code) }))}
        />
        <DatePicker.RangePicker
          picker="month"
          allowClear={false}
          aria-label={t('insights.filter.period')}
          value={range}
          disabledDate={(day) => day.isAfter(dayjs(), 'month')}
          onChange={(r) =>
            r?.[0] &&
            r[1] &&
            setFilters((f) => ({ ...f, from: r[0]!.format('YYYY-MM'), to: r[1]!.format('YYYY-MM') }))
          }
        />
        <Button
          icon={<ReloadOutlined />}
          loading={refresh.isPending}
          onClick={() =>
            refresh.mutate(undefined, {
              onSuccess: () => void message.success(t('insights.refreshed')),
              onError: (e) => void message.error(e.message),
            })
          }
        >
          {t('insights.refresh')}
        </Button>
        <Button icon={<DownloadOutlined />} href={exportUrl('all', filters, 'xlsx')}>
          {t('insights.export.xlsx')}
        </Button>
        <Dropdown
          menu={{
            items: exportTables.map((k) => ({
              key: k,
              label: <a href={exportUrl(k, filters, 'csv')}>{t(`insights.table.${k}` as MessageKey)}</a>,
            })),
          }}
        >
          <Button icon={<DownloadOutlined />}>{t('insights.export.csv')}</Button>
        </Dropdown>
      </Space>
      {q.isError && <ErrorAlert error={q.error} />}
      {!d ? q.isPending && <PageLoader /> : <DashboardBody d={d} onDrill={setDrill} />}
      <DrillDrawer drill={drill} period={d?.filters} onClose={() => setDrill(null)} />
    </div>
  );
}

function Kpi({
  title,
  value,
  suffix,
  testId,
}: {
  title: string;
  value: string | number;
  suffix?: string;
  testId?: string;
}) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" className="insights-kpi" data-testid={testId}>
        <Statistic title={title} value={value} suffix={suffix} />
      </Card>
    </Col>
  );
}

function DashboardBody({ d, onDrill }: { d: Dashboard; onDrill: (x: Drill) => void }) {
  const t = useT();
  const v = useVocab();
  const dash = t('insights.none');
  const options = useMemo(() => {
    const trend = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: d.trend.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: t('insights.kpi.ordersCreated'), data: d.trend.map((m) => m.ordersCreated) },
        {
          type: 'line',
          name: t('insights.kpi.ordersCompleted'),
          data: d.trend.map((m) => m.ordersCompleted),
        },
        { type: 'line', name: t('insights.kpi.demands'), data: d.trend.map((m) => m.demands) },
        { type: 'bar', name: t('insights.kpi.complaints'), data: d.trend.map((m) => m.complaints) },
      ],
    };
    const cats = d.orders.byCategory;
    const byCategory = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 110, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: cats.map((c) => v.category(c.category)), inverse: true },
      series: [
        { type: 'bar', name: t('insights.kpi.ordersCreated'), data: cats.map((c) => c.created) },
        { type: 'bar', name: t('insights.kpi.ordersCompleted'), data: cats.map((c) => c.completed) },
      ],
    };
    const byMode = {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: d.orders.byMode.map((m) => ({ name: v.mode(m.mode), value: m.created })),
        },
      ],
    };
    const grades = {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: {
        type: 'category',
        data: d.companies.byGrade.map((g) => (g.grade === 'none' ? t('insights.unrated') : g.grade)),
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('insights.kpi.companies'), data: d.companies.byGrade.map((g) => g.count) },
      ],
    };
    const colours = {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: [
            {
              name: t('insights.color.green'),
              value: d.workers.certified.green,
              itemStyle: { color: '#2e8b57' },
            },
            {
              name: t('insights.color.yellow'),
              value: d.workers.certified.yellow,
              itemStyle: { color: '#d4a017' },
            },
            {
              name: t('insights.color.red'),
              value: d.workers.certified.red,
              itemStyle: { color: '#c0392b' },
            },
          ],
        },
      ],
    };
    const rows = d.orders.byDistrict;
    const max = Math.max(1, ...rows.map((r) => r.ordersCreated + r.demandsCreated));
    const map = {
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; value: number[] } }) =>
          `${p.data.name}<br/>${t('insights.kpi.ordersCreated')}: ${p.data.value[2]}<br/>${t('insights.kpi.demands')}: ${p.data.value[3]}<br/>${t('insights.kpi.workers')}: ${p.data.value[4]}`,
      },
      grid: { left: 48, right: 16, top: 16, bottom: 36 },
      xAxis: {
        type: 'value',
        min: 113.1,
        max: 113.95,
        name: t('insights.map.lon'),
        nameLocation: 'middle',
        nameGap: 22,
        axisLabel: { fontSize: 10 },
      },
      yAxis: {
        type: 'value',
        min: 22.7,
        max: 23.65,
        name: t('insights.map.lat'),
        axisLabel: { fontSize: 10 },
      },
      visualMap: {
        min: 0,
        max,
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        top: 0,
        itemHeight: 80,
        calculable: false,
        inRange: { color: ['#dbe9f6', '#2b6cb0', '#163e6e'] },
        text: [String(max), '0'],
        show: false,
      },
      series: [
        {
          type: 'scatter',
          data: rows.map((r) => ({
            name: r.name,
            district: r.district,
            value: [r.lon, r.lat, r.ordersCreated + r.demandsCreated, r.demandsCreated, r.workers],
          })),
          symbolSize: (val: number[]) => 18 + (40 * (val[2] ?? 0)) / max,
          label: { show: true, formatter: '{b}', position: 'right', fontSize: 11 },
        },
      ],
    };
    const hd = districts.filter((x) => !d.filters.district || x.code === d.filters.district);
    const hc = serviceCategories.filter((c) => d.heat.some((h) => h.category === c.code));
    const hmax = Math.max(1, ...d.heat.map((h) => h.count));
    const heat = {
      tooltip: { position: 'top' },
      grid: { left: 64, right: 16, top: 8, bottom: 90 },
      xAxis: {
        type: 'category',
        data: hc.map((c) => v.category(c.code)),
        axisLabel: { rotate: 40, fontSize: 10 },
      },
      yAxis: { type: 'category', data: hd.map((x) => x.name) },
      visualMap: {
        min: 0,
        max: hmax,
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
      },
      series: [
        {
          type: 'heatmap',
          name: t('insights.heat.title'),
          data: d.heat
            .filter((h) => hc.some((c) => c.code === h.category) && hd.some((x) => x.code === h.district))
            .map((h) => [
              hc.findIndex((c) => c.code === h.category),
              hd.findIndex((x) => x.code === h.district),
              h.count,
            ]),
          label: { show: true, fontSize: 10 },
        },
      ],
    };
    return { trend, byCategory, byMode, grades, colours, map, heat, hd, hc };
  }, [d, t, v]);

  return (
    <>
      <Row gutter={[12, 12]} className="insights-kpis">
        <Kpi title={t('insights.kpi.companies')} value={d.companies.active} testId="kpi-companies" />
        <Kpi title={t('insights.kpi.companies5A')} value={d.companies.companies5A} />
        <Kpi title={t('insights.kpi.workers')} value={d.workers.registered} testId="kpi-workers" />
        <Kpi
          title={t('insights.kpi.certified')}
          value={d.workers.certified.total}
          suffix={`(${d.workers.certified.green}/${d.workers.certified.yellow}/${d.workers.certified.red})`}
        />
        <Kpi title={t('insights.kpi.trained')} value={d.workers.trained} />
        <Kpi title={t('insights.kpi.insured')} value={d.workers.insured} />
        <Kpi title={t('insights.kpi.ordersCreated')} value={d.orders.created} testId="kpi-orders" />
        <Kpi title={t('insights.kpi.ordersCompleted')} value={d.orders.completed} />
        <Kpi title={t('insights.kpi.value')} value={yuan(d.orders.completedValueFen)} />
        <Kpi title={t('insights.kpi.demands')} value={d.orders.demands} />
        <Kpi
          title={t('insights.kpi.sla')}
          value={d.complaints.withinSlaPct === null ? dash : `${d.complaints.withinSlaPct}%`}
          suffix={t('insights.kpi.slaOf', { n: d.complaints.slaDue })}
        />
        <Kpi
          title={t('insights.kpi.satisfaction')}
          value={d.followUps.satisfactionAvg ?? dash}
          suffix={t('insights.kpi.satisfactionOf', { n: d.followUps.count })}
        />
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('insights.chart.trend')}>
            <EChart
              option={options.trend}
              label={t('insights.chart.trend')}
              testId="chart-trend"
              onClick={(p) =>
                onDrill({
                  kind: 'orders',
                  district: d.filters.district ?? undefined,
                  category: d.filters.category ?? undefined,
                  month: p.name,
                })
              }
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t('insights.chart.map')}
            extra={<span className="muted small">{t('insights.map.note')}</span>}
          >
            <EChart
              option={options.map}
              label={t('insights.chart.map')}
              testId="chart-map"
              onClick={(p) => {
                const code = (p.data as { district?: string } | undefined)?.district;
                if (code)
                  onDrill({ kind: 'orders', district: code, category: d.filters.category ?? undefined });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('insights.chart.byCategory')}>
            <EChart
              option={options.byCategory}
              label={t('insights.chart.byCategory')}
              height={320}
              onClick={(p) => {
                const c = serviceCategories.find((x) => v.category(x.code) === p.name);
                if (c)
                  onDrill({ kind: 'orders', district: d.filters.district ?? undefined, category: c.code });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('insights.heat.title')}
            extra={<span className="muted small">{t('insights.heat.note')}</span>}
          >
            <EChart
              option={options.heat}
              label={t('insights.heat.title')}
              height={320}
              testId="chart-heat"
              onClick={(p) => {
                const [x, y] = (p.data as number[] | undefined) ?? [];
                const c = x === undefined ? undefined : options.hc[x];
                const dist = y === undefined ? undefined : options.hd[y];
                if (c && dist) onDrill({ kind: 'orders', district: dist.code, category: c.code });
              }}
            />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card size="small" title={t('insights.chart.byMode')}>
            <EChart option={options.byMode} label={t('insights.chart.byMode')} />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card size="small" title={t('insights.chart.grades')}>
            <EChart
              option={options.grades}
              label={t('insights.chart.grades')}
              onClick={(p) =>
                onDrill({
                  kind: 'companies',
                  district: d.filters.district ?? undefined,
                  grade: p.name === t('insights.unrated') ? 'none' : p.name,
                })
              }
            />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card size="small" title={t('insights.chart.colours')}>
            <EChart option={options.colours} label={t('insights.chart.colours')} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('insights.table.orders-by-district')} className="insights-table">
        <Table
          rowKey="district"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={d.orders.byDistrict}
          columns={[
            {
              title: t('insights.col.district'),
              render: (_, r) => (
                <Button
                  type="link"
                  onClick={() =>
                    onDrill({
                      kind: 'orders',
                      district: r.district,
                      category: d.filters.category ?? undefined,
                    })
                  }
                >
                  {r.name}
                </Button>
              ),
            },
            { title: t('insights.kpi.ordersCreated'), dataIndex: 'ordersCreated' },
            { title: t('insights.kpi.ordersCompleted'), dataIndex: 'ordersCompleted' },
            { title: t('insights.kpi.demands'), dataIndex: 'demandsCreated' },
            {
              title: t('insights.kpi.companies'),
              render: (_, r) => (
                <Button type="link" onClick={() => onDrill({ kind: 'companies', district: r.district })}>
                  {r.companies}
                </Button>
              ),
            },
            { title: t('insights.kpi.workers'), dataIndex: 'workers' },
            { title: t('insights.kpi.complaints'), dataIndex: 'complaints' },
            {
              title: t('insights.kpi.sla'),
              render: (_, r) => (r.complaintsWithinSlaPct === null ? dash : `${r.complaintsWithinSlaPct}%`),
            },
          ]}
        />
      </Card>
    </>
  );
}

function DrillDrawer({
  drill,
  period,
  onClose,
}: {
  drill: Drill | null;
  period: Dashboard['filters'] | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const v = useVocab();
  const [cursor, setCursor] = useState<string | undefined>();
  const orderQ =
    drill?.kind === 'orders'
      ? { district: drill.district, category: drill.category, month: drill.month, cursor, limit: '50' }
      : {};
  const companyQ =
    drill?.kind === 'companies'
      ? { district: drill.district, grade: drill.grade, status: 'active', cursor, limit: '50' }
      : {};
  const orders = useDrillOrders(orderQ, drill?.kind === 'orders');
  const companies = useDrillCompanies(companyQ, drill?.kind === 'companies');
  const scope = drill
    ? [
        drill.district ? v.district(drill.district) : t('insights.filter.allDistricts'),
        drill.kind === 'orders' && drill.category ? v.category(drill.category) : null,
        drill.kind === 'orders' ? drill.month : null,
        drill.kind === 'companies' && drill.grade
          ? drill.grade === 'none'
            ? t('insights.unrated')
            : drill.grade
          : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  const q = drill?.kind === 'companies' ? companies : orders;
  return (
    <Drawer
      open={!!drill}
      width={720}
      onClose={() => {
        setCursor(undefined);
        onClose();
      }}
      title={`${t(drill?.kind === 'companies' ? 'insights.drill.companies' : 'insights.drill.orders')} · ${scope}`}
      destroyOnClose
    >
      {period && drill?.kind === 'orders' && !drill.month && (
        <p className="muted small">{t('insights.drill.allTime')}</p>
      )}
      {q.isError && <ErrorAlert error={q.error} />}
      {drill?.kind === 'companies' ? (
        <Table
          rowKey="id"
          size="small"
          loading={companies.isPending}
          pagination={false}
          dataSource={companies.data?.items ?? []}
          columns={[
            { title: t('insights.col.company'), dataIndex: 'name' },
            { title: t('insights.col.district'), render: (_, r) => v.district(r.district) },
            { title: t('insights.col.grade'), render: (_, r) => r.creditGrade ?? t('insights.unrated') },
          ]}
        />
      ) : (
        <Table
          rowKey="id"
          size="small"
          loading={orders.isPending}
          pagination={false}
          scroll={{ x: true }}
          dataSource={orders.data?.items ?? []}
          columns={[
            { title: t('insights.col.number'), dataIndex: 'number' },
            { title: t('insights.col.category'), render: (_, r) => v.category(r.category) },
            { title: t('insights.col.mode'), render: (_, r) => v.mode(r.mode) },
            { title: t('insights.col.district'), render: (_, r) => v.district(r.district) },
            {
              title: t('insights.col.state'),
              render: (_, r) => <Tag>{t(`orders.orderState.${r.state}` as MessageKey)}</Tag>,
            },
            { title: t('insights.col.total'), render: (_, r) => yuan(r.totalFen, 2) },
            { title: t('insights.col.created'), render: (_, r) => shanghaiTime(r.createdAt) },
          ]}
        />
      )}
      {q.data?.nextCursor && (
        <Button style={{ marginTop: 12 }} onClick={() => setCursor(q.data?.nextCursor ?? undefined)}>
          {t('insights.drill.more')}
        </Button>
      )}
    </Drawer>
  );
}
