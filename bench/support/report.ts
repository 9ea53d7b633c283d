/**
 * What a benchmark reports. Each bench/*.ts runs on its own (npm run bench:<name>) and prints its
 * rows; under `npm run bench` (bench/run-all.ts) it also writes them as JSON to the file named by
 * BENCH_REPORT, and run-all collects every file into bench/results.md.
 */
import { writeFileSync } from 'node:fs';

export interface BenchRow {
  /** What was measured, with its size, e.g. "sync: 1,000 checks + 1,000 photos of 300 KB". */
  benchmark: string;
  /** Wingcheck's figure, e.g. "15.7 s, 1,042 requests, 294 MB". */
  figure: string;
  /** What it was compared with in the same run, e.g. "PouchDB replication: 41.0 s, …"; '—' if none. */
  comparison: string;
  /** Their ratio, said which way round, e.g. "2.61× faster"; '—' if none. */
  ratio: string;
}

export interface BenchReport {
  rows: BenchRow[];
  /** Markdown paragraphs for results.md's notes (e.g. the scale notes drawn from ingest). */
  notes?: string[];
}

/** Prints the report, and hands it to run-all when it is collecting. */
export function report(result: BenchReport): void {
  for (const row of result.rows) {
    console.log(`\n${row.benchmark}\n  figure:     ${row.figure}\n  comparison: ${row.comparison}\n  ratio:      ${row.ratio}`);
  }
  for (const note of result.notes ?? []) console.log(`\n${note}`);
  const target = process.env.BENCH_REPORT;
  if (target) writeFileSync(target, JSON.stringify(result, null, 2));
}

/** "2.61× faster" / "1.20× slower": how much quicker `ours` is than `theirs` (times in ms). */
export function speedRatio(oursMs: number, theirsMs: number): string {
  return oursMs <= theirsMs ? `${(theirsMs / oursMs).toFixed(2)}× faster` : `${(oursMs / theirsMs).toFixed(2)}× slower`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The p-th percentile (0–100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
