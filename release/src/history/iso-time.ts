/**
 * `new Date(ms).toISOString()` for many commit times in a row, without a Date per call: a
 * whole second between 1970 and 9999 is formatted from the day's date (made once per day) and
 * a table of two-digit numbers; anything else goes through Date. The audit table formats one
 * time per landed commit.
 */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;
const YEAR_10000 = 253_402_300_800_000;

/** A formatter that remembers the last day it formatted (one per table being built). */
export function isoTimes(): (ms: number) => string {
  let lastDay = Number.NaN;
  let lastDate = '';
  return (ms) => {
    if (!(ms >= 0 && ms < YEAR_10000) || ms % 1000 !== 0) return new Date(ms).toISOString();
    const day = Math.floor(ms / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      lastDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const s = (ms - day * DAY_MS) / 1000;
    return `${lastDate}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor((s % 3600) / 60)]}:${TWO_DIGITS[s % 60]}.000Z`;
  };
}
