// The bounded plan reader: child processes with a time limit, a heap cap and a bounded queue; a
// reader stopped for a file is gone, and the CLI answers through it too.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PLAN_PARSER_LIMITS, PlanParser, PlanParserBusyError, PlanTooComplexError } from '../../../server/src/services/plan-parser.ts';
import { deeplyNested, manyParagraphs } from '../../support/pathological-docx.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = readFileSync(path.join(ROOT, 'fixtures/action-plans/werrington-2020-action-plan.txt'));

// A cold reader starts in about a second, several on a busy machine.
describe('the bounded plan reader', { timeout: 30_000 }, () => {
  const parsers: PlanParser[] = [];
  const parser = (limits: Partial<typeof PLAN_PARSER_LIMITS> = {}) => {
    const made = new PlanParser({ ...PLAN_PARSER_LIMITS, ...limits });
    parsers.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(parsers.map((p) => p.close()));
  });

  it('reads a plan in a reader it keeps warm, then reuses', async () => {
    const reader = parser();
    expect((await reader.parse(FIXTURE, 'werrington.txt')).recommendations).toHaveLength(20);
    expect(reader.stats()).toEqual({ readers: 1, busy: 0, queued: 0 });
    expect((await reader.parse(FIXTURE, 'again.txt')).source).toBe('again.txt');
    expect(reader.stats()).toEqual({ readers: 1, busy: 0, queued: 0 });
    await reader.close();
    expect(reader.stats()).toEqual({ readers: 0, busy: 0, queued: 0 });
  });

  it('stops a reader that runs out of time, and refuses the file as too complex', async () => {
    // 50 ms is less than a reader takes to start, so this one always runs out.
    const reader = parser({ timeLimitMs: 50 });
    const error = await reader.parse(FIXTURE, 'slow.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanTooComplexError);
    expect((error as Error).message).toMatch(/^slow\.txt: is too complex to read \(it takes longer than 0\.05 s\)/);
    expect(reader.stats()).toEqual({ readers: 0, busy: 0, queued: 0 });
  });

  it('queues a bounded number of files and refuses the next at once', async () => {
    const reader = parser({ timeLimitMs: 50, maxReaders: 1, maxQueued: 1 });
    const first = reader.parse(FIXTURE, 'first.txt').catch((e: unknown) => e);
    const second = reader.parse(FIXTURE, 'second.txt').catch((e: unknown) => e);
    expect(reader.stats()).toEqual({ readers: 1, busy: 1, queued: 1 });
    await expect(reader.parse(FIXTURE, 'third.txt')).rejects.toBeInstanceOf(PlanParserBusyError);
    // Each queued file gets a fresh reader once the one before it was stopped.
    expect(await first).toBeInstanceOf(PlanTooComplexError);
    expect(await second).toBeInstanceOf(PlanTooComplexError);
    expect(reader.stats()).toEqual({ readers: 0, busy: 0, queued: 0 });
  });

  it('stops a reader that runs out of heap, refusing the file as too complex, and this process lives on', async () => {
    // Far less heap than reading this file takes; ample time, so memory is what stops it.
    const reader = parser({ heapMb: 24, timeLimitMs: 60_000 });
    const error = await reader.parse(manyParagraphs(), 'huge.docx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanTooComplexError);
    expect((error as Error).message).toMatch(/^huge\.docx: is too complex to read \(it needs more than 24 MB of memory\)/);
    expect(reader.stats()).toEqual({ readers: 0, busy: 0, queued: 0 });
    // A fresh reader reads the next file.
    expect((await reader.parse(FIXTURE, 'after.txt')).recommendations).toHaveLength(20);
  });

  it('refuses a document nested too deeply as too complex, and the reader goes on', async () => {
    const reader = parser();
    await expect(reader.parse(deeplyNested(), 'nested.docx')).rejects.toThrow(/^nested\.docx: is too complex to read \(it is nested too deeply/);
    expect((await reader.parse(FIXTURE, 'after.txt')).recommendations).toHaveLength(20);
  });
});

describe('plan:import CLI on a file too complex to read', () => {
  let scratch: string;
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('says so in one line with a non-zero exit, where it used to run out of heap', async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'wingcheck-cli-bounds-'));
    const file = path.join(scratch, 'wing-records.docx');
    await writeFile(file, manyParagraphs());
    // The CLI's own heap capped well below what reading this file on its thread would need.
    const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=192' };
    const args = ['--import', 'tsx', 'scripts/plan-import.ts', file];
    const result = await promisify(execFile)(process.execPath, args, { cwd: ROOT, env, timeout: 50_000 })
      .then(() => ({ code: 0, stderr: '' }), (error: unknown) => error as { code: number; stderr: string });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(/^plan:import: wing-records\.docx: is too complex to read \(it needs more than 256 MB/);
  }, 60_000);
});
