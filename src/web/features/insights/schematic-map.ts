/**
 * A schematic map of Guangzhou's 11 districts for the dashboard's choropleth (pure, no I/O).
 *
 * No boundary data with a licence that allows redistribution is reachable here (the npm packages that bundle
 * Chinese district GeoJSON carry AMap/DataV data with no rights granted), so the shapes are drawn, not surveyed:
 * a coarse city outline traced by hand at about 10 km precision, cut into one cell per district around a hand-placed
 * anchor near the district's middle (a Voronoi partition). Neighbours and relative positions are right; borders and
 * areas are not. The page says so next to the map, and the same figures are in the district table.
 */

export type Pt = readonly [lon: number, lat: number];

/** The city's outline, clockwise from the north tip of 从化 (lon, lat; WGS-84, ≈10 km precision). */
export const cityOutline: readonly Pt[] = [
  [113.6, 23.93],
  [113.8, 23.85],
  [113.95, 23.65],
  [114.05, 23.45],
  [113.98, 23.22],
  [113.9, 23.08],
  [113.72, 23.05],
  [113.62, 22.95],
  [113.68, 22.75],
  [113.62, 22.57],
  [113.45, 22.62],
  [113.38, 22.8],
  [113.25, 22.95],
  [113.16, 23.05],
  [113.16, 23.2],
  [112.98, 23.32],
  [112.98, 23.5],
  [113.15, 23.6],
  [113.3, 23.62],
  [113.42, 23.8],
  [113.5, 23.92],
];

/** One anchor per district (GB/T 2260 code), placed near the middle of its area rather than at its seat. */
export const districtAnchors: Readonly<Record<string, Pt>> = {
  '440103': [113.2, 23.08], // 荔湾
  '440104': [113.28, 23.135], // 越秀
  '440105': [113.34, 23.065], // 海珠
  '440106': [113.385, 23.17], // 天河
  '440111': [113.32, 23.33], // 白云
  '440112': [113.5, 23.18], // 黄埔
  '440113': [113.38, 22.95], // 番禺
  '440114': [113.15, 23.45], // 花都
  '440115': [113.53, 22.75], // 南沙
  '440117': [113.62, 23.7], // 从化
  '440118': [113.78, 23.35], // 增城
};

/** The part of `poly` nearer to `a` than to `b` (Sutherland–Hodgman against their perpendicular bisector). */
export function clipNearer(poly: readonly Pt[], a: Pt, b: Pt): Pt[] {
  const nx = b[0] - a[0];
  const ny = b[1] - a[1];
  const c = (nx * (a[0] + b[0])) / 2 + (ny * (a[1] + b[1])) / 2;
  const side = (p: Pt) => nx * p[0] + ny * p[1] - c; // ≤ 0 on a's side
  const out: Pt[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** Each site's cell: the outline cut down to the points nearer that site than any other. */
export function voronoiCells(outline: readonly Pt[], sites: readonly Pt[]): Pt[][] {
  return sites.map((s, i) =>
    sites.reduce<Pt[]>((cell, o, j) => (j === i ? cell : clipNearer(cell, s, o)), [...outline]),
  );
}

/** Shoelace area (absolute, in square degrees). */
export function polygonArea(poly: readonly Pt[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(a) / 2;
}

/** Whether a point lies inside a polygon (even-odd rule). */
export function contains(poly: readonly Pt[], p: Pt): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface SchematicFeature {
  type: 'Feature';
  properties: { name: string; code: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

/** The districts as a GeoJSON FeatureCollection named by district (what ECharts' registerMap takes). */
export function schematicDistricts(list: readonly { code: string; name: string }[]): {
  type: 'FeatureCollection';
  features: SchematicFeature[];
} {
  const known = list.filter((d) => districtAnchors[d.code]);
  const cells = voronoiCells(
    cityOutline,
    known.map((d) => districtAnchors[d.code]!),
  );
  return {
    type: 'FeatureCollection',
    features: known.map((d, i) => {
      const ring = cells[i]!.map(([x, y]) => [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5]);
      return {
        type: 'Feature',
        properties: { name: d.name, code: d.code },
        geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] },
      };
    }),
  };
}
