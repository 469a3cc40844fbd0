import {
  type PriceUnit,
  type ServiceCategory,
  type ServiceMode,
  serviceCategoryCodes,
  serviceModeCodes,
} from '../../../shared/domain.js';
import { priceCeilingFen, unitsOfMode } from '../../../shared/pricing.js';

export { priceCeilingFen, unitsOfMode };

export type GuideFlag = 'below' | 'above' | null;

export const isServiceCategory = (c: string): c is ServiceCategory =>
  (serviceCategoryCodes as readonly string[]).includes(c);
export const isServiceMode = (m: string): m is ServiceMode =>
  (serviceModeCodes as readonly string[]).includes(m);

export type PriceProblem =
  | { code: 'CATALOG_CATEGORY_UNKNOWN'; path: string }
  | { code: 'CATALOG_MODE_MISMATCH'; path: string }
  | { code: 'CATALOG_UNIT_MISMATCH'; path: string }
  | { code: 'CATALOG_PRICE_INVALID'; path: string; message: string };

/** Checks one price item; returns the first problem or null. Pure. */
export function checkItem(input: {
  category: string;
  mode: ServiceMode;
  unit: PriceUnit;
  priceFen: number;
  priceMaxFen?: number | null;
}): PriceProblem | null {
  if (!isServiceCategory(input.category)) return { code: 'CATALOG_CATEGORY_UNKNOWN', path: 'category' };
  // The 26-day package is the 月嫂 service; other categories are not sold that way.
  if (input.mode === 'maternity' && input.category !== 'maternity')
    return { code: 'CATALOG_MODE_MISMATCH', path: 'mode' };
  if (!unitsOfMode[input.mode].includes(input.unit)) return { code: 'CATALOG_UNIT_MISMATCH', path: 'unit' };
  return checkRange(input.unit, input.priceFen, input.priceMaxFen ?? null, 'priceFen', 'priceMaxFen');
}

/** Checks a price or range against the unit's ceiling: positive integers, max ≥ min, both ≤ ceiling. Pure. */
export function checkRange(
  unit: PriceUnit,
  min: number,
  max: number | null,
  minPath: string,
  maxPath: string,
): PriceProblem | null {
  const ceiling = priceCeilingFen[unit];
  if (!Number.isInteger(min) || min <= 0)
    return {
      code: 'CATALOG_PRICE_INVALID',
      path: minPath,
      message: 'must be a positive whole number of fen',
    };
  if (min > ceiling)
    return {
      code: 'CATALOG_PRICE_INVALID',
      path: minPath,
      message: `must not exceed ${ceiling} fen per ${unit}`,
    };
  if (max !== null) {
    if (!Number.isInteger(max) || max < min)
      return {
        code: 'CATALOG_PRICE_INVALID',
        path: maxPath,
        message: 'must be a whole number not below the price',
      };
    if (max > ceiling)
      return {
        code: 'CATALOG_PRICE_INVALID',
        path: maxPath,
        message: `must not exceed ${ceiling} fen per ${unit}`,
      };
  }
  return null;
}

/**
 * Where a price (or range) sits against a guide range: 'below' when it starts under the guide minimum,
 * 'above' when it reaches over the guide maximum, null inside or without a guide. Pure.
 */
export function guideFlagOf(
  priceFen: number,
  priceMaxFen: number | null,
  guide: { minFen: number; maxFen: number } | null,
): GuideFlag {
  if (!guide) return null;
  if (priceFen < guide.minFen) return 'below';
  if ((priceMaxFen ?? priceFen) > guide.maxFen) return 'above';
  return null;
}

/** The calendar day in Asia/Shanghai (UTC+8, no DST) as YYYY-MM-DD. */
export const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
