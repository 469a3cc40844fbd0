export { contentCategories, type ContentCategory } from './content-categories.js';
export { contentActions, contentStates, type ContentAction, type ContentState } from './content-status.js';
export {
  type ContentEditorView,
  type ContentService,
  createContentService,
} from './content.service.js';
export { contentRoutes } from './content.routes.js';
export { seedContent, type ContentSeedInput } from './content.seed.js';
/** The rich-text allow-list sanitiser (docs/content.md), shared with training lessons. */
export { sanitizeBody, type SanitizedBody } from './sanitize.js';
