import { AppError } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { CertificationService } from './certification.service.js';
import type { TrustFactsSource } from './trust-facts.js';
import { addDays, evaluateChecks } from './trust-status.js';

const revokeReasons = ['服务中发生严重投诉，经调查属实', '提供虚假健康证明', '多次无故爽约，经约谈仍未改正'];

/**
 * Demo city: certifies every worker who passes all checks; a worker whose only gap is an expired health
 * certificate gets one issued while it was still valid (so the code shows yellow); every 15th is revoked.
 */
export async function seedCertificates(
  svc: CertificationService,
  workers: TrustFactsSource,
  ctx: RequestContext,
  now: Date,
): Promise<{ issued: number; healthExpired: number; revoked: number }> {
  // Every worker with an approved health certificate is a candidate; the others cannot pass anyway.
  const ids = (await workers.listWorkerIdsWithHealthExpiringBetween('2000-01-01', '2999-12-31')).sort();
  let issued = 0;
  let healthExpired = 0;
  let revoked = 0;
  for (const id of ids) {
    const facts = await workers.trustFacts(id);
    if (!facts) continue;
    const failing = evaluateChecks(facts, now).filter((c) => !c.ok);
    let asOf: Date | undefined;
    if (failing.length === 1 && failing[0]!.key === 'health' && facts.health.validUntil) {
      asOf = new Date(`${addDays(facts.health.validUntil, -200)}T02:00:00Z`);
      healthExpired++;
    } else if (failing.length) continue;
    // Seeding again leaves already certified workers alone.
    const cert = await svc.issue(ctx, id, asOf ? { asOf } : {}).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'CERT_ALREADY_ISSUED') return null;
      throw e;
    });
    if (!cert) continue;
    issued++;
    if (!asOf && issued % 15 === 0) {
      await svc.revoke(ctx, cert.id, revokeReasons[revoked % revokeReasons.length]!);
      revoked++;
    }
  }
  return { issued, healthExpired, revoked };
}
