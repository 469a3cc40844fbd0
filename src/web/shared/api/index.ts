import { getLocale } from '../i18n';
import { createApiClient } from './client';

export { ApiError, isApiError, type FieldError, type LocalizedText } from './client';

/** The app's one API client: same origin, session cookie, language from the UI. */
export const api = createApiClient({ getLocale });
