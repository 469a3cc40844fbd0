/**
 * Planar approximation for radius search inside one city. A point is stored as (lon × cos φ₀, lat) with
 * φ₀ = 23.13° (Guangzhou), so Euclidean distance between stored points is in degrees of latitude; one degree is
 * 111.2 km. Across Guangzhou (22.5°–23.9° N) cos φ varies by ±0.5 % around cos φ₀, so east–west distances are off
 * by at most 0.5 % (7.5 m on a 1.5 km circle); north–south distances are exact to the sphere's 0.2 %.
 * Another city gets its own φ₀ (config), or a geography column with PostGIS at national scale.
 */
export const REF_LAT = 23.13;
export const KM_PER_DEGREE = 111.195;
const K = Math.cos((REF_LAT * Math.PI) / 180);

/** The stored (scaled) point of a WGS-84 position. */
export function scaledPoint(lon: number, lat: number): { x: number; y: number } {
  return { x: lon * K, y: lat };
}

/** Metres → the `<->` units of scaled points (degrees of latitude). */
export const metresToUnits = (m: number) => m / 1000 / KM_PER_DEGREE;
/** `<->` units → metres. */
export const unitsToMetres = (u: number) => u * KM_PER_DEGREE * 1000;

/** Great-circle distance in metres (haversine), for tests and for checking the approximation. */
export function haversineMetres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}
