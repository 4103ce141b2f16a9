import { PRIORITIES } from '@harrier/alert';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Bar, TimeDomain } from '../utils/time-buckets';

interface PriorityTimeChartProps {
  bars: readonly Bar[];
  /** The time axis; bars outside it are not drawn. */
  domain: TimeDomain;
  /** Called with a bar's time range when it is clicked (or chosen with Enter/Space). */
  onSelectRange: (start: number, end: number) => void;
}

/** Used until the chart's width is known; after that the drawing is as wide as its box, so text keeps its size. */
const DEFAULT_WIDTH = 1000;
const HEIGHT = 200;
const PAD = { top: 10, right: 8, bottom: 24, left: 44 };
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/** Least severe at the bottom, so the most severe sit on top where the eye lands. */
const STACK_ORDER = PRIORITIES;
/** Where the time axis is labelled: five places, or three when the chart is narrow. */
const AXIS_FRACTIONS = [0, 0.25, 0.5, 0.75, 1];
const NARROW_AXIS_FRACTIONS = [0, 0.5, 1];
const NARROW_PX = 560;
const MOST_SEVERE_FIRST = [...PRIORITIES].reverse();

/** A round axis maximum (1, 2 or 5 × 10ⁿ) at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * power).find((step) => step >= max)!;
}

function timeLabel(ms: number, spanMs: number): string {
  const date = new Date(ms);
  if (spanMs > 2 * 86_400_000) return date.toLocaleDateString([], { month: 'short', day: 'numeric' });
  // Within a few minutes every label would read the same minute.
  if (spanMs < 10 * 60_000)
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function describeBar(bar: Bar): string {
  const parts = MOST_SEVERE_FIRST.filter((p) => bar.counts[p]).map((p) => `${bar.counts[p]} ${p}`);
  const from = new Date(bar.start).toLocaleString();
  const to = new Date(bar.end).toLocaleTimeString();
  return `${from} – ${to}: ${bar.total} alert${bar.total === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** Alerts over time as bars stacked by priority, in SVG; each bar narrows the filter to its time range. */
export function PriorityTimeChart({ bars, domain, onSelectRange }: PriorityTimeChartProps) {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  const svgRef = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(svg);
    return () => observer.disconnect();
  }, []);
  const plotWidth = width - PAD.left - PAD.right;
  const first = bars[0];
  if (first === undefined) return null;
  const slot = Math.max(domain.end - domain.start, 1);
  const barMs = first.end - first.start;
  const yMax = niceMax(Math.max(...bars.map((bar) => bar.total)));
  const x = (ms: number) => PAD.left + ((Math.max(ms, domain.start) - domain.start) / slot) * plotWidth;
  const y = (count: number) => PAD.top + PLOT_H - (count / yMax) * PLOT_H;
  const barWidth = Math.max(1, (barMs / slot) * plotWidth - 2);
  const ticks = [0, yMax / 2, yMax];
  const onKeyDown = (event: KeyboardEvent, bar: Bar) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelectRange(bar.start, bar.end);
  };

  return (
    <svg
      className="time-chart"
      ref={svgRef}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="group"
      aria-label="Alerts over time by priority; choose a bar to show only its time range"
      data-testid="time-chart"
    >
      {ticks.map((tick) => (
        <g key={tick} className="chart-grid">
          <line x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
          <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
            {Number.isInteger(tick) ? tick : ''}
          </text>
        </g>
      ))}
      {(width < NARROW_PX ? NARROW_AXIS_FRACTIONS : AXIS_FRACTIONS).map((fraction) => (
        <text
          key={fraction}
          className="chart-axis-label"
          x={PAD.left + fraction * plotWidth}
          y={HEIGHT - 6}
          textAnchor={fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle'}
        >
          {timeLabel(domain.start + fraction * slot, slot)}
        </text>
      ))}
      {bars.map((bar) => {
        let base = 0;
        return (
          <g
            key={bar.start}
            className="chart-bar"
            role="button"
            tabIndex={0}
            aria-label={describeBar(bar)}
            data-testid="chart-bar"
            data-start={bar.start}
            onClick={() => onSelectRange(bar.start, bar.end)}
            onKeyDown={(event) => onKeyDown(event, bar)}
          >
            <title>{describeBar(bar)}</title>
            {/* A full-height hit area so short bars are easy to click. */}
            <rect className="chart-hit" x={x(bar.start)} y={PAD.top} width={barWidth} height={PLOT_H} />
            {STACK_ORDER.map((priority) => {
              const count = bar.counts[priority];
              if (!count) return null;
              const top = y(base + count);
              const height = y(base) - top;
              base += count;
              return (
                <rect
                  key={priority}
                  className="chart-segment"
                  data-priority={priority}
                  x={x(bar.start)}
                  y={top}
                  width={barWidth}
                  height={height}
                />
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
