// Shared pieces of the assurance suites: the suite contract and a few real-route fixtures (company, price item,
// booking) built the same way the orders module's own tests build them.
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../test/app.js';
import type { PrincipalWorld } from '../../test/support/principals.js';
import type { WalkResult } from '../../test/support/authz-walk.js';

export type EngineName = 'pglite' | 'postgres';
export interface SuiteResult {
  name: string;
  passed: boolean;
  line: string;
  figures: Record<string, number>;
  details: string[];
  /** Real product gaps this suite reports without failing the run (listed in docs/security.md, "Known gaps"). */
  knownGaps?: string[];
}
export interface Ctx {
  t: TestApp;
  world: PrincipalWorld;
  full: boolean;
  seed: number;
  engine: EngineName;
  /** One walk of the matrix shared by the suites that read it (authz, headers). */
  walk(): Promise<WalkResult>;
}
export type Suite = (ctx: Ctx) => Promise<SuiteResult>;

const HOUR = 3600_000;

export function inject(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie?: string,
  payload?: object,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    ...(payload ? { payload } : {}),
  });
}

/** A quarter-hour instant at least `hours` after the test clock. */
export function slot(t: TestApp, hours: number): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((t.clock.now.getTime() + hours * HOUR) / q) * q).toISOString();
}

/** Publishes an hourly cleaning price for the company (POST /orgs/:orgId/service-items). */
export async function priceItem(t: TestApp, co: { orgId: string; cookie: string }): Promise<string> {
  const res = await inject(t, 'POST', `/api/v1/orgs/${co.orgId}/service-items`, co.cookie, {
    category: 'cleaning',
    mode: 'hourly',
    priceFen: 5000,
    title: '日常保洁（2小时起）',
  });
  if (res.statusCode !== 201) throw new Error(`price item failed: ${res.body}`);
  return res.json().id as string;
}

export const hourly = (
  itemId: string,
  workerId: string | null,
  startAt: string,
  hours = 2,
  address = '广州市天河区林和西路100号3栋1201',
) => ({
  priceItemId: itemId,
  workerId,
  schedule: { mode: 'hourly', startAt, hours },
  address,
  district: '440106',
  note: '家里有猫',
});

export function book(t: TestApp, cookie: string, body: object, key?: string) {
  return inject(t, 'POST', '/api/v1/orders', cookie, body, key ? { 'idempotency-key': key } : {});
}

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await t.app.database.raw.query<{ n: string | number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A fixture step's answer, or a loud failure naming the step: a step that did not happen would otherwise show only as
 * its routes' 404s or as "not exercised", hiding the cause.
 */
export function must(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status)
    throw new Error(`fixture step ${what} failed: ${res.statusCode} ${res.body}`);
  return res as { statusCode: number; body: string; json(): { id: string } & Record<string, unknown> };
}

export const codeOf = (res: LightMyRequestResponse): string | undefined => {
  try {
    return (res.json() as { code?: string }).code;
  } catch {
    return undefined;
  }
};

export const HOUR_MS = HOUR;
