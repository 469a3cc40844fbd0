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
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { districts } from '../../../../shared/districts';
import { serviceCategories } from '../../../../shared/domain';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import EChart from '../EChart';
import { exportUrl, useDashboard, useDrillCompanies, useDrillOrders, useRefresh } from '../insights.api';
import type { Dashboard, DistrictRow, Filters } from '../insights.types';
import { type Drill, readDashboardState, writeDashboardState } from '../dashboard-url';
import { schematicDistricts } from '../schematic-map';
import { shanghaiTime, useVocab } from '../vocab';
import '../insights.css';
import { formatAmount } from '../../../shared/money';

const exportTables = [
  'summary',
  'companies-by-grade',
  'orders-by-district',
  'orders-by-category',
  'orders-by-mode',
  'trend',
  'complaints-by-district',
] as const;

const SCHEMATIC_MAP = 'guangzhou-schematic';
const schematicMaps = { [SCHEMATIC_MAP]: schematicDistricts(districts) };

const mapMetrics = [
  'demand',
  'ordersCreated',
  'ordersCompleted',
  'demandsCreated',
  'companies',
  'workers',
  'complaints',
] as const;
type MapMetric = (typeof mapMetrics)[number];
const mapMetricKey: Record<MapMetric, MessageKey> = {
  demand: 'insights.map.demand',
  ordersCreated: 'insights.kpi.ordersCreated',
  ordersCompleted: 'insights.kpi.ordersCompleted',
  demandsCreated: 'insights.kpi.demands',
  companies: 'insights.kpi.companies',
  workers: 'insights.kpi.workers',
  complaints: 'insights.kpi.complaints',
};

/** /regulator/dashboard: the market at a glance from the rollups — figures, trends, map, heat map, drill-down. */
export default function RegulatorDashboardPage() {
  const t = useT();
  const v = useVocab();
  const { message } = App.useApp();
  useDocumentTitle(t('sec.regulator.dashboard'));
  // Filters and the open drill-down are in the address (dashboard-url.ts): a filter change replaces the entry,
  // opening a drill-down adds one, so the browser's Back closes it.
  const [params, setParams] = useSearchParams();
  const { filters, drill } = useMemo(() => readDashboardState(params), [params]);
  const navigate = useNavigate();
  const location = useLocation();
  const setFilters = (next: (f: Filters) => Filters) =>
    setParams(writeDashboardState(next(filters), drill), { replace: true });
  const setDrill = (next: Drill) =>
    setParams(writeDashboardState(filters, next), { state: { drillPushed: true } });
  const closeDrill = () => {
    // Opened here: step back to the entry before it (what Back would do); opened from a link: drop it.
    if ((location.state as { drillPushed?: boolean } | null)?.drillPushed) navigate(-1);
    else setParams(writeDashboardState(filters, null), { replace: true });
  };
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
      <DrillDrawer drill={drill} period={d?.filters} onClose={closeDrill} />
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
  const [mapMetric, setMapMetric] = useState<MapMetric>('demand');
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
    const mapValue = (r: DistrictRow) =>
      mapMetric === 'demand' ? r.ordersCreated + r.demandsCreated : r[mapMetric];
    const max = Math.max(1, ...rows.map(mapValue));
    const metricLabel = t(mapMetricKey[mapMetric]);
    const map = {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) =>
          `${p.name}<br/>${metricLabel}: ${Number.isFinite(p.value) ? p.value : dash}`,
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 140,
        itemWidth: 12,
        calculable: false,
        text: [String(max), '0'],
        textGap: 6,
        textStyle: { color: '#1f2a28' },
        inRange: { color: ['#e3f2ef', '#4fa89a', '#07564b'] },
      },
      series: [
        {
          type: 'map',
          name: metricLabel,
          map: SCHEMATIC_MAP,
          roam: false,
          // One degree of longitude is cos(23°) of one of latitude at Guangzhou.
          aspectScale: 0.92,
          top: 4,
          bottom: 40,
          selectedMode: false,
          // Small central districts would stack their labels; the hidden ones are in the tooltip and the table.
          labelLayout: { hideOverlap: true },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#f0f2f2' },
          emphasis: { itemStyle: { areaColor: '#d48806' }, label: { color: '#000000' } },
          label: {
            show: true,
            formatter: (p: { name: string; value: number }) =>
              `${p.name}\n${Number.isFinite(p.value) ? p.value : dash}`,
            color: '#1f2a28',
            fontSize: 10,
            lineHeight: 12,
            backgroundColor: 'rgba(255,255,255,0.85)',
            borderRadius: 3,
            padding: [1, 3],
          },
          data: rows.map((r) => ({ name: r.name, district: r.district, value: mapValue(r) })),
        },
      ],
    };
    const hd = districts.filter((x) => !d.filters.district || x.code === d.filters.district);
    const hc = serviceCategories.filter((c) => d.heat.some((h) => h.category === c.code));
    const hmax = Math.max(1, ...d.heat.map((h) => h.count));
    // Long category names (产妇与新生儿护理（月嫂）) are cut to the column and shown whole in the tooltip; the
    // colour scale sits at the right so it never meets the labels.
    const many = hc.length > 6;
    const heat = {
      tooltip: {
        position: 'top',
        formatter: (p: { data: number[] }) => {
          const [x, y, n] = p.data;
          const c = x === undefined ? undefined : hc[x];
          const dist = y === undefined ? undefined : hd[y];
          return `${dist?.name ?? ''} · ${c ? v.category(c.code) : ''}<br/>${t('insights.heat.cell')}: ${n ?? 0}`;
        },
      },
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: hc.map((c) => v.category(c.code)),
        axisLabel: {
          interval: 0,
          rotate: many ? 35 : 0,
          fontSize: 11,
          color: '#1f2a28',
          width: many ? 84 : Math.max(56, Math.min(96, Math.floor(480 / Math.max(1, hc.length)) - 12)),
          overflow: many ? 'truncate' : 'break',
          lineHeight: 14,
        },
      },
      yAxis: { type: 'category', data: hd.map((x) => x.name), axisLabel: { color: '#1f2a28' } },
      visualMap: {
        min: 0,
        max: hmax,
        calculable: true,
        orient: 'vertical',
        right: 0,
        top: 'middle',
        itemHeight: 140,
        itemWidth: 12,
        textStyle: { color: '#1f2a28' },
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
  }, [d, t, v, mapMetric, dash]);

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
        <Kpi title={t('insights.kpi.value')} value={formatAmount(d.orders.completedValueFen)} />
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
              height={420}
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
            extra={
              <Select
                size="small"
                aria-label={t('insights.map.metric')}
                value={mapMetric}
                onChange={setMapMetric}
                popupMatchSelectWidth={false}
                data-testid="map-metric"
                options={mapMetrics.map((m) => ({ value: m, label: t(mapMetricKey[m]) }))}
              />
            }
          >
            <EChart
              option={options.map}
              maps={schematicMaps}
              label={`${t('insights.chart.map')} · ${t(mapMetricKey[mapMetric])}`}
              height={420}
              testId="chart-map"
              onClick={(p) => {
                const code = (p.data as { district?: string } | undefined)?.district;
                if (code)
                  onDrill({ kind: 'orders', district: code, category: d.filters.category ?? undefined });
              }}
            />
            <p className="muted small insights-map-note">{t('insights.map.note')}</p>
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

const PAGE_SIZES = [10, 20, 50, 100] as const;

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
  return (
    <Drawer
      open={!!drill}
      width={720}
      onClose={onClose}
      title={`${t(drill?.kind === 'companies' ? 'insights.drill.companies' : 'insights.drill.orders')} · ${scope}`}
      destroyOnClose
    >
      {period && drill?.kind === 'orders' && !drill.month && (
        <p className="muted small">{t('insights.drill.allTime')}</p>
      )}
      {/* A new drill starts again at page 1. */}
      {drill && <DrillList key={JSON.stringify(drill)} drill={drill} />}
    </Drawer>
  );
}

/**
 * One drill-down list, keyset-paged: the cursors of the pages seen are kept, so 上一页 goes back to exactly the
 * page before (served from the query cache) and the page number and total stay right.
 */
function DrillList({ drill }: { drill: Drill }) {
  const t = useT();
  const v = useVocab();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [size, setSize] = useState<number>(20);
  const cursor = cursors[cursors.length - 1];
  const limit = String(size);
  const orderQ =
    drill.kind === 'orders'
      ? { district: drill.district, category: drill.category, month: drill.month, cursor, limit }
      : {};
  const companyQ =
    drill.kind === 'companies'
      ? { district: drill.district, grade: drill.grade, status: 'active', cursor, limit }
      : {};
  const orders = useDrillOrders(orderQ, drill.kind === 'orders');
  const companies = useDrillCompanies(companyQ, drill.kind === 'companies');
  const q = drill.kind === 'companies' ? companies : orders;
  const total = q.data?.total ?? 0;
  const page = cursors.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const next = q.data?.nextCursor ?? null;
  return (
    <>
      {q.isError && <ErrorAlert error={q.error} />}
      {drill.kind === 'companies' ? (
        <Table
          rowKey="id"
          size="small"
          loading={companies.isFetching}
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
          loading={orders.isFetching}
          pagination={false}
          scroll={{ x: true }}
          dataSource={orders.data?.items ?? []}
          columns={[
            { title: t('insights.col.number'), dataIndex: 'number' },
            { title: t('insights.col.category'), render: (_, r) => v.category(r.category) },
            { title: t('insights.col.mode'), render: (_, r) => v.mode(r.mode) },
            {
              title: t('insights.col.district'),
              className: 'insights-nowrap',
              render: (_, r) => v.district(r.district),
            },
            {
              title: t('insights.col.state'),
              render: (_, r) => <Tag>{t(`orders.orderState.${r.state}` as MessageKey)}</Tag>,
            },
            { title: t('insights.col.total'), render: (_, r) => formatAmount(r.totalFen) },
            { title: t('insights.col.created'), render: (_, r) => shanghaiTime(r.createdAt) },
          ]}
        />
      )}
      {q.data && (
        <nav className="insights-pager" aria-label={t('insights.drill.pager')}>
          <Button
            disabled={page === 1 || q.isFetching}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            data-testid="drill-prev"
          >
            {t('insights.drill.prev')}
          </Button>
          <span className="muted" aria-live="polite" data-testid="drill-page">
            {t('insights.drill.page', { page, pages, total })}
          </span>
          <Button
            disabled={!next || q.isFetching}
            onClick={() => next && setCursors((c) => [...c, next])}
            data-testid="drill-next"
          >
            {t('insights.drill.more')}
          </Button>
          <Select
            aria-label={t('insights.drill.size')}
            value={size}
            onChange={(n) => {
              setSize(n);
              setCursors([undefined]);
            }}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('insights.drill.perPage', { n }) }))}
            data-testid="drill-size"
          />
        </nav>
      )}
    </>
  );
}
