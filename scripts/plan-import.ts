/**
 * npm run --silent plan:import -- <FILE> [--json]
 * Reads a published action plan (.docx, .odt, PDF, HTML, CSV or the text/TSV shape) and prints
 * what Wingcheck reads from it: the JSON of ParsedPlan with --json, otherwise a summary. Errors
 * are one line on stderr and a non-zero exit.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { planParser } from '../server/src/services/plan-parser.ts';
import { PlanParseError, withoutReadings, type ParsedPlan } from '../src/shared/plan-import/schema.ts';

class CliError extends Error {}

function summary(plan: ParsedPlan): string {
  const lines = [`${plan.establishment ?? 'Establishment not named'}: ${plan.source}`];
  const actions = plan.recommendations.reduce((n, r) => n + r.actions.length, 0);
  lines.push(`${plan.recommendations.length} concerns or recommendations, ${actions} actions`);
  const byCategory = new Map<string, { recs: number; actions: number }>();
  for (const rec of plan.recommendations) {
    const key = rec.category ?? 'Uncategorised';
    const entry = byCategory.get(key) ?? { recs: 0, actions: 0 };
    entry.recs += 1;
    entry.actions += rec.actions.length;
    byCategory.set(key, entry);
  }
  for (const [category, n] of byCategory) lines.push(`  ${category}: ${n.recs} (${n.actions} actions)`);
  const agreements = ['Agreed', 'Partly Agreed', 'Not Agreed'].map((a) => [a, plan.recommendations.filter((r) => r.agreement === a).length] as const);
  if (agreements.some(([, n]) => n > 0)) lines.push(`  ${agreements.map(([a, n]) => `${a}: ${n}`).join(', ')}`);
  lines.push(plan.warnings.length ? `Warnings (${plan.warnings.length}):` : 'No warnings.');
  for (const warning of plan.warnings) lines.push(`  - ${warning}`);
  return lines.join('\n');
}

async function readPlanFile(file: string): Promise<Uint8Array> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new CliError(`${file}: no such file`);
  if (info.isDirectory()) throw new CliError(`${file}: is a folder, not a plan file`);
  return readFile(file).catch((error: unknown) => {
    throw new CliError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
}

async function main(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.filter((a) => a.startsWith('--'));
  if (files.length !== 1 || unknown.length) throw new CliError('usage: npm run --silent plan:import -- <FILE> [--json]');
  const file = files[0] ?? '';
  // The server's bounded reader, so a file gets the same answer here as on upload, and one too
  // complex to read is one line on stderr rather than this process running out of heap.
  const plan = await planParser.parse(await readPlanFile(file), path.basename(file)).finally(() => planParser.close());
  // The JSON is a contract other tools read: how each action was read is for the preview only.
  process.stdout.write(json ? `${JSON.stringify(withoutReadings(plan), null, 2)}\n` : `${summary(plan)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof CliError || error instanceof PlanParseError ? error.message : `unexpected error: ${String(error)}`;
  process.stderr.write(`plan:import: ${message}\n`);
  process.exitCode = 1;
});
