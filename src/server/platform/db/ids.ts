import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number, len: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < len; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(len: number): string {
  const bytes = randomBytes(len);
  let out = '';
  for (let i = 0; i < len; i++) out += CROCKFORD[bytes[i]! % 32];
  return out;
}

/** Known id prefixes; one per entity kind so an id says what it is (`usr_…`, `org_…`). */
export const idPrefixes = [
  'usr',
  'ses',
  'acc',
  'ver',
  'org',
  'mem',
  'rol',
  'aud',
  'obx',
  'fil',
  'idm',
  'thr',
  'wk',
  'co',
  'doc',
  'crt',
  'ord',
  'ctr',
  'rev',
  'cmp',
  'pol',
  'clm',
  'job',
  'app',
  'crs',
  'exm',
  'msg',
  'cnv',
  'ntf',
  // orgs: invitations, review history
  'inv',
  'orv',
  // workers: consent, employment, background check, training record
  'wkc',
  'emp',
  'bgc',
  'trn',
  // efile: grants, access requests, deletion requests
  'egr',
  'ear',
  'edr',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

/** Time-ordered id: 10 chars of milliseconds then 16 random chars, so ids sort by creation for keyset paging. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${encodeTime(Date.now(), 10)}${encodeRandom(16)}`;
}

export const idPattern = (prefix: IdPrefix) => new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`);
