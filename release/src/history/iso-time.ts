/**
 * `new Date(ms).toISOString()` for many commit times in a row, without a Date per call: a
 * whole second between 1970 and 9999 is formatted with integer arithmetic (the proleptic
 * Gregorian calendar Date uses, ECMA-262 §21.4.1) and a table of two-digit numbers; anything
 * else goes through Date. The audit table formats one time per landed commit.
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
      lastDate = civilDate(day);
    }
    const s = (ms - day * DAY_MS) / 1000;
    return `${lastDate}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor((s % 3600) / 60)]}:${TWO_DIGITS[s % 60]}.000Z`;
  };
}

/**
 * `YYYY-MM-DDT` of a day counted from 1970-01-01 (0 ≤ day, year ≤ 9999), by H. Hinnant's
 * days-to-civil algorithm ("chrono-Compatible Low-Level Date Algorithms"): eras of 400 years,
 * years starting in March so that the leap day ends the year.
 */
function civilDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}T`;
}
