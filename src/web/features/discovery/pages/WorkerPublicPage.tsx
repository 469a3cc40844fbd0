import { Alert, Button, Card, Descriptions, Empty, List, Space, Tag } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { MessageButton } from '../../messaging/MessageButton';
import { useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { TrustBadge } from '../../certification/components';
import { PublicReviews } from '../../feedback/components';
import '../discovery.css';
import { useWorkerProfile, type WorkerProfile } from '../discovery.api';
import { GuideFlagTag, usePrice, useVocab } from '../components/labels';

/** /resident/find/workers/:id — the public part of a certified worker's file, prices, calendar, reviews. */
export default function WorkerPublicPage() {
  const { id = '' } = useParams();
  const res = useWorkerProfile(id);
  if (res.isPending) return <PageLoader />;
  if (res.error) return <ErrorAlert error={res.error} />;
  return <Profile w={res.data} />;
}

function Profile({ w }: { w: WorkerProfile }) {
  const t = useT();
  const v = useVocab();
  const price = usePrice();
  useDocumentTitle(w.maskedName);
  return (
    <div className="console-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to="../..">{t('find.back')}</BackLink>
        <Card>
          <div className="find-card-head">
            <h2 style={{ margin: 0 }}>{w.maskedName}</h2>
            <TrustBadge color={w.color} />
          </div>
          {!w.bookable && (
            <Alert type="warning" showIcon message={t('find.notBookable.long')} style={{ marginTop: 8 }} />
          )}
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            {w.certificateNumber && (
              <Descriptions.Item label={t('find.certNo')}>{w.certificateNumber}</Descriptions.Item>
            )}
            {w.age && (
              <Descriptions.Item label={t('find.age')}>{t('find.age.years', { n: w.age })}</Descriptions.Item>
            )}
            {w.nativePlace && (
              <Descriptions.Item label={t('find.nativePlace')}>{w.nativePlace}</Descriptions.Item>
            )}
            {w.skillLevel && (
              <Descriptions.Item label={t('find.level')}>{v.level(w.skillLevel)}</Descriptions.Item>
            )}
            {w.maternityStars ? (
              <Descriptions.Item label={t('find.stars')}>
                {t('find.stars.n', { n: w.maternityStars })}
              </Descriptions.Item>
            ) : null}
            {w.yearsExperience ? (
              <Descriptions.Item label={t('find.experience')}>
                {t('find.years', { n: w.yearsExperience })}
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('find.languages')}>
              {w.languages.join(t('common.listSep')) || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('find.district')}>{v.district(w.district)}</Descriptions.Item>
            <Descriptions.Item label={t('find.company')}>
              {w.company ? (
                <Link to={`../../companies/${w.company.id}`} className="tap-link">
                  {w.company.name}
                  {w.company.creditGrade ? ` · ${w.company.creditGrade}` : ''}
                </Link>
              ) : (
                t('find.noCompany')
              )}
            </Descriptions.Item>
          </Descriptions>
          <Space size={[4, 4]} wrap>
            {w.categories.map((c) => (
              <Tag key={c} color="blue">
                {v.category(c)}
              </Tag>
            ))}
          </Space>
          {w.intro && <p style={{ marginTop: 8 }}>{w.intro}</p>}
          <div style={{ marginTop: 8 }}>
            <MessageButton input={{ context: 'profile', workerId: w.workerId }} />
          </div>
        </Card>
        <Card size="small" title={t('find.prices')}>
          {w.items.length === 0 ? (
            <Empty description={t('find.prices.none')} />
          ) : (
            <List
              dataSource={w.items}
              renderItem={(i) => (
                <List.Item
                  actions={
                    w.bookable
                      ? [
                          <Link
                            key="book"
                            to={`/resident/orders/new?worker=${encodeURIComponent(w.workerId)}&item=${encodeURIComponent(i.id)}`}
                          >
                            <Button type="primary" size="small">
                              {t('find.book')}
                            </Button>
                          </Link>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={i.title}
                    description={
                      <Space size={4} wrap>
                        <span className="find-price">{price(i.priceFen, i.unit, i.priceMaxFen)}</span>
                        <Tag>{v.mode(i.mode)}</Tag>
                        <GuideFlagTag flag={i.guideFlag} />
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
        <Card size="small" title={t('find.calendar')}>
          <Calendar from={w.availability.from} busy={w.availability.busy} />
          {!w.availability.known && <div className="find-card-meta">{t('find.calendar.unknown')}</div>}
        </Card>
        <PublicReviews kind="workers" id={w.workerId} />
      </Space>
    </div>
  );
}

/** 60 days from today; a day touched by a busy period is struck through. */
function Calendar({ from, busy }: { from: string; busy: { from: string; to: string }[] }) {
  const t = useT();
  const start = new Date(from);
  const days = Array.from({ length: 60 }, (_, i) => new Date(start.getTime() + i * 86_400_000));
  const key = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const busyDays = new Set<string>();
  for (const b of busy)
    for (let d = new Date(b.from); d < new Date(b.to); d = new Date(d.getTime() + 86_400_000))
      busyDays.add(key(d));
  return (
    <ul className="find-calendar" aria-label={t('find.calendar')}>
      {days.map((d) => {
        const k = key(d);
        const isBusy = busyDays.has(k);
        return (
          <li
            key={k}
            className={`find-calendar-day${isBusy ? ' busy' : ''}`}
            title={isBusy ? t('find.calendar.busy') : t('find.calendar.free')}
          >
            {Number(k.slice(5, 7))}/{Number(k.slice(8))}
          </li>
        );
      })}
    </ul>
  );
}
