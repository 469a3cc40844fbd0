import { describe, expect, it } from 'vitest';
import { findPgBinaries } from '../cluster.js';
import { runPitrDrill } from '../pitr.js';

// The drill builds scratch PostgreSQL clusters of its own (initdb on free ports), so it needs the server binaries;
// it runs with the PostgreSQL pass of the DB tests only (on PGlite there is no WAL archive to restore from).
const bins = findPgBinaries();
const enabled = !!process.env.TEST_DATABASE_URL && !!bins;

describe.skipIf(!enabled)('point-in-time recovery drill (scratch PostgreSQL clusters)', () => {
  it('restores to the named restore point: rows up to it present, rows after it absent, audit chain intact', async () => {
    const r = await runPitrDrill({ bins: bins!, residents: 2, before: 4, between: 4, after: 4 });
    expect(r.baseBackup.verified).toBe(true);
    expect(r.stoppedAtTarget).toBe(true);
    expect(r.bookings).toEqual({ beforeBackup: 4, beforeTarget: 9, afterTarget: 4 });
    expect(r.markerPresent).toBe(true);
    expect(r.lostBeforeTarget).toBe(0);
    expect(r.presentAfterTarget).toBe(0);
    expect(r.chain.ok).toBe(true);
    expect(r.chain.headMatchesTarget).toBe(true);
    expect(r.chain.entries).toBe(r.chain.entriesAtTarget);
    expect(r.archivedSegments).toBeGreaterThan(0);
    expect(r.rtoMs).toBeGreaterThan(0);
    expect(r.passed).toBe(true);
  }, 600_000);
});
