export {
  createNotificationsService,
  type NewNotification,
  type NotificationsService,
  type NotificationView,
} from './notifications.service.js';
export { notificationsRoutes } from './notifications.routes.js';
