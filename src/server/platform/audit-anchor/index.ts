/** Signed checkpoints of the audit chain written outside the database, and their verification. */
export {
  type AnchorRecord,
  anchorMessage,
  type AuditAnchorer,
  ChainBrokenError,
  createAuditAnchorer,
  walkChain,
} from './audit-anchor.js';
export { type AnchorLine, type AnchorSink, createDirSink, readAnchorDir } from './sink.js';
export { type AnchorProblem, type AnchorReport, verifyAnchors } from './verify-anchors.js';
