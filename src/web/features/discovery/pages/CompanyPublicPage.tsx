import { Card, Descriptions, Empty, List, Space, Tag } from 'antd';
import { useParams } from 'react-router-dom';
import { useT } from '../../../shared/i18n';
import { BackLink } from '../../../shared/ui/BackLink';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { PublicReviews } from '../../feedback/components';
import '../discovery.css';
import { type CompanyProfile, useCompanyProfile, useMapMeta } from '../discovery.api';
import { GuideFlagTag, usePrice, useVocab } from '../components/labels';
import { MapView } from '../components/MapView';

/** /resident/find/companies/:id — grade, published prices (with guide flags), staff count, address and map, reviews. */
export default function CompanyPublicPage() {
  const { id = '' } = useParams();
  const res = useCompanyProfile(id);
  if (res.isPending) return <PageLoader />;
  if (res.error) return <ErrorAlert error={res.error} />;
  return <Company c={res.data} />;
}

function Company({ c }: { c: CompanyProfile }) {
  const t = useT();
  const v = useVocab();
  const price = usePrice();
  const meta = useMapMeta();
  useDocumentTitle(c.name);
  return (
    <div className="console-page">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <BackLink to="../..">{t('find.back')}</BackLink>
        <Card>
          <div className="find-card-head">
            <h2 style={{ margin: 0 }}>{c.name}</h2>
            {c.creditGrade ? <Tag color="gold">{c.creditGrade}</Tag> : <Tag>{t('find.ungraded')}</Tag>}
          </div>
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('find.district')}>{v.district(c.district)}</Descriptions.Item>
            {c.address && <Descriptions.Item label={t('find.address')}>{c.address}</Descriptions.Item>}
            <Descriptions.Item label={t('find.staffCount')}>
              {t('find.staff', { n: c.staffCount })}
            </Descriptions.Item>
            {c.model && (
              <Descriptions.Item label={t('find.model')}>
                {t(c.model === 'employee' ? 'find.model.employee' : 'find.model.agency')}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space size={[4, 4]} wrap>
            {c.categories.map((x) => (
              <Tag key={x} color="blue">
                {v.category(x)}
              </Tag>
            ))}
          </Space>
          {c.description && <p style={{ marginTop: 8 }}>{c.description}</p>}
        </Card>
        <Card size="small" title={t('find.prices')}>
          {c.items.length === 0 ? (
            <Empty description={t('find.prices.none')} />
          ) : (
            <List
              dataSource={c.items}
              renderItem={(i) => (
                <List.Item>
                  <List.Item.Meta
                    title={i.title}
                    description={
                      <Space size={4} wrap>
                        <span className="find-price">{price(i.priceFen, i.unit, i.priceMaxFen)}</span>
                        <Tag>{v.category(i.category)}</Tag>
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
        {c.location && meta.data && (
          <Card size="small" title={t('find.map.where')}>
            <MapView
              meta={meta.data}
              center={c.location}
              circle={false}
              height={240}
              points={[
                {
                  id: c.id,
                  kind: 'company',
                  lon: c.location.lon,
                  lat: c.location.lat,
                  label: c.name,
                  detail: c.address ?? '',
                },
              ]}
            />
          </Card>
        )}
        <PublicReviews kind="companies" id={c.id} />
      </Space>
    </div>
  );
}
