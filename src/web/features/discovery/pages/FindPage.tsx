import { AimOutlined, FilterOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { Route, Routes, useNavigate } from 'react-router-dom';
import { districts } from '../../../../shared/districts';
import {
  creditGrades,
  serviceCategories,
  skillLevels,
  spokenLanguages,
  trustColors,
} from '../../../../shared/domain';
import { type MessageKey, useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { TrustBadge } from '../../certification/components';
import '../discovery.css';
import {
  type SearchParams,
  useMapMeta,
  useOrgSearch,
  useWorkerSearch,
  type WorkerHit,
} from '../discovery.api';
import { useVocab, usePrice } from '../components/labels';
import { type MapPoint, MapView } from '../components/MapView';
import CompanyPublicPage from './CompanyPublicPage';
import WorkerPublicPage from './WorkerPublicPage';

/** /resident/find: search, and the public worker and company pages under it. */
export default function FindSection() {
  return (
    <Routes>
      <Route index element={<FindPage />} />
      <Route path="workers/:id" element={<WorkerPublicPage />} />
      <Route path="companies/:id" element={<CompanyPublicPage />} />
    </Routes>
  );
}

interface Filters {
  kind: 'workers' | 'companies';
  view: 'list' | 'map';
  q?: string;
  category?: string;
  district?: string;
  radiusM?: number;
  sort?: string;
  colors: string[];
  minLevel?: string;
  minStars?: number;
  ageMin?: number;
  ageMax?: number;
  languages: string[];
  companyGrades: string[];
  dates?: [Dayjs, Dayjs] | null;
}

const radii = [1500, 3000, 5000, 10000];
const GUANGZHOU = { lon: 113.264, lat: 23.129 };

function FindPage() {
  const t = useT();
  useDocumentTitle(t('find.title'));
  const navigate = useNavigate();
  const vocab = useVocab();
  const [f, setF] = useState<Filters>({
    kind: 'workers',
    view: 'list',
    colors: ['green'],
    languages: [],
    companyGrades: [],
  });
  const [here, setHere] = useState<{ lon: number; lat: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState(false);
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<Filters>) => setF((x) => ({ ...x, ...patch }));
  const district = f.district ? districts.find((d) => d.code === f.district) : undefined;
  const centre = here ?? (district ? { lon: district.lon, lat: district.lat } : GUANGZHOU);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocError(true);
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setHere({ lon: p.coords.longitude, lat: p.coords.latitude });
        setLocError(false);
        setLocating(false);
      },
      () => {
        setLocError(true);
        setLocating(false);
      },
      { timeout: 8000, maximumAge: 300_000 },
    );
  };

  const point: SearchParams = here ? { lon: String(here.lon), lat: String(here.lat) } : {};
  // Unchosen, the server sorts by distance when it has a point (located, or a district) and by credit otherwise: the
  // field shows that order instead of a blank, and a distance sort left without a point falls back to it.
  const hasPoint = Boolean(here || f.district);
  const sort = f.sort === 'distance' && !hasPoint ? undefined : f.sort;
  const shownSort = sort ?? (hasPoint ? 'distance' : 'credit');
  const workerQuery: SearchParams = {
    q: f.q || undefined,
    category: f.category,
    district: f.district,
    ...point,
    radiusM: here && f.radiusM ? String(f.radiusM) : undefined,
    sort,
    colors: f.colors.length ? f.colors.join(',') : undefined,
    minLevel: f.minLevel,
    minStars: f.minStars ? String(f.minStars) : undefined,
    ageMin: f.ageMin ? String(f.ageMin) : undefined,
    ageMax: f.ageMax ? String(f.ageMax) : undefined,
    languages: f.languages.length ? f.languages.join(',') : undefined,
    companyGrades: f.companyGrades.length ? f.companyGrades.join(',') : undefined,
    availableFrom: f.dates?.[0]?.startOf('day').toISOString(),
    availableTo: f.dates?.[1]?.endOf('day').toISOString(),
  };
  const orgQuery: SearchParams = {
    category: f.category,
    district: here ? undefined : f.district,
    ...point,
    radiusM: here && f.radiusM ? String(f.radiusM) : undefined,
    companyGrades: f.companyGrades.length ? f.companyGrades.join(',') : undefined,
  };

  return (
    <div className="console-page find-page">
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {/* antd names the group "segmented control" in English and makes it a second Tab stop before the radios. */}
        <Segmented
          block
          aria-label={t('find.kind.label')}
          tabIndex={-1}
          value={f.kind}
          onChange={(v) => set({ kind: v as Filters['kind'] })}
          options={[
            { value: 'workers', label: t('find.kind.workers') },
            { value: 'companies', label: t('find.kind.companies') },
          ]}
        />
        {f.kind === 'workers' && (
          <Input.Search
            allowClear
            placeholder={t('find.keyword.placeholder')}
            aria-label={t('find.keyword')}
            enterButton={t('find.search')}
            onSearch={(v) => set({ q: v.trim() || undefined })}
          />
        )}
        <div className="find-toolbar">
          <Select
            allowClear
            placeholder={t('find.category')}
            aria-label={t('find.category')}
            value={f.category}
            onChange={(v) => set({ category: v })}
            options={serviceCategories.map((c) => ({ value: c.code, label: vocab.category(c.code) }))}
          />
          <Select
            allowClear
            placeholder={t('find.district')}
            aria-label={t('find.district')}
            value={f.district}
            onChange={(v) => set({ district: v })}
            options={districts.map((d) => ({ value: d.code, label: d.name }))}
          />
          <Button icon={<AimOutlined />} loading={locating} onClick={locate}>
            {here ? t('find.located') : t('find.locate')}
          </Button>
          <Button icon={<FilterOutlined />} onClick={() => setOpen(true)}>
            {t('find.filters')}
          </Button>
        </div>
        {locError && <Tag color="warning">{t('find.locateFailed')}</Tag>}
        <Segmented
          aria-label={t('find.view.label')}
          tabIndex={-1}
          value={f.view}
          onChange={(v) => set({ view: v as Filters['view'] })}
          options={[
            { value: 'list', label: t('find.view.list') },
            { value: 'map', label: t('find.view.map') },
          ]}
        />
        {f.view === 'map' ? (
          <FindMap centre={centre} query={orgQuery} showCircle={Boolean(here || district)} />
        ) : f.kind === 'workers' ? (
          <WorkerList query={workerQuery} onOpen={(id) => navigate(`workers/${id}`)} />
        ) : (
          <CompanyList query={orgQuery} onOpen={(id) => navigate(`companies/${id}`)} />
        )}
      </Space>
      <Drawer
        title={t('find.filters')}
        open={open}
        onClose={() => setOpen(false)}
        placement="bottom"
        height="85%"
      >
        <Form layout="vertical">
          <Form.Item label={t('find.radius')}>
            <Select
              allowClear
              disabled={!here}
              placeholder={here ? t('find.radius.any') : t('find.radius.needLocation')}
              value={f.radiusM}
              onChange={(v) => set({ radiusM: v })}
              options={radii.map((r) => ({ value: r, label: t('find.radius.km', { km: r / 1000 }) }))}
            />
          </Form.Item>
          <Form.Item label={t('find.sort')}>
            <Select
              value={shownSort}
              onChange={(v) => set({ sort: v })}
              data-testid="find-sort"
              options={(['distance', 'credit', 'rating', 'price'] as const)
                .filter((s) => s !== 'distance' || hasPoint)
                .map((s) => ({ value: s, label: t(`find.sort.${s}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('find.dates')}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              value={f.dates ?? null}
              onChange={(v) => set({ dates: v?.[0] && v[1] ? [v[0], v[1]] : null })}
            />
          </Form.Item>
          <Form.Item label={t('find.level')}>
            <Select
              allowClear
              value={f.minLevel}
              onChange={(v) => set({ minLevel: v })}
              options={skillLevels.map((l) => ({
                value: l.code,
                label: t('find.level.atLeast', { level: vocab.level(l.code) }),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('find.stars')}>
            <Select
              allowClear
              value={f.minStars}
              onChange={(v) => set({ minStars: v })}
              options={[1, 2, 3, 4, 5].map((s) => ({ value: s, label: t('find.stars.atLeast', { n: s }) }))}
            />
          </Form.Item>
          <Form.Item label={t('find.age')}>
            <Space.Compact block>
              <InputNumber
                min={16}
                max={80}
                placeholder={t('find.age.min')}
                value={f.ageMin}
                onChange={(v) => set({ ageMin: v ?? undefined })}
                style={{ width: '50%' }}
              />
              <InputNumber
                min={16}
                max={80}
                placeholder={t('find.age.max')}
                value={f.ageMax}
                onChange={(v) => set({ ageMax: v ?? undefined })}
                style={{ width: '50%' }}
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item label={t('find.languages')}>
            <Select
              mode="tags"
              value={f.languages}
              onChange={(v) => set({ languages: v })}
              options={spokenLanguages.map((l) => ({
                value: l.value,
                label: t(`spokenLang.${l.key}` as MessageKey),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('find.grades')}>
            <Checkbox.Group
              value={f.companyGrades}
              onChange={(v) => set({ companyGrades: v as string[] })}
              options={creditGrades.map((g) => ({ value: g, label: g }))}
            />
          </Form.Item>
          <Form.Item label={t('find.colors')} extra={t('find.colors.help')}>
            <Checkbox.Group
              value={f.colors}
              onChange={(v) => set({ colors: v as string[] })}
              options={trustColors.map((c) => ({ value: c, label: t(`portal.code.${c}`) }))}
            />
          </Form.Item>
          <Button type="primary" block onClick={() => setOpen(false)}>
            {t('find.apply')}
          </Button>
        </Form>
      </Drawer>
    </div>
  );
}

function WorkerList({ query, onOpen }: { query: SearchParams; onOpen: (id: string) => void }) {
  const t = useT();
  const res = useWorkerSearch(query);
  if (res.isPending) return <PageLoader />;
  if (res.error) return <ErrorAlert error={res.error} />;
  const items = res.data.pages.flatMap((p) => p.items);
  if (!items.length) return <Empty description={t('find.empty')} />;
  return (
    <div className="find-list">
      {items.map((w) => (
        <WorkerCard key={w.workerId} w={w} onOpen={() => onOpen(w.workerId)} />
      ))}
      {res.hasNextPage && (
        <Button block loading={res.isFetchingNextPage} onClick={() => res.fetchNextPage()}>
          {t('find.more')}
        </Button>
      )}
    </div>
  );
}

function WorkerCard({ w, onOpen }: { w: WorkerHit; onOpen: () => void }) {
  const t = useT();
  const v = useVocab();
  const price = usePrice();
  const from = Object.values(w.priceFrom).sort((a, b) => a.fen - b.fen)[0];
  return (
    <Card
      className="find-card"
      hoverable
      onClick={onOpen}
      role="link"
      tabIndex={0}
      onKeyDown={(e) => e.key === 'Enter' && onOpen()}
    >
      <div className="find-card-head">
        <strong>{w.maskedName}</strong>
        <TrustBadge color={w.color} />
      </div>
      <div className="find-card-meta">
        {[
          w.age ? t('find.age.years', { n: w.age }) : '',
          w.nativePlace ?? '',
          v.level(w.skillLevel),
          w.yearsExperience ? t('find.years', { n: w.yearsExperience }) : '',
          w.maternityStars ? t('find.stars.n', { n: w.maternityStars }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      <Space size={[4, 4]} wrap>
        {w.categories.map((c) => (
          <Tag key={c}>{v.category(c)}</Tag>
        ))}
      </Space>
      <div className="find-card-meta">
        {w.company
          ? `${w.company.name}${w.company.creditGrade ? ` · ${w.company.creditGrade}` : ''}`
          : t('find.noCompany')}
        {w.distanceM !== null
          ? ` · ${t('find.distance', { km: (w.distanceM / 1000).toFixed(1) })}`
          : ` · ${v.district(w.district)}`}
      </div>
      {from ? (
        <div className="find-price">{t('find.from', { price: price(from.fen, from.unit) })}</div>
      ) : null}
      {!w.bookable && <Tag color="error">{t('find.notBookable')}</Tag>}
    </Card>
  );
}

function CompanyList({ query, onOpen }: { query: SearchParams; onOpen: (id: string) => void }) {
  const t = useT();
  const v = useVocab();
  const res = useOrgSearch('companies', query);
  if (res.isPending) return <PageLoader />;
  if (res.error) return <ErrorAlert error={res.error} />;
  if (!res.data.items.length) return <Empty description={t('find.empty')} />;
  return (
    <div className="find-list">
      {res.data.items.map((c) => (
        <Card
          key={c.id}
          className="find-card"
          hoverable
          onClick={() => onOpen(c.id)}
          role="link"
          tabIndex={0}
          onKeyDown={(e) => e.key === 'Enter' && onOpen(c.id)}
        >
          <div className="find-card-head">
            <strong>{c.name}</strong>
            {c.creditGrade ? <Tag color="gold">{c.creditGrade}</Tag> : <Tag>{t('find.ungraded')}</Tag>}
          </div>
          <div className="find-card-meta">
            {v.district(c.district)} · {t('find.staff', { n: c.staffCount })}
            {c.distanceM !== null ? ` · ${t('find.distance', { km: (c.distanceM / 1000).toFixed(1) })}` : ''}
          </div>
          <Space size={[4, 4]} wrap>
            {c.categories.slice(0, 6).map((x) => (
              <Tag key={x}>{v.category(x)}</Tag>
            ))}
          </Space>
        </Card>
      ))}
    </div>
  );
}

/** Companies and stations on the map around the user's point (or the district/city centre). */
export function FindMap({
  centre,
  query,
  showCircle,
}: {
  centre: { lon: number; lat: number };
  query: SearchParams;
  showCircle: boolean;
}) {
  const t = useT();
  const navigate = useNavigate();
  const meta = useMapMeta();
  const companies = useOrgSearch('companies', query);
  const stations = useOrgSearch('stations', { lon: String(centre.lon), lat: String(centre.lat) });
  const points = useMemo<MapPoint[]>(
    () => [
      ...(companies.data?.items ?? []).map((c) => ({
        id: c.id,
        kind: 'company' as const,
        lon: c.lon,
        lat: c.lat,
        label: c.name,
        detail: [c.creditGrade, c.address].filter(Boolean).join(' · '),
        href: `companies/${c.id}`,
      })),
      ...(stations.data?.items ?? []).map((s) => ({
        id: s.id,
        kind: 'station' as const,
        lon: s.lon,
        lat: s.lat,
        label: s.name,
        detail: s.address ?? '',
      })),
    ],
    [companies.data, stations.data],
  );
  const open = useCallback((p: MapPoint) => p.href && navigate(p.href), [navigate]);
  if (meta.isPending) return <PageLoader />;
  if (meta.error) return <ErrorAlert error={meta.error} />;
  return (
    <div>
      <MapView meta={meta.data} center={centre} points={points} circle={showCircle} onOpen={open} />
      <div className="find-card-meta">
        <Tag color="blue">{t('find.map.companies', { n: companies.data?.items.length ?? 0 })}</Tag>
        <Tag color="green">{t('find.map.stations', { n: stations.data?.items.length ?? 0 })}</Tag>
      </div>
    </div>
  );
}
