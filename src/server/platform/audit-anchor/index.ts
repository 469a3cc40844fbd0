/** Signed checkpoints of the audit chain written outside the database, and their verification. */
export {
  type AnchorRecord,
  anchorMessage,
  type AuditAnchorer,
  ChainBrokenError,
  createAuditAnchorer,
  walkChain,
} from './audit-anchor.js';
export { missingFromSink } from './cross-check.js';
export { pendingSinks } from './delivery.js';
export {
  AnchorSinkError,
  anchorId,
  anchorUrlProblem,
  createHttpsSink,
  type HttpsSinkOptions,
} from './https-sink.js';
export { type AnchorLine, type AnchorSink, anchorLine, createDirSink, readAnchorDir } from './sink.js';
export { type AnchorProblem, type AnchorReport, verifyAnchors } from './verify-anchors.js';
