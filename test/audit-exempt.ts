/**
 * Write routes that may succeed without an audit row, each with the reason. 等保 L3-CES1-12 asks that every user's
 * important actions and every security event be audited; the writes below are neither: they are the caller's own
 * conversation content or reading marks, or drafts and preferences that change nothing for anyone else, and each is
 * its own record (sender or owner, time) where it is stored. Reviewed on its own: the `audit-trail` assure suite
 * fails when a successful write on a route not listed here left no audit row carrying its request id, when a listed
 * route did write one, or when a key names no route.
 */
export const auditExempt: Readonly<Record<string, string>> = {
  // Messaging: the message row is the record (sender, conversation, seq, time; it is never edited), and a report of
  // the conversation opens it to the regulator, audited per read (messaging.report_read). Auditing each message
  // would copy every conversation into the audit trail. Opening, blocking, reporting and review are audited.
  'POST /api/v1/conversations/:id/messages': 'a chat message: the stored message is its own immutable record',
  'POST /api/v1/conversations/:id/images':
    'a chat image: the stored message (sender, time, stripped image) is its own record',
  'POST /api/v1/conversations/:id/read':
    'a read receipt (the reader’s own last-read mark), no one else’s data',
  'POST /api/v1/me/notifications/:id/read': 'marks the caller’s own notice read; no one else’s data',
  // The worker's own job-search filters: preferences with no effect on anyone else (in the worker's export).
  'POST /api/v1/workers/me/recruitment/saved-searches':
    'the worker’s own saved job-search filter (a preference)',
  'DELETE /api/v1/workers/me/recruitment/saved-searches/:id':
    'the worker deletes their own saved job-search filter',
  // Exam autosave: answers of an open attempt saved while the worker works; the graded submission or expiry that
  // closes the attempt (with the answers it counted) is the audited event.
  'PUT /api/v1/workers/me/training/attempts/:id/answers':
    'autosave of an open exam attempt’s draft answers; closing the attempt is audited',
  // Reads sent as POST (a body too large or too structured for a query string): nothing is stored.
  'POST /api/v1/contracts/verify':
    'public check of a number (and PDF) against the filed contract: a read, stores nothing',
};
