import { Card, Empty, List, Select, Statistic, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import EChart from '../EChart';
import { usePublicSurvey } from '../insights.api';
import { positionKey } from '../positions';
import { shanghaiTime, useVocab } from '../vocab';
import '../insights.css';
import { formatAmount } from '../../../shared/money';

/** /wages (public, phone-first): the published wage and price survey by position and district; thin cells hidden. */
export default function WagesPage() {
  const t = useT();
  const v = useVocab();
  useDocumentTitle(t('insights.wages.title'));
  const [edition, setEdition] = useState<string | undefined>();
  const [position, setPosition] = useState('nanny');
  const q = usePublicSurvey(edition);
  const s = q.data;
  const cells = useMemo(() => (s ? s.cells.filter((c) => c.position === position) : []), [s, position]);
  const city = cells.find((c) => c.district === '');
  const rows = cells.filter((c) => c.district !== '');
  const unit = t(cells[0]?.unit === 'hour' ? 'insights.unit.hour' : 'insights.unit.month');
  const shown = rows.filter((c) => !c.hidden);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 56, right: 12, top: 8, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { fontSize: 10 } },
      yAxis: { type: 'category', data: shown.map((c) => v.district(c.district)), inverse: true },
      series: [
        // An invisible base up to P25, then the P25–P75 band, then the median as a marker.
        {
          type: 'bar',
          stack: 'r',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: shown.map((c) => (c.p25Fen ?? 0) / 100),
        },
        {
          type: 'bar',
          stack: 'r',
          name: t('insights.wages.band'),
          itemStyle: { color: '#8fb3e0' },
          data: shown.map((c) => ((c.p75Fen ?? 0) - (c.p25Fen ?? 0)) / 100),
        },
        {
          type: 'scatter',
          name: t('insights.wages.median'),
          symbol: 'diamond',
          symbolSize: 12,
          itemStyle: { color: '#163e6e' },
          data: shown.map((c) => (c.p50Fen ?? 0) / 100),
        },
      ],
    }),
    [shown, t, v],
  );
  return (
    <Card className="insights-public">
      <h1>{t('insights.wages.title')}</h1>
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <ErrorAlert error={q.error} />
      ) : !s ? (
        <Empty />
      ) : (
        <>
          <p className="muted">
            {t('insights.wages.edition', { title: s.title, from: s.periodFrom, to: s.periodTo })}
            <br />
            {t('insights.wages.published', { time: shanghaiTime(s.publishedAt) })}
          </p>
          <div className="insights-public-controls">
            {s.editions.length > 1 && (
              <div className="insights-public-field">
                <span>{t('insights.wages.pickEdition')}</span>
                <Select
                  value={s.id}
                  onChange={setEdition}
                  options={s.editions.map((e) => ({ value: e.id, label: e.title }))}
                  aria-label={t('insights.wages.pickEdition')}
                />
              </div>
            )}
            <div className="insights-public-field">
              <span>{t('insights.wages.pickPosition')}</span>
              <Select
                value={position}
                onChange={setPosition}
                aria-label={t('insights.wages.pickPosition')}
                options={s.positions.map((p) => ({ value: p.code, label: t(positionKey(p.code)) }))}
              />
            </div>
          </div>
          {city && !city.hidden ? (
            <div className="insights-public-city" data-testid="wages-city">
              <Statistic
                title={t('insights.wages.cityMedian', { unit })}
                value={formatAmount(city.p50Fen ?? 0)}
              />
              <span className="muted small">
                {t('insights.wages.range', {
                  p25: formatAmount(city.p25Fen ?? 0),
                  p75: formatAmount(city.p75Fen ?? 0),
                })}
                {' · '}
                {t('insights.wages.samples', { n: city.sampleCount ?? 0 })}
              </span>
            </div>
          ) : (
            <p className="muted">{t('insights.wages.cityHidden')}</p>
          )}
          {shown.length > 0 && (
            <EChart
              option={option}
              label={t('insights.wages.chart', { unit })}
              height={Math.max(160, 36 * shown.length + 40)}
              testId="wages-chart"
            />
          )}
          <List
            className="insights-public-list"
            dataSource={rows}
            renderItem={(c) => (
              <List.Item data-testid="wages-row">
                <span className="insights-public-district">{v.district(c.district)}</span>
                {c.hidden ? (
                  <Tag>{t('insights.wages.hidden')}</Tag>
                ) : (
                  <span className="insights-public-figures">
                    <strong>
                      {t('insights.wages.medianOf', { value: formatAmount(c.p50Fen ?? 0), unit })}
                    </strong>
                    <span className="muted small">
                      {t('insights.wages.range', {
                        p25: formatAmount(c.p25Fen ?? 0),
                        p75: formatAmount(c.p75Fen ?? 0),
                      })}
                      {' · '}
                      {t('insights.wages.samples', { n: c.sampleCount ?? 0 })}
                    </span>
                  </span>
                )}
              </List.Item>
            )}
          />
          <p className="muted small">{t('insights.wages.note', { n: s.minSamples })}</p>
        </>
      )}
    </Card>
  );
}
