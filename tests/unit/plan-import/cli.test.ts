// The CLI contract: `npm run --silent plan:import -- <FILE> --json` prints one JSON object;
// anything it cannot use is one line on stderr and a non-zero exit.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import { odtDocument } from '../../support/odt.ts';
import { pdfPlan } from '../../support/pdf-plan.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = path.join(ROOT, 'fixtures/action-plans/werrington-2025-action-plan.txt');
const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/plan-import.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('plan:import CLI', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wingcheck-cli-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints exactly one JSON object through npm run --silent, as documented', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'plan:import', '--', FIXTURE, '--json'], { cwd: ROOT });
    const raw = JSON.parse(stdout) as { recommendations: { actions: object[] }[] };
    const plan = ParsedPlan.parse(raw);
    expect(plan.source).toBe('werrington-2025-action-plan.txt');
    expect(plan.recommendations).toHaveLength(8);
    expect(Object.keys(raw)).toEqual(['source', 'establishment', 'recommendations', 'warnings']);
    // The same keys as ever, to the last level: how the preview marks each action is not in it.
    const [first] = raw.recommendations;
    expect(Object.keys(first ?? {})).toEqual(['ref', 'section', 'category', 'concern', 'recommendation', 'agreement', 'directedTo', 'actions']);
    expect(Object.keys(first?.actions[0] ?? {})).toEqual(['text', 'owner', 'target', 'due', 'complete']);
  });

  const HINDLEY_HEADER = ['Ref', 'Concern', 'Action', 'Lead', 'Timescale'];
  const HINDLEY_ROW = [['1'], ['Cells were dirty.'], ['Weekly cell checks.'], ['Head of Residence'], ['March 2026']];
  it.each([
    ['an OpenDocument text (.odt)', 'hindley.odt', () => odtDocument(['Action Plan: HMP Hindley'], [HINDLEY_HEADER.map((h) => [h]), HINDLEY_ROW])],
    ['a PDF', 'hindley.pdf', () => pdfPlan(['Action Plan: HMP Hindley'], HINDLEY_HEADER, [HINDLEY_ROW])],
  ])('reads a plan in %s', async (_what, name, make) => {
    const file = path.join(scratch, name);
    await writeFile(file, await make());
    const { code, stdout, stderr } = await cli(file, '--json');
    expect(code, stderr).toBe(0);
    const plan = ParsedPlan.parse(JSON.parse(stdout));
    expect(plan).toMatchObject({ source: name, establishment: 'HMP Hindley', warnings: [] });
    expect(plan.recommendations.map((r) => [r.ref, r.concern, r.actions.map((a) => [a.text, a.owner, a.target])])).toEqual([
      ['1', 'Cells were dirty.', [['Weekly cell checks.', 'Head of Residence', 'March 2026']]],
    ]);
    // A process start, tsx and (for a PDF) pdf.js loading: seconds on a busy 2-core machine.
  }, 30_000);

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await cli(FIXTURE);
    expect(code).toBe(0);
    expect(stdout).toContain('HMYOI Werrington: werrington-2025-action-plan.txt');
    expect(stdout).toContain('8 concerns or recommendations, 66 actions');
    expect(stdout).toContain('Priority concern: 5 (37 actions)');
    expect(stdout).toContain('Key concern: 3 (29 actions)');
    expect(stdout).toContain('Warnings (1):');
  });

  it.each([
    ['a missing file', () => Promise.resolve(path.join(scratch, 'nope.txt')), /nope\.txt: no such file$/],
    ['a folder', () => Promise.resolve(scratch), /is a folder, not a plan file$/],
    [
      'a binary file',
      async () => {
        const file = path.join(scratch, 'photo.jpg');
        await writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x10, 0x4a]));
        return file;
      },
      /photo\.jpg: is a binary file/,
    ],
    [
      'a letter with no action table',
      async () => {
        const file = path.join(scratch, 'letter.txt');
        await writeFile(file, 'Dear Governor,\n\nThank you for your report.\n');
        return file;
      },
      /letter\.txt: no action table found/,
    ],
  ])('refuses %s with one line and a non-zero exit', async (_what, makeFile, message) => {
    const { code, stdout, stderr } = await cli(await makeFile(), '--json');
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(/^plan:import: /);
    expect(stderr.trim()).toMatch(message);
  });

  it('explains its usage when given no file', async () => {
    const { code, stderr } = await cli('--json');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/usage: npm run --silent plan:import -- <FILE> \[--json\]/);
  });
});
