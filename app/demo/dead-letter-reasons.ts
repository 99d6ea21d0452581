/**
 * Groups dead-letter reasons for the demo's report: the values that differ per event (times,
 * amounts, ids) become "…", so one line counts every event rejected for the same reason. A
 * number that is part of a name (the `v1` of a topic) is kept: the reason must stay readable.
 */
export function deadLetterReasonGroup(errorCode: string, reason: string): string {
  return `${errorCode}: ${reason.replace(/[\d.:TZ-]{10,}|(?<![A-Za-z])\d+/g, '…')}`;
}
