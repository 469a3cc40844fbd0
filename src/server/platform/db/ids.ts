import { randomFillSync } from 'node:crypto';

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

const RANDOM_LEN = 16;
let lastTime = -1;
let lastRandom: number[] = [];

// CSPRNG bytes drawn from a pool refilled 4 KiB at a time (as crypto.randomUUID caches its entropy): one call into
// OpenSSL per 256 ids instead of one per id. 256 is a multiple of 32, so `byte % 32` stays uniform.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomDigits(len: number): number[] {
  if (poolAt + len > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const out = new Array<number>(len);
  for (let i = 0; i < len; i++) out[i] = pool[poolAt + i]! % 32;
  poolAt += len;
  return out;
}

// Within one millisecond the random part counts up (as ULID's monotonic mode does), so ids minted by one
// process sort in the order they were made and keyset pages by id follow creation order.
function nextRandom(now: number): number[] {
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomDigits(RANDOM_LEN);
    return lastRandom;
  }
  const next = [...lastRandom];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]!++;
      break;
    }
    next[i] = 0;
  }
  lastRandom = next;
  return next;
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
  'rcv',
  'wak',
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
  // training: lessons, question banks, questions, exam attempts, classes, training certificates
  'lsn',
  'qbk',
  'qst',
  'att',
  'cls',
  'tcr',
  // catalog: service item versions, guide prices
  'svi',
  'gdp',
  // orders: events, assignments, bookings, demands, offers, referrals, follow-ups
  'oev',
  'asg',
  'bkg',
  'dmd',
  'dof',
  'ref',
  'fup',
  // feedback: review reports, complaint events
  'rrp',
  'cme',
  // messaging: interviews, conversation reports, signaling relays
  'itv',
  'mrp',
  'sig',
  // insurance: products, enrolment batches, claim events
  'ipd',
  'ibt',
  'cle',
  // credit: scorecard versions, score history, appeals, list entries, evaluations, warnings
  'csc',
  'csh',
  'cap',
  'cln',
  'cev',
  'cwn',
  // contracts: templates, revisions, signatures, sign codes, terminations
  'ctp',
  'ctv',
  'ctg',
  'ctc',
  'ctt',
  // insights: rollup refreshes, monthly reports, wage survey editions and samples
  'irf',
  'irp',
  'wse',
  'wsp',
  // partners: clients, API keys, consent grants, webhook subscriptions and deliveries, partner orders
  'ptc',
  'ptk',
  'pcg',
  'pws',
  'pwd',
  'pto',
  // content: items (news, policies, notices), attachments
  'cnt',
  'cna',
  // recruitment: posts, application events, saved searches, fairs, fair registrations, cohorts
  'jp',
  'rae',
  'rss',
  'jf',
  'jfr',
  'coh',
] as const;
export type IdPrefix = (typeof idPrefixes)[number];

/** Time-ordered id: 10 chars of milliseconds then 16 random chars, so ids sort by creation for keyset paging. */
export function newId(prefix: IdPrefix): string {
  const now = Math.max(Date.now(), lastTime);
  const random = nextRandom(now);
  return `${prefix}_${encodeTime(now, 10)}${random.map((d) => CROCKFORD[d]).join('')}`;
}

export const idPattern = (prefix: IdPrefix) => new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`);
