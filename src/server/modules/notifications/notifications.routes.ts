import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NotificationsService } from './notifications.service.js';

const view = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  scope: z.enum(['personal', 'organization']),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

/** /api/v1/me/notifications: the caller's and their organizations' notices. */
export function notificationsRoutes(svc: NotificationsService) {
  return async function plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];
    r.get('/me/notifications', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'My notifications and those of my organizations, newest first',
        querystring: z.strictObject({
          cursor: z.string().max(40).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          unread: z.enum(['true', 'false']).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(view),
            nextCursor: z.string().nullable(),
            unreadCount: z.number().int(),
          }),
        },
      },
      handler: async (req) =>
        svc.listMine(req.actor!, {
          cursor: req.query.cursor,
          limit: req.query.limit,
          unreadOnly: req.query.unread === 'true',
        }),
    });
    r.post('/me/notifications/:id/read', {
      config: { authz: { roles: 'any' } },
      schema: {
        tags,
        summary: 'Mark a notification read',
        params: z.strictObject({ id: z.string().min(1).max(40) }),
        response: { 200: view },
      },
      handler: async (req) => svc.markRead(req.actor!, req.params.id),
    });
  };
}
