/**
 * Calendar days in a configurable time zone. The BG/NBD papers (and lifetimes) count all
 * purchases on one calendar day as one transaction, so "which day" must follow the shop's
 * time zone, not UTC.
 */

const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
// Zone offsets only change on quarter-hour boundaries, so one Intl lookup per quarter hour
// suffices; Intl.DateTimeFormat is ~100× slower than a Map hit and this is a hot path.
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;

/** Maps an instant to its calendar-day index (days since 1970-01-01 in the zone). */
export type DayIndexer = (epochMs: number) => number;

/** Throws a RangeError naming the zone when it is not an IANA time zone. */
export function dayIndexer(timeZone: string): DayIndexer {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return (ms) => Math.floor(ms / MS_PER_DAY);
  const offsetAt = zoneOffset(timeZone);
  return (ms) => Math.floor((ms + offsetAt(ms)) / MS_PER_DAY);
}

/** The instant of a local wall-clock hour on a calendar day in the zone. */
export function instantOfLocalTime(timeZone: string): (day: number, hour: number) => number {
  const offsetAt = zoneOffset(timeZone);
  return (day, hour) => {
    const wall = day * MS_PER_DAY + hour * 3_600_000;
    return wall - offsetAt(wall - offsetAt(wall));
  };
}

/** Offset of local wall-clock time from UTC at an instant, ms (positive east of Greenwich). */
function zoneOffset(timeZone: string): (epochMs: number) => number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return () => 0;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * OFFSET_BUCKET_MS;
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
      offset = wall - at;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    return offset;
  };
  return offsetAt;
}

/** Day index of an ISO calendar date `YYYY-MM-DD` (zone-independent by construction). */
export function dayIndexOfDate(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const ms = d.getTime();
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) throw new RangeError(`no such date: ${isoDate}`);
  return ms / MS_PER_DAY;
}

/** `YYYY-MM-DD` of a day index. */
export function dateOfDayIndex(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Last millisecond of a calendar day in the zone: "as of the end of the calibration day". */
export function endOfDayMs(day: number, timeZone: string): number {
  return instantOfLocalTime(timeZone)(day + 1, 0) - 1;
}
