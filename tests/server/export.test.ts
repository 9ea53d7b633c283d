import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlParam } from '../../server/src/db/client.ts';
import { actionRef } from '../../src/shared/action-ref.ts';
import { exportPath, type ExportFormat, type ExportRequest } from '../../src/shared/api/export.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION, type AddNotePayload, type PhotoRef, type SubmitCheckPayload } from '../../src/shared/mutations.ts';
import { parsePlanText } from '../../src/shared/plan-import/parse.ts';
import type { Answer } from '../../src/shared/templates/schema.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, PHOTO, PHOTO_SHA, type EvidenceRefs } from './support/evidence.ts';
import { pdfToText } from './support/pdf.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

const run = promisify(execFile);

const PHOTO_REF: PhotoRef = { sha256: PHOTO_SHA, mime: 'image/jpeg', size: PHOTO.length, width: 1200, height: 1600, itemId: 'servery-photo' };

/** A complete daily servery check: one failed item, one reading below 63 °C, a photo of the servery. */
const SERVERY_ANSWERS: Answer[] = [
  { itemId: 'servery-clean', value: 'pass' },
  { itemId: 'servery-workers-dressed', value: 'pass' },
  { itemId: 'hot-trolley-clean', value: 'fail', note: 'Grease on the trolley door; cleaned before serving.' },
  { itemId: 'temp-collection', value: 58, note: 'Food reheated to 75 °C before serving.' },
  { itemId: 'temp-serving', value: 71 },
  { itemId: 'food-quality', value: 'pass' },
  { itemId: 'portion-control', value: 'pass' },
  { itemId: 'comments-book-available', value: true },
];

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

interface DemoAction {
  id: string;
  /** As every screen and pack names it (actionRef): "3.2", the second action of concern 3. */
  label: string;
  /** In file names: "action-3.2". */
  fileStem: string;
}

/** Lets the test call gc(), so memory is measured from a settled heap rather than from leftover garbage. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const memoryInUse = () => {
  const usage = process.memoryUsage();
  // Buffers live outside the JS heap: a pack buffered as Buffers would not show in heapUsed alone.
  return usage.heapUsed + usage.arrayBuffers;
};

describe(`evidence pack export on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let hor: Session;
  let dg: Session;
  let other: Session;
  let refs: EvidenceRefs;
  let serveryVersionId: string;
  let actions: DemoAction[];
  let tempDir: string;
  const clientId = 'tablet-export';
  let seq = 0;

  const push = async (session: Session, mutations: unknown[], device = clientId) => {
    const res = await call(t.app, session, 'POST', '/api/sync/push', { clientId: device, protocol: PROTOCOL_VERSION, mutations });
    expect(res.statusCode, res.body).toBe(200);
    const results = PushResponse.parse(res.json()).results;
    expect(results.map((r) => r.status), JSON.stringify(results)).toEqual(mutations.map(() => 'applied'));
  };
  const submitCheck = async (session: Session, payload: Partial<SubmitCheckPayload>) => {
    const mutation = checkMutation(refs, clientId, (seq += 1), payload);
    await push(session, [mutation]);
    return mutation.payload.checkId;
  };
  const addNote = async (session: Session, payload: Omit<AddNotePayload, 'noteId' | 'photos' | 'supersedes' | 'startedAt'>) => {
    const noteId = newId();
    const full: AddNotePayload = { noteId, photos: [], supersedes: null, startedAt: payload.submittedAt, ...payload };
    await push(session, [{ id: newId(), clientId, seq: (seq += 1), type: 'note.add', payload: full, createdAt: payload.submittedAt }]);
    return noteId;
  };
  const download = (session: Session, format: ExportFormat, request: ExportRequest) => call(t.app, session, 'GET', exportPath(format, request));
  const forAction = (action: DemoAction | undefined, range = NOVEMBER): ExportRequest => ({ scope: { kind: 'action', id: action?.id ?? '' }, ...range });

  beforeAll(async () => {
    ({ t, world } = await startWorld());
    hor = await signIn(t.app, 'hor.demo');
    dg = await signIn(t.app, 'dg.demo');
    other = await signIn(t.app, 'admin.other');
    refs = await evidenceRefs(t.db, world.demoId);
    const [servery] = await t.db.query<{ id: string }>(
      `SELECT v.id FROM template_versions v JOIN templates t ON t.id = v.template_id
       WHERE t.establishment_id = $1 AND t.key = 'daily-servery-check' ORDER BY v.version DESC LIMIT 1`,
      [world.demoId],
    );
    serveryVersionId = servery?.id ?? '';
    // Actions after the first (which the shared world already links evidence to), so each test has its own.
    const rows = await t.db.query<{ id: string; ref: string; position: number }>(
      `SELECT a.id, r.ref, a.position
       FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
       WHERE p.establishment_id = $1 ORDER BY r.position, a.position OFFSET 1 LIMIT 4`,
      [world.demoId],
    );
    actions = rows.map((r) => ({ id: r.id, label: actionRef(r.ref, r.position), fileStem: `action-${actionRef(r.ref, r.position)}` }));
    expect(actions).toHaveLength(4);
    expect((await call(t.app, dg, 'PUT', `/api/blobs/${PHOTO_SHA}`, PHOTO, { headers: { 'content-type': 'image/jpeg' } })).statusCode).toBe(201);
    tempDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-export-'));
  });
  afterAll(async () => {
    // fetch keeps sockets open for reuse, and may hold one it has not used yet: that one would keep
    // the server from closing until its header timeout (a minute).
    t.app.server.closeAllConnections();
    await t.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('refuses other establishments, other roles and unclear requests, before any of the pack is sent', async () => {
    const plan: ExportRequest = { scope: { kind: 'plan', id: world.demoPlanId }, ...NOVEMBER };
    for (const format of ['pdf', 'csv'] as const) {
      const res = await download(other, format, plan);
      expect(res.statusCode).toBe(403);
      expect(res.json<{ message: string }>().message).toBe('That plan belongs to another establishment.');
    }
    expect((await download(other, 'pdf', forAction(actions[0]))).statusCode).toBe(403);
    expect((await download(hor, 'pdf', { scope: { kind: 'recommendation', id: newId() }, ...NOVEMBER })).statusCode).toBe(404);
    expect((await download(dg, 'csv', plan)).statusCode).toBe(403);
    expect((await call(t.app, null, 'GET', exportPath('csv', plan))).statusCode).toBe(401);

    const unclear = async (query: string) => {
      const res = await call(t.app, hor, 'GET', `/api/exports/evidence.csv?${query}`);
      expect(res.statusCode).toBe(400);
      return res.json<{ message: string }>().message;
    };
    expect(await unclear('from=2026-11-01&to=2026-11-30')).toContain('give an actionId, a recommendationId or a planId');
    expect(await unclear(`planId=${world.demoPlanId}&actionId=${actions[0]?.id ?? ''}&from=2026-11-01&to=2026-11-30`)).toContain('only one of');
    expect(await unclear(`planId=${world.demoPlanId}&from=2026-11-30&to=2026-11-01`)).toContain('to must be the same day as from or later');
    expect(await unclear(`planId=${world.demoPlanId}&from=23/11/2026&to=2026-11-30`)).toContain('from must be a date written YYYY-MM-DD');
  });

  it('puts only the requester’s establishment’s evidence in a pack, even evidence wrongly linked to its actions', async () => {
    const mine = await submitCheck(dg, { actionIds: [actions[0]?.id ?? ''], submittedAt: '2026-11-20T10:00:00.000Z' });
    // HMP Elsewhere imports a plan and records a check against it.
    const tsv = 'Rec No\tConcern\tAction\tOwner\tTarget Date\n1.1\tCells were dirty.\tWeekly cleaning checks.\tHead of Residence\tApril 2026';
    const imported = await call(t.app, other, 'POST', '/api/plans', { title: 'Elsewhere plan', plan: parsePlanText(tsv, 'plan.txt') });
    expect(imported.statusCode, imported.body).toBe(201);
    const elsewhereRefs = await evidenceRefs(t.db, world.elsewhereId);
    const theirs = checkMutation(elsewhereRefs, 'tablet-elsewhere', 1, { submittedAt: '2026-11-20T11:00:00.000Z' });
    await push(other, [theirs], 'tablet-elsewhere');
    // A link the server would never make: their check against HMP Demo's action.
    await t.db.query('INSERT INTO check_actions (check_id, action_id) VALUES ($1, $2)', [theirs.payload.checkId, actions[0]?.id ?? '']);

    for (const request of [forAction(actions[0]), { scope: { kind: 'plan' as const, id: world.demoPlanId }, ...NOVEMBER }]) {
      const csv = await download(hor, 'csv', request);
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.body).toContain(mine);
      expect(csv.body).not.toContain(theirs.payload.checkId);
      const pdf = await download(hor, 'pdf', request);
      expect(pdf.statusCode).toBe(200);
      const text = await pdfToText(pdf.rawPayload);
      expect(text).toContain(mine);
      expect(text).not.toContain(theirs.payload.checkId);
      expect(text).not.toContain('HMP Elsewhere');
    }
    const theirCsv = await download(other, 'csv', { scope: { kind: 'action', id: elsewhereRefs.actionId }, ...NOVEMBER });
    expect(theirCsv.body).toContain(theirs.payload.checkId);
    expect(theirCsv.body).not.toContain(mine);
  });

  it('writes CSV a spreadsheet cannot run: formulas escaped, separators, quotes and newlines quoted, UTF-8 with a BOM', async () => {
    const action = actions[1];
    const notes = ['=HYPERLINK("http://x")', 'a,b "c"\nd', '+1+2', '-3'];
    const answers = ['walls-windows', 'servery-deep-clean', 'bins-drains', 'cleaning-materials'].map(
      (itemId, i): Answer => ({ itemId, value: 'fail', note: notes[i] ?? '' }),
    );
    const checkId = await submitCheck(dg, { actionIds: [action?.id ?? ''], answers, submittedAt: '2026-11-21T09:00:00.000Z' });
    const noteId = await addNote(dg, { actionIds: [action?.id ?? ''], unitId: refs.unitId, text: '@SUM(A1)', submittedAt: '2026-11-21T10:00:00.000Z' });
    const serveryId = await submitCheck(dg, {
      actionIds: [action?.id ?? ''],
      templateVersionId: serveryVersionId,
      answers: SERVERY_ANSWERS,
      photos: [{ ...PHOTO_REF, itemId: null, redacted: true }],
      submittedAt: '2026-11-21T11:00:00.000Z',
    });

    const res = await download(hor, 'csv', forAction(action));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="evidence-${action?.fileStem ?? ''}-2026-11-01-2026-11-30.csv"`);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toContain('"\'=HYPERLINK(""http://x"")"');
    expect(text).toContain('"a,b ""c""\nd"');
    expect(text).toContain('58 °C');

    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rowsOf = (id: string) => parsed.data.filter((row) => row['Evidence ID'] === id);
    expect(rowsOf(checkId).map((row) => row.Note)).toEqual(["'=HYPERLINK(\"http://x\")", 'a,b "c"\nd', "'+1+2", "'-3"]);
    expect(rowsOf(checkId).every((row) => row.Failed === 'yes' && row.Answer === 'Fail')).toBe(true);
    expect(rowsOf(noteId)).toMatchObject([{ 'Kind': 'Note', 'Note': "'@SUM(A1)", 'Review decision': 'Not reviewed' }]);
    const servery = rowsOf(serveryId);
    expect(servery.map((row) => row.Question)).toHaveLength(SERVERY_ANSWERS.length);
    expect(servery.find((row) => row.Answer === '58 °C')).toMatchObject({ Failed: 'yes', Template: 'Daily servery check', Unit: 'A Wing' });
    expect(servery.find((row) => row.Answer === '71 °C')).toMatchObject({ Failed: 'no' });
    expect(servery[0]).toMatchObject({ 'Submitted at (Europe/London)': '2026-11-21 11:00', 'Author': 'Dana Governor (demo)', 'Action refs': action?.label });
    // A photo blurred on the device is named as such; a check without one names none.
    expect(servery.every((row) => row['Photos blurred on the device'] === PHOTO_SHA)).toBe(true);
    expect(rowsOf(checkId).every((row) => row['Photos blurred on the device'] === '')).toBe(true);
  });

  it('makes a PDF of an action’s two checks with real text, the failures marked, the photo embedded and the audit trail', async () => {
    const action = actions[2];
    const withPhoto = await submitCheck(dg, {
      actionIds: [action?.id ?? ''],
      templateVersionId: serveryVersionId,
      answers: SERVERY_ANSWERS,
      photos: [PHOTO_REF],
      submittedAt: '2026-11-22T12:15:00.000Z',
    });
    const plain = await submitCheck(dg, { actionIds: [action?.id ?? ''], submittedAt: '2026-11-23T08:00:00.000Z' });
    const accepted = await call(t.app, hor, 'POST', `/api/checks/${withPhoto}/reviews`, { decision: 'accepted' });
    expect(accepted.statusCode, accepted.body).toBe(201);
    await push(hor, [{
      id: newId(),
      clientId,
      seq: (seq += 1),
      type: 'action.set-status',
      payload: { actionId: action?.id, status: 'in-progress', baseVersion: 1 },
      createdAt: '2026-11-23T09:00:00.000Z',
    }]);

    const res = await download(hor, 'pdf', forAction(action));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="evidence-${action?.fileStem ?? ''}-2026-11-01-2026-11-30.pdf"`);
    expect(res.headers['cache-control']).toBe('no-store');
    const file = path.join(tempDir, 'action.pdf');
    await writeFile(file, res.rawPayload);

    // Cover, actions, one page per check (the photo fits on its check's page) and the audit trail.
    const info = (await run('pdfinfo', [file])).stdout;
    expect(info).toMatch(/^Pages:\s+5$/m);
    const pages = (await run('pdftotext', ['-layout', file, '-'])).stdout.split('\f');
    const [cover = '', summary = '', first = '', second = '', appendix = ''] = pages;
    expect(cover).toContain('Evidence pack');
    expect(cover).toContain('HMP Demo');
    expect(cover).toContain(`Action ${action?.label ?? ''}`);
    expect(cover).toContain('1 November 2026 to 30 November 2026');
    expect(cover).toContain('by Harper Residence (demo)');
    expect(cover).toMatch(/Checks:\s+2/);
    expect(cover).toMatch(/Photos:\s+1/);
    expect(cover).toContain('1 accepted, 0 returned, 1 not reviewed');
    // The audit chain's head, a checkpoint kept outside the database with the pack.
    const [head] = await t.db.query<{ seq: string; hash: string }>('SELECT audit_seq::text AS seq, audit_head AS hash FROM establishments WHERE id = $1', [
      world.demoId,
    ]);
    expect(cover.replace(/\s+/g, '')).toContain(`Auditcheckpoint:entry${head?.seq ?? '?'},${head?.hash ?? '?'}`);
    // In progress, shown as overdue once the action's target date has passed, as the app shows it.
    expect(summary).toMatch(new RegExp(`${action?.label ?? ''}: (In progress|Overdue)`));
    expect(summary).toContain('Evidence in this pack: 2');
    expect(first).toContain('Evidence 1 of 2: Daily servery check (version 1)');
    expect(first).toContain(withPhoto);
    expect(first).toContain('Review: Accepted by Harper Residence (demo)');
    expect(first).toContain('58 °C');
    expect(first).toContain('FAILED: Out of range: 63 °C or above is acceptable');
    expect(first).toContain('FAILED: Failed');
    expect(first).toContain('Note: Food reheated to 75 °C before serving.');
    expect(first).toContain('Photo 1 of 1, for “Photo of the servery during serving”');
    expect(first).toContain(PHOTO_SHA);
    expect(second).toContain('Evidence 2 of 2: Weekly unit cleaning checklist (version 1)');
    expect(second).toContain(plain);
    expect(second).toContain('Review: not reviewed yet');
    expect(second).not.toContain('FAILED');
    expect(appendix).toContain('Appendix: audit trail');
    expect(appendix).toContain('check.accept');
    expect(appendix).toContain('action.set-status');

    // The photo is the JPEG itself, drawn about 8 cm high: 1600 px over 8 cm is about 508 pixels per inch.
    const images = (await run('pdfimages', ['-list', file])).stdout.trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    const [page, , type, width, height, , , , enc, , , , xPpi] = (images[0] ?? '').trim().split(/\s+/);
    expect({ page, type, width, height, enc }).toEqual({ page: '3', type: 'image', width: '1200', height: '1600', enc: 'jpeg' });
    expect(Number(xPpi)).toBeGreaterThan(480);
    expect(Number(xPpi)).toBeLessThan(540);
  });

  it('streams a 1,000-check pack with photos, row by row, in bounded memory', { timeout: 120_000 }, async () => {
    const action = actions[3];
    const gc = collectGarbage();
    const [dana] = await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'dg.demo'");
    const answers = JSON.stringify(SERVERY_ANSWERS);
    const insert = (sql: string, params: SqlParam[]) => t.db.query(sql, params);
    // In bulk, as SQL: 1,000 pushes would be slow and prove nothing more here.
    await insert(
      `INSERT INTO checks (id, establishment_id, kind, template_version_id, unit_id, author_id, device_id, answers, started_at, submitted_at, received_at)
       SELECT gen_random_uuid(), $1, 'check', $2, $3, $4, 'bulk-export', $5::jsonb, at - interval '5 minutes', at, at
       FROM (SELECT '2026-11-10T06:00:00Z'::timestamptz + n * interval '1 minute' AS at FROM generate_series(1, 1000) n) minutes`,
      [world.demoId, serveryVersionId, refs.unitId, dana?.id ?? '', answers],
    );
    await insert("INSERT INTO check_actions (check_id, action_id) SELECT id, $1 FROM checks WHERE device_id = 'bulk-export'", [action?.id ?? '']);
    await insert(
      `INSERT INTO check_photos (check_id, position, sha256, item_id, mime, size, width, height)
       SELECT id, 0, $1, 'servery-photo', 'image/jpeg', $2, 1200, 1600 FROM checks WHERE device_id = 'bulk-export'`,
      [PHOTO_SHA, PHOTO.length],
    );

    // When the server reads each page of evidence: bytes must reach the client before the last page is read,
    // and the reading must stop while the client stops taking bytes.
    const evidenceReads: number[] = [];
    const query = t.db.query.bind(t.db);
    t.db.query = async <Row extends object>(sql: string, params?: readonly SqlParam[]) => {
      if (sql.includes('cursor_at')) evidenceReads.push(performance.now());
      return query<Row>(sql, params);
    };

    // inject() buffers whole responses: a real socket and fetch read the pack as a stream.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const stream = async (format: ExportFormat, options: { pauseAfterFirstChunk: boolean }) => {
      evidenceReads.length = 0;
      gc();
      const baseline = memoryInUse();
      const baselineHeap = process.memoryUsage().heapUsed;
      let peak = baseline;
      let peakHeap = baselineHeap;
      // What the process holds on to, garbage collected first: the photos' Buffers churn through
      // the external memory by the hundred megabytes, and how much of that awaits collection at any
      // moment says nothing about what the server keeps. Every 256 chunks (about 16 MB), and while paused.
      const sample = () => {
        gc();
        peak = Math.max(peak, memoryInUse());
      };
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${exportPath(format, forAction(action))}`, { headers: { cookie: hor.cookie } });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      if (!reader) throw new Error('no body');
      let bytes = 0;
      let chunks = 0;
      let firstChunkAt = 0;
      let readsWhilePaused: number | null = null;
      let head = '';
      let tail = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (chunks === 0) {
          firstChunkAt = performance.now();
          head = Buffer.from(value.subarray(0, 8)).toString('latin1');
          if (options.pauseAfterFirstChunk) {
            // Stop taking bytes until the server has read nothing for 2 s. A server that ignored the
            // client would read on to the end, holding the whole pack in memory meanwhile.
            let idle = 0;
            while (idle < 2000 && performance.now() - started < 60_000) {
              const before = evidenceReads.length;
              await new Promise((resolve) => setTimeout(resolve, 250));
              sample();
              idle = evidenceReads.length === before ? idle + 250 : 0;
            }
            readsWhilePaused = evidenceReads.length;
          }
        }
        chunks += 1;
        bytes += value.length;
        tail = Buffer.from(value.subarray(Math.max(0, value.length - 16))).toString('latin1');
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        if (chunks % 256 === 0) sample();
      }
      const seconds = (performance.now() - started) / 1000;
      sample();
      const [growth, heapGrowth, reads] = [peak - baseline, peakHeap - baselineHeap, [...evidenceReads]];
      return { bytes, chunks, head, tail, growth, heapGrowth, firstChunkAt, reads, readsWhilePaused, seconds };
    };

    // A cancelled download ends the work: once the client has gone, no more evidence is read.
    const abandon = async () => {
      evidenceReads.length = 0;
      const controller = new AbortController();
      const url = `http://127.0.0.1:${port}${exportPath('pdf', forAction(action))}`;
      const res = await fetch(url, { headers: { cookie: hor.cookie }, signal: controller.signal });
      await res.body?.getReader().read();
      controller.abort();
      const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
      await settle();
      const readsWhenGone = evidenceReads.length;
      await settle();
      return { readsWhenGone, readsLater: evidenceReads.length };
    };

    const MB = 1024 * 1024;
    const csv = await stream('csv', { pauseAfterFirstChunk: false });
    const pdf = await stream('pdf', { pauseAfterFirstChunk: true });
    const abandoned = await abandon();
    t.db.query = query;
    const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
    const report = (name: string, r: typeof csv) =>
      `${name} ${mb(r.bytes)} in ${r.chunks} chunks, ${r.seconds.toFixed(1)} s, peak growth retained ${mb(r.growth)} `
      + `(heapUsed uncollected ${mb(r.heapGrowth)})`;
    console.info(
      `1,000-check pack on ${TEST_ENGINE}: ${report('CSV', csv)}; ${report('PDF', pdf)}, 2 s of it paused, `
      + `${pdf.readsWhilePaused ?? '?'} of ${pdf.reads.length} evidence pages read while paused; `
      + `cancelled: ${abandoned.readsWhenGone} pages read, ${abandoned.readsLater} a second later`,
    );

    // 1,000 checks of 8 answers each, read 100 checks at a time, sent as they are read.
    expect(csv.head.startsWith('\u00ef\u00bb\u00bf')).toBe(true);
    expect(csv.bytes).toBeGreaterThan(1.5 * MB);
    expect(csv.reads.length).toBeGreaterThanOrEqual(10);
    expect(csv.firstChunkAt).toBeLessThan(csv.reads.at(-1) ?? 0);
    expect(csv.growth).toBeLessThan(16 * MB);

    // Every check carries its photo, so the PDF is over 100 MB; memory grows by a fraction of that.
    expect(pdf.head).toBe('%PDF-1.3');
    expect(pdf.tail).toContain('%%EOF');
    expect(pdf.bytes).toBeGreaterThan(1000 * PHOTO.length);
    expect(pdf.reads.length).toBeGreaterThanOrEqual(10);
    expect(pdf.firstChunkAt).toBeLessThan(pdf.reads.at(-1) ?? 0);
    expect(pdf.readsWhilePaused).toBeLessThan(pdf.reads.length / 2);
    expect(pdf.growth).toBeLessThan(64 * MB);

    expect(abandoned.readsWhenGone).toBeLessThan(pdf.reads.length / 2);
    expect(abandoned.readsLater).toBe(abandoned.readsWhenGone);
  });
});
