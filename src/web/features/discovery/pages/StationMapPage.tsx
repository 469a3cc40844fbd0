import { Empty } from 'antd';
import { useT } from '../../../shared/i18n';
import { ErrorAlert } from '../../../shared/ui/ErrorAlert';
import { PageLoader } from '../../../shared/ui/PageLoader';
import { useDocumentTitle } from '../../../shared/ui/useDocumentTitle';
import { useMe } from '../../identity/identity.api';
import { useOrgSearch } from '../discovery.api';
import { FindMap } from './FindPage';

/** /station/map: companies and stations around the station, with its 15-minute service circle. */
export default function StationMapPage() {
  const t = useT();
  useDocumentTitle(t('find.station.title'));
  const me = useMe().data;
  const stationId = me?.memberships.find((m) => m.orgType === 'station')?.orgId;
  const station = useOrgSearch('stations', { id: stationId }, Boolean(stationId));
  if (!stationId) return <Empty description={t('find.station.none')} />;
  if (station.isPending) return <PageLoader />;
  if (station.error) return <ErrorAlert error={station.error} />;
  const s = station.data.items[0];
  if (!s) return <Empty description={t('find.station.noLocation')} />;
  return (
    <div className="console-page">
      <h2>{s.name}</h2>
      <FindMap
        centre={{ lon: s.lon, lat: s.lat }}
        query={{ lon: String(s.lon), lat: String(s.lat), radiusM: '5000' }}
        showCircle
      />
    </div>
  );
}
