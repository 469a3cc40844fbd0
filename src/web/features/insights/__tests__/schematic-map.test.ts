import { describe, expect, it } from 'vitest';
import { districts } from '../../../../shared/districts';
import {
  cityOutline,
  clipNearer,
  contains,
  districtAnchors,
  polygonArea,
  type Pt,
  schematicDistricts,
  voronoiCells,
} from '../schematic-map';

describe('schematic district map', () => {
  it('has an anchor inside the city outline for each of the 11 districts', () => {
    expect(districts).toHaveLength(11);
    for (const d of districts) {
      const a = districtAnchors[d.code];
      expect(a, d.name).toBeDefined();
      expect(contains(cityOutline, a!), d.name).toBe(true);
    }
  });

  it('clips a square to the half nearer one point', () => {
    const square: Pt[] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ];
    const left = clipNearer(square, [0, 1], [2, 1]);
    expect(polygonArea(left)).toBeCloseTo(2, 12);
    expect(left.every(([x]) => x <= 1 + 1e-12)).toBe(true);
    expect(clipNearer(square, [-5, 1], [5, 1]).every(([x]) => x <= 1 + 1e-12)).toBe(true);
  });

  it('cuts the outline into cells that tile it, each holding its own anchor and no other', () => {
    const sites = districts.map((d) => districtAnchors[d.code]!);
    const cells = voronoiCells(cityOutline, sites);
    const total = cells.reduce((s, c) => s + polygonArea(c), 0);
    expect(total).toBeCloseTo(polygonArea(cityOutline), 9);
    cells.forEach((cell, i) => {
      expect(polygonArea(cell), districts[i]!.name).toBeGreaterThan(0);
      sites.forEach((s, j) => {
        expect(contains(cell, s), `${districts[i]!.name} ∋ ${j}`).toBe(i === j);
      });
    });
  });

  it('is a GeoJSON FeatureCollection named by district with closed rings', () => {
    const fc = schematicDistricts(districts);
    expect(fc.features.map((f) => f.properties.name)).toEqual(districts.map((d) => d.name));
    for (const f of fc.features) {
      const ring = f.geometry.coordinates[0]!;
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });
});
