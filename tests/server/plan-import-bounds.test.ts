// Plan files are read off the main thread with memory and time limits: a file too complex to read
// gets a 422 while every other request keeps being answered, and the server stays healthy after.
// And the upload's file name header is checked: anything malformed is a 400 naming it, never a 500.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ParsedPlan } from '../../src/shared/plan-import/schema.ts';
import { newId } from '../../src/shared/ids.ts';
import { manyParagraphs } from '../support/pathological-docx.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { addUser, call, signIn, type Session } from './support/world.ts';

const FIXTURE = readFileSync(new URL('../../fixtures/action-plans/werrington-2020-action-plan.txt', import.meta.url));

async function docxPlan(): Promise<Buffer> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const row = (cells: string[]) => new TableRow({ children: cells.map(cell) });
  const doc = new Document({
    sections: [{
      children: [
        new Paragraph('Action Plan: HMP Whitemoor'),
        new Table({
          rows: [
            row(['1. Rec No', '2. Concerns', '3. Response Action Taken/Planned', '4. Responsible Owner', '5. Target Date']),
            row(['', 'Priority concerns', '', '', '']),
            row(['1.7', 'Food at serveries was often cold.', 'Daily servery checks of temperature.', 'Head of Residence', 'April 2023']),
          ],
        }),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}

describe(`bounded plan imports on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await startTestApp();
    const establishmentId = newId();
    await t.db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Bounds')", [establishmentId]);
    await addUser(t.db, 'admin.bounds', establishmentId, ['admin']);
    admin = await signIn(t.app, 'admin.bounds');
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (bytes: Buffer, name: string | null) =>
    call(t.app, admin, 'POST', '/api/plans/parse', bytes, {
      headers: { 'content-type': 'application/octet-stream', ...(name === null ? {} : { 'x-file-name': name }) },
    });
  const health = () => t.app.inject({ method: 'GET', url: '/api/health' });

  it('refuses a file too complex to read with 422 and one line, answering other requests meanwhile and after', async () => {
    const bomb = manyParagraphs();
    expect(bomb.length).toBeLessThan(20_000);
    const started = Date.now();
    let answered = false;
    const refused = upload(bomb, 'wing%20records.docx').finally(() => {
      answered = true;
    });
    // While the file is being read, the server keeps answering: each health check here is sent
    // and answered before the upload's answer. On the main thread they waited for it.
    for (let i = 0; i < 3; i += 1) {
      await sleep(250);
      const res = await health();
      expect(res.statusCode).toBe(200);
      expect(answered, 'the health check waited for the plan file').toBe(false);
    }
    const res = await refused;
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json<{ error: string; message: string }>();
    expect(body).toEqual({ error: 'plan_too_complex', code: 'plan_too_complex', message: expect.stringMatching(/^wing records\.docx: is too complex to read \(/) as unknown, issues: [] });
    expect(body.message).not.toMatch(/\n/);
    expect(body.message).toMatch(/save just the action table/);
    // Bounded: the reader's memory cap, or at worst its 20 s limit, not the file.
    expect(Date.now() - started).toBeLessThan(60_000);

    // Healthy afterwards, and normal plans, text and .docx, still read.
    expect((await health()).statusCode).toBe(200);
    const text = await upload(FIXTURE, 'werrington-2020-action-plan.txt');
    expect(text.statusCode, text.body).toBe(200);
    expect(ParsedPlan.parse(text.json()).recommendations).toHaveLength(20);
    const word = await upload(await docxPlan(), 'whitemoor.docx');
    expect(word.statusCode, word.body).toBe(200);
    const plan = ParsedPlan.parse(word.json());
    expect(plan).toMatchObject({ source: 'whitemoor.docx', establishment: 'HMP Whitemoor' });
    expect(plan.recommendations.map((r) => [r.ref, r.actions.map((a) => a.text)])).toEqual([['1.7', ['Daily servery checks of temperature.']]]);
  });

  it('answers 429 with Retry-After when every plan reader is busy and the queue is full', async () => {
    const { planParser, PlanParserBusyError } = await import('../../server/src/services/plan-parser.ts');
    const spy = vi.spyOn(planParser, 'parse').mockRejectedValueOnce(new PlanParserBusyError('Other plan files are being read just now; try again in a minute.'));
    try {
      const res = await upload(FIXTURE, 'p.txt');
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.json()).toEqual({ error: 'busy', code: 'busy', message: 'Other plan files are being read just now; try again in a minute.', issues: [] });
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ['a broken escape', '%E0%A4%A', /not a valid URI-encoded name/],
    ['a lone %', '%', /not a valid URI-encoded name/],
    ['an escape of invalid UTF-8', '%ED%A0%80plan.txt', /not a valid URI-encoded name/],
    ['a NUL', 'plan%00.txt', /control characters/],
    ['a line break', 'plan%0D%0AX-Injected: 1.txt', /control characters/],
    ['a right-to-left override', encodeURIComponent('plan\u202Etxt.exe'), /control characters/],
    ['a name over 200 characters', encodeURIComponent(`${'p'.repeat(201)}.txt`), /more than 200 characters/],
    ['a header too long to be a name', '%41'.repeat(700), /too long/],
    ['an empty name', '', /is empty/],
    ['a name with no file in it', '%2F', /is empty/],
  ])('refuses a file name header with %s: 400 naming the header', async (_what, header, message) => {
    const res = await upload(FIXTURE, header);
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<{ error: string; message: string }>();
    expect(body.error).toBe('invalid_request');
    expect(body.message).toContain('x-file-name');
    expect(body.message).toMatch(message);
  });

  it('takes any well-formed name, and none at all', async () => {
    const name = 'Plan — Werrington (2020) «final» 100%.txt';
    const named = await upload(FIXTURE, encodeURIComponent(name));
    expect(named.statusCode, named.body).toBe(200);
    expect(ParsedPlan.parse(named.json()).source).toBe(name);
    const longest = `${'p'.repeat(196)}.txt`;
    expect(ParsedPlan.parse((await upload(FIXTURE, longest)).json()).source).toBe(longest);
    const unnamed = await upload(FIXTURE, null);
    expect(unnamed.statusCode, unnamed.body).toBe(200);
    expect(ParsedPlan.parse(unnamed.json()).source).toBe('plan');
  });
});
