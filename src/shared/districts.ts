/**
 * The demo city: Guangzhou's 11 districts (GB/T 2260 codes) with approximate centres.
 * Coordinates are WGS-84; map tiles from Chinese providers use GCJ-02, so convert at the map layer.
 */
export const CITY = {
  code: '440100',
  name: '广州市',
  provinceCode: '440000',
  provinceName: '广东省',
} as const;

export interface District {
  code: string;
  name: string;
  lon: number;
  lat: number;
}

export const districts: readonly District[] = [
  { code: '440103', name: '荔湾区', lon: 113.244, lat: 23.126 },
  { code: '440104', name: '越秀区', lon: 113.267, lat: 23.129 },
  { code: '440105', name: '海珠区', lon: 113.318, lat: 23.084 },
  { code: '440106', name: '天河区', lon: 113.361, lat: 23.125 },
  { code: '440111', name: '白云区', lon: 113.273, lat: 23.22 },
  { code: '440112', name: '黄埔区', lon: 113.459, lat: 23.106 },
  { code: '440113', name: '番禺区', lon: 113.384, lat: 22.938 },
  { code: '440114', name: '花都区', lon: 113.22, lat: 23.404 },
  { code: '440115', name: '南沙区', lon: 113.525, lat: 22.801 },
  { code: '440117', name: '从化区', lon: 113.587, lat: 23.548 },
  { code: '440118', name: '增城区', lon: 113.811, lat: 23.261 },
];

export const districtCodes = districts.map((d) => d.code) as [string, ...string[]];
export const districtByCode = new Map(districts.map((d) => [d.code, d]));
