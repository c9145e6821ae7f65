/**
 * The 30-day volume chart, drawn on the server as inline SVG: no client script, no inline
 * style (colours come from classes in app.css, so the strict CSP holds). One chart per
 * currency, because amounts in different currencies cannot be added. For people who cannot
 * see it, the SVG has a text alternative (WAI SVG accessibility: `role="img"` + title/desc)
 * and the same numbers are available as a table.
 */
import type { VolumeDay } from '../api.js';
import { formatDay } from '../format/locale.js';
import { formatMoney } from '../format/money.js';

export interface ChartSeries {
  currency: string;
  /** One entry per day, oldest first, zero-filled. */
  days: { date: string; amount: number; count: number }[];
}

/** Groups API rows into zero-filled series per currency for the `days` days ending `today` (UTC). */
export function volumeSeries(rows: VolumeDay[], days: number, today: Date): ChartSeries[] {
  const dates: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    dates.push(
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i))
        .toISOString()
        .slice(0, 10),
    );
  }
  const byCurrency = new Map<string, Map<string, VolumeDay>>();
  for (const r of rows) {
    const cur = r.currency.toLowerCase();
    if (!byCurrency.has(cur)) byCurrency.set(cur, new Map());
    byCurrency.get(cur)!.set(r.date.slice(0, 10), r);
  }
  return [...byCurrency.entries()]
    .map(([currency, map]) => ({
      currency,
      days: dates.map((date) => ({
        date,
        amount: map.get(date)?.amount ?? 0,
        count: map.get(date)?.count ?? 0,
      })),
    }))
    .sort((a, b) => total(b) - total(a) || a.currency.localeCompare(b.currency));
}

function total(s: ChartSeries): number {
  return s.days.reduce((sum, d) => sum + d.amount, 0);
}

const W = 640;
const H = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 8 };

export function VolumeChart({ series, locale }: { series: ChartSeries; locale: string }) {
  const id = `chart-${series.currency}`;
  const max = Math.max(...series.days.map((d) => d.amount), 0);
  const n = series.days.length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / n;
  const barW = Math.max(1, step * 0.7);
  const sum = total(series);
  const first = series.days[0]?.date;
  const last = series.days[n - 1]?.date;
  const money = (a: number) => formatMoney(a, series.currency, locale);
  const summary =
    first && last
      ? `${series.currency.toUpperCase()} volume from ${formatDay(first, locale)} to ${formatDay(last, locale)}: ${money(sum)} in total, highest day ${money(max)}.`
      : '';
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">
          {series.currency.toUpperCase()} volume, last {n} days
        </span>
        <span class="chart-total">{money(sum)}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        class="chart-svg"
      >
        <title id={`${id}-title`}>{`${series.currency.toUpperCase()} daily volume`}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line class="chart-axis" x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} />
        {series.days.map((d, i) => {
          const h = max > 0 ? Math.max(d.amount > 0 ? 2 : 0, (d.amount / max) * plotH) : 0;
          const x = PAD.left + i * step + (step - barW) / 2;
          return (
            <rect
              class="chart-bar"
              x={x.toFixed(1)}
              y={(PAD.top + plotH - h).toFixed(1)}
              width={barW.toFixed(1)}
              height={h.toFixed(1)}
            >
              <title>{`${formatDay(d.date, locale)}: ${money(d.amount)} (${d.count} payments)`}</title>
            </rect>
          );
        })}
        {series.days.map((d, i) =>
          (n - 1 - i) % 7 === 0 ? (
            <text
              class="chart-label"
              x={i === n - 1 ? W - PAD.right : (PAD.left + i * step + step / 2).toFixed(1)}
              y={H - 8}
              text-anchor={i === n - 1 ? 'end' : 'middle'}
            >
              {formatDay(d.date, locale)}
            </text>
          ) : null,
        )}
      </svg>
      <details class="chart-data">
        <summary>Show the numbers</summary>
        <table>
          <caption class="visually-hidden">{`${series.currency.toUpperCase()} volume per day`}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col" class="num">
                Payments
              </th>
              <th scope="col" class="num">
                Volume
              </th>
            </tr>
          </thead>
          <tbody>
            {series.days.map((d) => (
              <tr>
                <th scope="row">{formatDay(d.date, locale)}</th>
                <td class="num">{d.count}</td>
                <td class="num">{money(d.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
