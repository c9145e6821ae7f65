/**
 * The benchmark harness every suite uses. Timings never live in tests
 * (docs/design/testing.md §Benchmarks, not timed tests): they live here, measured side by side with
 * a baseline in the same run, as interleaved rounds whose medians (with min and max) make the
 * ratio. See docs/design/testing.md §Benchmark method.
 */
import type { CpuPlan } from './pinning.js';

export interface Stats {
  median: number;
  min: number;
  max: number;
  /** Every round's value, in the order measured. */
  samples: number[];
}

/** `higher`: a rate (ops/s) where more is better; `lower`: a time where less is better. */
export type Direction = 'higher' | 'lower';

export interface Goal {
  /** The ratio ours ÷ baseline must be `<=` or `>=` this value (or an absolute bound, see `absolute`). */
  op: '<=' | '>=';
  value: number;
  /** When set, the goal applies to `ours.median` in `unit` instead of the ratio. */
  absolute?: boolean;
}

export interface Measurement {
  /** Short id, e.g. `render.repo` or `api.post-payments`. */
  metric: string;
  unit: string;
  ours: Stats;
  baseline?: Stats & { label: string };
  /** ours ÷ baseline medians (for rates and times alike: read it against the goal). */
  ratio?: number;
  goal?: Goal;
  met?: boolean;
  note?: string;
  /**
   * Why this measurement has no figures (`ours` is then all NaN): a part of a suite that could
   * not be taken, such as a peer queue failing its crash round, while the suite's other
   * measurements stand. A suite whose own system fails throws instead.
   */
  failed?: string;
}

export interface BenchContext {
  /** Short smoke run: few rounds, tiny sizes. Asserts nothing about timings. */
  readonly quick: boolean;
  /**
   * Which cores the load generator and the servers use (bench/pinning.ts). In a suite marked
   * `pinning: 'client-server'` this process (the load generator, and whatever it spawns, such as
   * pgbench) runs on `cpus.load` for the suite's duration; servers go to `cpus.server` through
   * `pinServer` (bench/postgres.ts does it for PostgreSQL).
   */
  readonly cpus: CpuPlan;
  /** Pins a server process, its threads and its children to the server cores (no-op when pinning is off). */
  pinServer(pid: number | undefined): void;
  /** Interleaved rounds per comparison (≥ 3 outside quick mode). */
  readonly rounds: number;
  /** A scratch directory removed after the suite. */
  readonly tmpDir: string;
  /** Progress line on stderr (long work says what it is doing). */
  progress(message: string): void;
}

export interface BenchSuite {
  name: string;
  description: string;
  /**
   * `client-server`: the harness pins this process to the load-generator cores while the suite
   * runs, and the suite pins its servers with `ctx.pinServer`. Pure in-process CPU suites
   * (render, gate, history) leave it unset and keep every core.
   */
  pinning?: 'client-server';
  run(ctx: BenchContext): Promise<Measurement[]>;
}

/** The `p`th percentile of `values` by the nearest-rank method (NaN when there are none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) throw new Error('stats: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples };
}

/**
 * Runs `ours` and `baseline` alternately (A B, B A, A B, …) so drift in the machine's state
 * (page cache, CPU frequency, the other core's load) hits both sides equally.
 */
export async function interleave(
  rounds: number,
  ours: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ ours: Stats; baseline: Stats }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      a.push(await ours());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      a.push(await ours());
    }
  }
  return { ours: stats(a), baseline: stats(b) };
}

/** Wall time of one call in milliseconds. */
export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Builds a measurement from a side-by-side comparison and judges it against its goal. */
export function compare(
  metric: string,
  unit: string,
  pair: { ours: Stats; baseline: Stats },
  baselineLabel: string,
  goal?: Goal,
  note?: string,
): Measurement {
  const ratio =
    pair.baseline.median === 0 ? Number.POSITIVE_INFINITY : pair.ours.median / pair.baseline.median;
  const m: Measurement = {
    metric,
    unit,
    ours: pair.ours,
    baseline: { ...pair.baseline, label: baselineLabel },
    ratio,
  };
  if (goal) {
    m.goal = goal;
    m.met = judge(goal, goal.absolute ? pair.ours.median : ratio);
  }
  if (note) m.note = note;
  return m;
}

/** A measurement with no baseline (an absolute figure such as p99 or bytes), optionally with a goal. */
export function absolute(metric: string, unit: string, ours: Stats, goal?: Goal, note?: string): Measurement {
  const m: Measurement = { metric, unit, ours };
  if (goal) {
    m.goal = { ...goal, absolute: true };
    m.met = judge(goal, ours.median);
  }
  if (note) m.note = note;
  return m;
}

/** A measurement that could not be taken, with the reason (shown as FAILED in the table). */
export function failedMeasurement(metric: string, unit: string, reason: string): Measurement {
  return {
    metric,
    unit,
    ours: { median: Number.NaN, min: Number.NaN, max: Number.NaN, samples: [] },
    failed: reason,
    note: `failed: ${reason}`,
  };
}

export function judge(goal: Goal, value: number): boolean {
  return goal.op === '<=' ? value <= goal.value : value >= goal.value;
}
