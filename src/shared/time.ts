/**
 * Instants written for people: the wall-clock time in Asia/Shanghai (UTC+8 all year — China keeps no daylight saving
 * time), as `YYYY-MM-DD HH:mm`. For notification texts and documents, never for storage or the API, which use ISO
 * instants.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function shanghaiMinute(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('shanghaiMinute: not a time');
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
