/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: registration authority (1 char), organisation
 * type (1), region of the registering office (6 digits, GB/T 2260), subject identifier (9) and a check character.
 * Shared by server and browser: no Node imports.
 */
import { isProvincePrefix } from './id-card.js';

/** The 31 code characters (digits and upper-case letters without I, O, S, V, Z); the index is the value. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const FIRST17_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

// Registration authority → allowed organisation types (GB 32100-2015 annex A and later assignments).
// Authorities whose type list we do not pin accept any digit 1-9 rather than refuse real codes.
const AUTHORITY_TYPES: Readonly<Record<string, string>> = {
  '1': '1239', // 机构编制: 机关, 事业单位, 群众团体, 其他
  '2': '123456789', // 外交
  '3': '123456789', // 司法行政
  '4': '123456789', // 文化
  '5': '1239', // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': '123456789', // 旅游
  '7': '123456789', // 宗教
  '8': '123456789', // 工会
  '9': '123', // 工商/市场监管: 企业, 个体工商户, 农民专业合作社
  A: '123456789', // 中央军委改革和编制办公室
  N: '123456789', // 农业农村: 农村集体经济组织
  Y: '1', // 其他
};

/** Why a USCC was refused, checked in this order. */
export type UsccFailureReason = 'format' | 'authority' | 'type' | 'region' | 'checksum';

/** What a valid USCC tells us. */
export interface UsccInfo {
  /** 18 upper-case characters. */
  normalized: string;
  /** 登记管理部门代码, e.g. `9` for market regulation (companies), `5` for civil affairs. */
  authority: string;
  /** 机构类别代码 within the authority, e.g. `1` company, `2` individual business under authority `9`. */
  orgType: string;
  /** The 6-digit region code of the registering office. */
  regionCode: string;
  /** 主体标识码: the 9-character subject identifier (the former organisation code). */
  subjectId: string;
}

/** Result of `parseUscc`. */
export type UsccResult = { ok: true; value: UsccInfo } | { ok: false; reason: UsccFailureReason };

/** The GB 32100 check character for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  if (!FIRST17_PATTERN.test(first17)) throw new RangeError('usccCheckChar needs 17 USCC characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates and decodes a unified social credit code (spaces around it and lower case are accepted).
 * The embedded GB 11714 check of the subject identifier is not enforced: codes issued to individual
 * businesses do not all carry one.
 */
export function parseUscc(input: string): UsccResult {
  const normalized = input.trim().toUpperCase();
  if (!USCC_PATTERN.test(normalized)) return { ok: false, reason: 'format' };
  const authority = normalized[0]!;
  const orgType = normalized[1]!;
  const types = AUTHORITY_TYPES[authority];
  if (types === undefined) return { ok: false, reason: 'authority' };
  if (!types.includes(orgType)) return { ok: false, reason: 'type' };
  const regionCode = normalized.slice(2, 8);
  // Central-level bodies register under 100000; everything else under a province-level division.
  if (!/^\d{6}$/.test(regionCode) || !(regionCode === '100000' || isProvincePrefix(regionCode))) {
    return { ok: false, reason: 'region' };
  }
  if (usccCheckChar(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, reason: 'checksum' };
  return {
    ok: true,
    value: { normalized, authority, orgType, regionCode, subjectId: normalized.slice(8, 17) },
  };
}

/** Appends the check character to 17 USCC characters; for test factories and the demo seed. */
export function makeUscc(first17: string): string {
  const upper = first17.toUpperCase();
  return upper + usccCheckChar(upper);
}
