/**
 * npm run bench: runs every benchmark in bench/, one at a time in its own process so none skews
 * another, and writes bench/results.md: each figure beside the comparison measured in the same
 * run, their ratio, the machine and the date.
 * Run one alone with npm run bench:<name>; BENCH_ONLY=sync,ingest runs a subset and prints its
 * table without touching results.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchReport } from './support/report.ts';

/** In the order they run: the quick ones first, so a broken setup shows early. */
const BENCHES = ['plan-import', 'capture', 'device', 'sync', 'ingest', 'coverage', 'overview'] as const;

function machine(): string {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const gib = Math.round(totalmem() / 1024 ** 3);
  let chromium: string;
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim().replace(/^Chromium\s+/, 'Chromium ').split(' ').slice(0, 2).join(' ');
  } catch {
    chromium = 'no Chromium';
  }
  return `${cpus().length}-core ${cpu}, ${gib} GiB, Node ${process.versions.node}, ${chromium}`;
}

function runOne(name: string, reportFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
      env: { ...process.env, BENCH_REPORT: reportFile },
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const chosen = BENCHES.filter((name) => !only || only.includes(name));
const work = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-run-'));
const started = Date.now();
const date = new Date().toISOString().slice(0, 10);
const host = machine();
const reports: { name: string; seconds: number; report: BenchReport | null; exit: number }[] = [];
try {
  for (const name of chosen) {
    console.log(`\n=== bench/${name}.ts (${reports.length + 1} of ${chosen.length}) ===`);
    const file = path.join(work, `${name}.json`);
    const t0 = Date.now();
    const exit = await runOne(name, file);
    let report: BenchReport | null = null;
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
    } catch {
      report = null;
    }
    reports.push({ name, seconds: (Date.now() - t0) / 1000, report, exit });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const total = (Date.now() - started) / 1000;
const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${date}, on ${host}; the whole run took ${(total / 60).toFixed(1)} minutes.`,
  'Absolute times vary between machines: the comparisons beside each figure were measured in the',
  'same run on the same machine, so their ratios are the headline. Run one benchmark alone with',
  '`npm run bench:<name>`; how each is set up is at the top of its file in `bench/`.',
  '',
  '| benchmark | figure (Wingcheck) | comparison, same run | ratio | machine | date |',
  '| --- | --- | --- | --- | --- | --- |',
];
const failures: string[] = [];
for (const { name, report, exit, seconds } of reports) {
  if (!report || exit !== 0) {
    failures.push(`\`bench/${name}.ts\` failed (exit ${String(exit)} after ${seconds.toFixed(0)} s); see its output.`);
    continue;
  }
  for (const row of report.rows) {
    lines.push(`| ${cell(row.benchmark)} | ${cell(row.figure)} | ${cell(row.comparison)} | ${cell(row.ratio)} | ${cell(host)} | ${date} |`);
  }
}
lines.push('', '## Time per benchmark', '', reports.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(' · '));
const notes = reports.flatMap((r) => r.report?.notes ?? []);
if (notes.length) lines.push('', ...notes.flatMap((note) => [note, '']));
if (failures.length) lines.push('', '## Failed', '', ...failures.map((f) => `- ${f}`));
const markdown = `${lines.join('\n').trimEnd()}\n`;
if (only) {
  // A subset must not replace the full table: print it instead.
  console.log(`\n${markdown}`);
} else {
  writeFileSync(path.join(import.meta.dirname, 'results.md'), markdown);
  console.log(`\nWrote bench/results.md in ${(total / 60).toFixed(1)} minutes.`);
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}
