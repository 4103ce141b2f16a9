/**
 * Benchmark figures for the one summary table `pnpm bench` prints (test/bench/run-all.mjs): each bench records
 * its figures with their targets; when run alone they are printed as a table at the end of the file.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface Figure {
  figure: string;
  value: string;
  target?: string;
  /** Whether the target was met; omitted for figures without one. */
  met?: boolean;
}

/** Set by run-all.mjs: the folder each bench appends its figures to (one JSON line per figure). */
const DIR = process.env['HARRIER_BENCH_FIGURES'];

export function recordFigure(bench: string, figure: Figure): void {
  if (!DIR) return;
  mkdirSync(DIR, { recursive: true });
  appendFileSync(path.join(DIR, 'figures.jsonl'), `${JSON.stringify({ bench, ...figure })}\n`);
}

/** A bench's figures: `record` keeps each for the table the file prints when run alone, and for `pnpm bench`. */
export function benchFigures(bench: string): { rows: Figure[]; record: (figure: Figure) => void } {
  const rows: Figure[] = [];
  return {
    rows,
    record: (figure) => {
      rows.push(figure);
      recordFigure(bench, figure);
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `value ≤ limit` as a figure row. */
export function atMost(figure: string, value: number, limit: number, unit: string, digits = 1): Figure {
  return { figure, value: `${value.toFixed(digits)} ${unit}`, target: `≤ ${limit} ${unit}`, met: value <= limit };
}

/** `value ≥ floor` as a figure row. */
export function atLeast(figure: string, value: number, floor: number, unit: string, digits = 0): Figure {
  return {
    figure,
    value: `${value.toFixed(digits)} ${unit}`.trim(),
    target: `≥ ${floor} ${unit}`.trim(),
    met: value >= floor,
  };
}
