// The ASVS 5.0 L2 checklist (test/asvs-checklist.ts) as a suite line: counts by status and dangling evidence.
import { asvsCounts, danglingRefs } from '../../test/asvs-checklist.js';
import type { Suite } from './support.js';

export const asvs: Suite = async () => {
  const c = asvsCounts();
  const dangling = danglingRefs();
  return {
    name: 'asvs',
    passed: c.missing === 0 && dangling.length === 0,
    line: `ASVS 5.0 L2 ${c.requirements} requirements (253 L1+L2, ${c.requirements - 253} adopted L3): tested ${c.tested}, review ${c.review}, n/a ${c.na}; missing ${c.missing}; dangling test refs ${dangling.length}`,
    figures: {
      requirements: c.requirements,
      tested: c.tested,
      review: c.review,
      na: c.na,
      missing: c.missing,
      dangling: dangling.length,
    },
    details: dangling,
  };
};
