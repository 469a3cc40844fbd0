import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, cookieFrom, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { statementsOf } from '../../../../../test/support/statements.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

async function person() {
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({
    phone,
    password: 'Notify2026pass',
    name: '测试',
    roles: [{ role: 'resident' }],
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/password',
    payload: { phone, password: 'Notify2026pass' },
  });
  return { userId, cookie: cookieFrom(res) };
}
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('notifications', () => {
  test('personal and organization notices are scoped; keyset pages; read marks', async () => {
    const { notifications, orgs } = t.app.services;
    const a = await person();
    const b = await person();
    const member = await person();
    const orgId = await orgs.createOrganization(t.database.db, {
      type: 'company',
      name: '通知测试公司',
      district: '440106',
    });
    await orgs.addMember(t.database.db, { orgId, userId: member.userId, role: 'staff' });
    for (let i = 0; i < 5; i++)
      await notifications.notify({ userId: a.userId, kind: 'test.personal', title: `个人${i}`, body: 'b' });
    await notifications.notify({ orgId, kind: 'test.org', title: '企业通知', body: 'b', link: '/company' });

    const p1 = (await get('/api/v1/me/notifications?limit=2', a.cookie)).json();
    expect(p1.items.map((n: { title: string }) => n.title)).toEqual(['个人4', '个人3']);
    expect(p1.unreadCount).toBe(5);
    const p2 = (await get(`/api/v1/me/notifications?limit=2&cursor=${p1.nextCursor}`, a.cookie)).json();
    const p3 = (await get(`/api/v1/me/notifications?limit=2&cursor=${p2.nextCursor}`, a.cookie)).json();
    expect([...p2.items, ...p3.items].map((n: { title: string }) => n.title)).toEqual([
      '个人2',
      '个人1',
      '个人0',
    ]);
    expect(p3.nextCursor).toBeNull();
    expect((await get('/api/v1/me/notifications?limit=101', a.cookie)).statusCode).toBe(422);

    expect((await get('/api/v1/me/notifications', b.cookie)).json().items).toEqual([]);
    const orgList = (await get('/api/v1/me/notifications', member.cookie)).json();
    expect(orgList.items).toMatchObject([{ title: '企业通知', scope: 'organization', link: '/company' }]);

    const first = p1.items[0].id;
    const forbidden = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/notifications/${first}/read`,
      headers: { cookie: b.cookie },
      payload: {},
    });
    expect(forbidden.statusCode).toBe(404);
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/notifications/${first}/read`,
      headers: { cookie: a.cookie },
      payload: {},
    });
    expect(read.json().readAt).not.toBeNull();
    expect((await get('/api/v1/me/notifications?unread=true', a.cookie)).json().items).toHaveLength(4);
    expect((await get('/api/v1/me/notifications', a.cookie)).json().unreadCount).toBe(4);
    await expect(notifications.notify({ kind: 'x', title: 'x', body: 'x' })).rejects.toThrow();
  });

  test('one event for several recipients is one insert; ids come back in order; a bad recipient stores nothing', async () => {
    const { notifications, orgs } = t.app.services;
    const a = await person();
    const b = await person();
    const member = await person();
    const orgId = await orgs.createOrganization(t.database.db, {
      type: 'company',
      name: '批量通知公司',
      district: '440106',
    });
    await orgs.addMember(t.database.db, { orgId, userId: member.userId, role: 'admin' });
    const notice = { kind: 'order.accept', title: '订单 已接单', body: '订单状态：已接单' };
    const { result: ids, statements } = await statementsOf(t.database, () =>
      notifications.notifyMany([
        { ...notice, userId: a.userId, link: '/resident/orders/x' },
        { ...notice, orgId, link: '/company/orders/x' },
        { ...notice, userId: b.userId, link: '/worker/schedule' },
      ]),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^insert into "notification"/);
    expect(ids).toHaveLength(3);
    expect([...ids].sort()).toEqual(ids);
    const items = async (cookie: string) =>
      (await get('/api/v1/me/notifications', cookie)).json().items as {
        id: string;
        link: string;
        scope: string;
      }[];
    expect(await items(a.cookie)).toMatchObject([
      { id: ids[0], link: '/resident/orders/x', scope: 'personal' },
    ]);
    expect(await items(member.cookie)).toMatchObject([
      { id: ids[1], link: '/company/orders/x', scope: 'organization' },
    ]);
    expect(await items(b.cookie)).toMatchObject([{ id: ids[2], link: '/worker/schedule' }]);

    expect(await notifications.notifyMany([])).toEqual([]);
    await expect(
      notifications.notifyMany([{ ...notice, userId: a.userId }, { ...notice }]),
    ).rejects.toThrow();
    expect(await items(a.cookie)).toHaveLength(1);
  });
});
