export {
  createNotificationsService,
  type NewNotification,
  type NewNotificationSql,
  notifyManySql,
  type NotificationsService,
  type NotificationView,
} from './notifications.service.js';
export { notificationsRoutes } from './notifications.routes.js';
