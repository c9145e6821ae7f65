import { describe, expect, it } from 'vitest';
import { VolumeChart, volumeSeries } from './volume-chart.js';

const today = new Date('2026-11-21T10:00:00Z');

describe('volumeSeries', () => {
  it('zero-fills days and splits by currency, biggest first', () => {
    const s = volumeSeries(
      [
        { date: '2026-11-21', currency: 'usd', amount: 500, count: 1 },
        { date: '2026-11-20', currency: 'EUR', amount: 9000, count: 3 },
        { date: '2026-10-01', currency: 'eur', amount: 1, count: 1 },
      ],
      30,
      today,
    );
    expect(s.map((x) => x.currency)).toEqual(['eur', 'usd']);
    expect(s[0]!.days).toHaveLength(30);
    expect(s[0]!.days[0]!.date).toBe('2026-10-23');
    expect(s[0]!.days[28]).toEqual({ date: '2026-11-20', amount: 9000, count: 3 });
    expect(s[1]!.days[29]).toEqual({ date: '2026-11-21', amount: 500, count: 1 });
    expect(s[0]!.days.filter((d) => d.amount > 0)).toHaveLength(1);
  });
});

describe('VolumeChart', () => {
  it('renders one bar per day with a text alternative and no inline style', async () => {
    const [series] = volumeSeries(
      [{ date: '2026-11-20', currency: 'usd', amount: 12345, count: 2 }],
      30,
      today,
    );
    const html = String(await (<VolumeChart series={series!} locale="en-US" />).toString());
    expect(html.match(/<rect /g)).toHaveLength(30);
    expect(html).toContain('role="img"');
    expect(html).toContain('USD volume from Oct 23 to Nov 21: $123.45 in total, highest day $123.45.');
    expect(html).toContain('Nov 20: $123.45 (2 payments)');
    expect(html).not.toMatch(/style=/);
  });
});
