/** Formatting shared by the benches' reports. */
import os from 'node:os';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A table row: the first cell left-aligned, the others right-aligned, to the given widths. */
export function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

/** A rate such as documents per second, as a whole number with thousands separators. */
export const fmtRate = (value: number) => Math.round(value).toLocaleString('en-US');

/** The first cells of a round's row: round, order, batchline and raw doc/s, and their ratio. */
export const rateCells = (round: string, order: string, batchline: number, raw: number): string[] => [
  round,
  order,
  fmtRate(batchline),
  fmtRate(raw),
  (batchline / raw).toFixed(2),
];

/** The 1, 5 and 15 minute load averages: other work on a shared machine skews every figure. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
