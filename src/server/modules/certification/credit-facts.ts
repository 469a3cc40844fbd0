import { type SQL, sql } from 'drizzle-orm';
import { certificate } from './certification.tables.js';

/**
 * Each worker's live 安心服务证 state for the credit scorecard, as a subquery for FROM: worker_id, cert_state
 * ('active' when active and valid at `asOf`, 'suspended', or 'expired'). Workers with none (or only revoked
 * ones) are absent.
 */
export function certificateCreditSql(asOf: Date): SQL {
  return sql`select ${certificate.workerId} as worker_id,
    case when ${certificate.state} = 'active' and ${certificate.validUntil} > ${asOf.toISOString()}::timestamptz then 'active'
         when ${certificate.state} = 'suspended' then 'suspended' else 'expired' end as cert_state
    from ${certificate} where ${certificate.state} <> 'revoked'`;
}
