// Verifies a certificate and reads the public statistics with a partner key.
//   ANXIN_BASE_URL=http://localhost:3000 ANXIN_API_KEY=ak_… CERT_NUMBER=AX… npx tsx examples/verify.ts
import { createAnxinClient } from '../index.js';

const baseUrl = process.env.ANXIN_BASE_URL ?? 'http://localhost:3000';
const apiKey = process.env.ANXIN_API_KEY;
if (!apiKey) {
  console.error('set ANXIN_API_KEY to a partner key (ak_…)');
  process.exit(2);
}
const anxin = createAnxinClient({ baseUrl, apiKey });

const stats = await anxin.GET('/api/partner/v1/statistics');
if (stats.error) {
  console.error(`statistics refused: ${stats.error.code} ${stats.error.message['zh-CN']}`);
  process.exit(1);
}
const out: Record<string, unknown> = { activeCompanies: stats.data.activeCompanies };

const number = process.env.CERT_NUMBER;
if (number) {
  const res = await anxin.GET('/api/partner/v1/certificates/verify', { params: { query: { number } } });
  if (res.error) out.certificate = { error: res.error.code };
  else out.certificate = { number: res.data.number, color: res.data.color, state: res.data.state };
}
console.log(JSON.stringify(out));
