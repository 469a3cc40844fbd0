import sanitizeHtml from 'sanitize-html';

/**
 * The documented allow-list for article bodies (docs/content.md). Everything else is removed: scripts and
 * their text, event handlers, style attributes and <style>, iframes, objects, forms, SVG, classes and ids.
 */
export const allowedTags = [
  'p',
  'br',
  'h2',
  'h3',
  'h4',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'code',
  'pre',
] as const;

export const allowedAttributes: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  ol: ['start'],
};

/** Link schemes kept; javascript:, data:, vbscript: and everything else lose the href. */
export const allowedSchemes = ['http', 'https', 'mailto', 'tel'];

/** Images may only come from this site's own public files (CSP allows no other image host for bodies). */
const IMAGE_SRC = /^\/api\/v1\/public\/content\/[a-z0-9-]+\/attachments\/[A-Za-z0-9_]+$/;

const transformTags: sanitizeHtml.IOptions['transformTags'] = {
  // Links open as plain navigations that pass no opener and no referrer, and carry no ranking endorsement.
  a: (tagName, attribs) => ({
    tagName,
    attribs: { ...attribs, rel: 'noopener noreferrer nofollow' },
  }),
};

const strict: sanitizeHtml.IOptions = {
  allowedTags: [...allowedTags],
  allowedAttributes: { ...allowedAttributes, a: [...(allowedAttributes.a ?? []), 'rel'] },
  allowedSchemes,
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'template', 'title'],
  transformTags,
  // An <img> whose source is not one of our own files is dropped whole.
  exclusiveFilter: (frame) => frame.tag === 'img' && !IMAGE_SRC.test(frame.attribs.src ?? ''),
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

// Serialises the input the same way without removing anything, so a difference means something was removed.
const permissive: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true,
  allowedSchemes: ['http', 'https', 'mailto', 'tel', 'javascript', 'data', 'vbscript', 'file'],
  allowProtocolRelative: true,
  transformTags,
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

export interface SanitizedBody {
  html: string;
  /** True when the sanitizer removed something (the editor is told). */
  cleaned: boolean;
  /** The visible text, for emptiness checks and summaries. */
  text: string;
}

/** Treats `input` as untrusted HTML and keeps only the allow-list. */
export function sanitizeBody(input: string): SanitizedBody {
  const html = sanitizeHtml(input, strict).trim();
  const cleaned = html !== sanitizeHtml(input, permissive).trim();
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { html, cleaned, text };
}

/** Plain text fields (title, summary, author): no markup at all, whitespace collapsed. */
export function plainText(input: string): string {
  return (
    sanitizeHtml(input, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' })
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      // Last, so an escaped entity such as `&amp;lt;` stays the text `&lt;`.
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
