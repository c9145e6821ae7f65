/**
 * The locale numbers and dates are formatted in, negotiated from `Accept-Language`
 * (RFC 9110 §12.5.4). The interface text stays English; only formats follow the reader.
 */
export const DEFAULT_LOCALE = 'en-US';

/** Distinct `Accept-Language` values remembered; the oldest is forgotten first. */
export const LOCALE_MEMO_SIZE = 256;
const negotiated = new Map<string, string>();

/** How many `Accept-Language` values are remembered (tests check the bound). */
export function localeMemoSize(): number {
  return negotiated.size;
}

/**
 * Browsers send the same few headers again and again, and `supportedLocalesOf` is costly
 * (tens of µs per call, on every page): the answers are remembered, within a bound, so a client
 * sending a new header on every request cannot grow the memo.
 */
export function negotiateLocale(acceptLanguage: string | undefined | null): string {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  let locale = negotiated.get(acceptLanguage);
  if (locale === undefined) {
    locale = negotiate(acceptLanguage);
    if (negotiated.size >= LOCALE_MEMO_SIZE) negotiated.delete(negotiated.keys().next().value!);
    negotiated.set(acceptLanguage, locale);
  }
  return locale;
}

function negotiate(acceptLanguage: string): string {
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== '*' && r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && Intl.NumberFormat.supportedLocalesOf([canonical]).length > 0) return canonical;
    } catch {
      // Not a well-formed BCP 47 tag: try the next one.
    }
  }
  return DEFAULT_LOCALE;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dtf(locale: string, kind: 'datetime' | 'date' | 'day'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'datetime'
        ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
        : kind === 'date'
          ? { dateStyle: 'medium', timeZone: 'UTC' }
          : { month: 'short', day: 'numeric', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** Timestamps are shown in UTC and say so, so that two people looking at one payment agree. */
export function formatDateTime(iso: string, locale: string): string {
  return `${dtf(locale, 'datetime').format(new Date(iso))} UTC`;
}

export function formatDate(iso: string, locale: string): string {
  return dtf(locale, 'date').format(new Date(iso));
}

/** Short day label for chart axes (`Nov 3`). */
export function formatDay(isoDate: string, locale: string): string {
  return dtf(locale, 'day').format(new Date(`${isoDate}T00:00:00Z`));
}
