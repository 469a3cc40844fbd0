import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import L from './leaflet-global';
import 'leaflet.markercluster';
import { useEffect, useRef } from 'react';
import { useT } from '../../../shared/i18n';
import type { MapMeta } from '../discovery.api';

export interface MapPoint {
  id: string;
  kind: 'company' | 'station';
  lon: number;
  lat: number;
  label: string;
  detail?: string;
  href?: string;
}

/**
 * A Leaflet map: clustered markers for companies and stations, the "15-minute service circle" around `center`.
 * Tiles come from config; when they cannot load (no internet), markers and the circle still show on a blank map.
 */
export function MapView({
  meta,
  center,
  points,
  circle = true,
  height = 420,
  onOpen,
}: {
  meta: MapMeta;
  center: { lon: number; lat: number };
  points: MapPoint[];
  circle?: boolean;
  height?: number;
  onOpen?: (p: MapPoint) => void;
}) {
  const t = useT();
  const box = useRef<HTMLElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.MarkerClusterGroup | null>(null);
  const ring = useRef<L.Circle | null>(null);

  useEffect(() => {
    if (!box.current || map.current) return;
    const m = L.map(box.current, { zoomControl: true, attributionControl: true }).setView(
      [center.lat, center.lon],
      13,
    );
    L.tileLayer(meta.tileUrl, { attribution: meta.attribution, maxZoom: 19 }).addTo(m);
    layer.current = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 }).addTo(m);
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, [meta.tileUrl, meta.attribution, center.lat, center.lon]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    m.setView([center.lat, center.lon], m.getZoom());
    ring.current?.remove();
    ring.current = circle
      ? L.circle([center.lat, center.lon], {
          radius: meta.serviceCircleM,
          color: '#1677ff',
          weight: 2,
          fillOpacity: 0.08,
        })
          .bindTooltip(t('find.map.circle', { km: (meta.serviceCircleM / 1000).toFixed(1) }))
          .addTo(m)
      : null;
  }, [center.lat, center.lon, circle, meta.serviceCircleM, t]);

  useEffect(() => {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    for (const p of points) {
      const icon = L.divIcon({
        className: `map-pin map-pin-${p.kind}`,
        html: `<span aria-hidden="true">${p.kind === 'station' ? t('map.marker.station') : t('map.marker.company')}</span>`,
        iconSize: [26, 26],
        iconAnchor: [13, 13],
      });
      const marker = L.marker([p.lat, p.lon], { icon, title: p.label, alt: p.label, keyboard: true });
      const popup = document.createElement('div');
      const strong = document.createElement('strong');
      strong.textContent = p.label;
      popup.append(strong);
      if (p.detail) {
        const d = document.createElement('div');
        d.textContent = p.detail;
        popup.append(d);
      }
      if (onOpen && p.href) {
        const a = document.createElement('a');
        a.href = p.href;
        a.textContent = t('find.map.open');
        a.addEventListener('click', (e) => {
          e.preventDefault();
          onOpen(p);
        });
        popup.append(a);
      }
      marker.bindPopup(popup);
      group.addLayer(marker);
    }
  }, [points, onOpen, t]);

  return <section ref={box} className="find-map" style={{ height }} aria-label={t('find.map.label')} />;
}
