// The device's repositories in real IndexedDB: submitting evidence queues it exactly once, a pull
// keeps what was made here, and settling a push clears or marks exactly the mutations it names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveQuery } from 'dexie';
import { addPhoto, NotADraftError, removePhoto, startCheck, startNote, submitCheck, updateDraft, type SeenDraft } from '../../src/data/checks.ts';
import { db, type TemplateRow } from '../../src/data/db.ts';
import { getClientId } from '../../src/data/device.ts';
import { saveSession } from '../../src/data/session-store.ts';
import { dexieSyncStore } from '../../src/data/sync-store.ts';
import type { Change } from '../../src/shared/api/sync.ts';
import type { SessionInfo } from '../../src/shared/auth.ts';

const ESTABLISHMENT = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e10';
const ME = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e0f';
const ACTION = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e41';
const info: SessionInfo = {
  user: { id: ME, username: 'dg.demo', displayName: 'Dana Governor' },
  roles: ['duty-governor'],
  establishment: { id: ESTABLISHMENT, name: 'HMP Demo', timeZone: 'Europe/London' },
  establishments: [{ id: ESTABLISHMENT, name: 'HMP Demo', roles: ['duty-governor'] }],
  unitIds: [],
  csrfToken: 'token',
  mustChangePassword: false,
};

const UNIT = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e51';

/** A template version with one pass/fail question; another version of it asks a second one. */
function template(id: string, version: number, questions: string[]): TemplateRow {
  return {
    id,
    templateId: '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e60',
    builtin: false,
    archived: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    definition: {
      key: 'servery',
      version,
      title: 'Servery check',
      description: '',
      sections: [
        {
          id: 'main',
          title: 'Servery',
          items: questions.map((question, i) => ({ kind: 'pass-fail', id: `q${String(i + 1)}`, question, required: true, noteOnFail: true })),
        },
      ],
    },
  };
}
const V1 = template('0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e61', 1, ['Is the counter clean?']);
const V2 = template('0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e62', 2, ['Is the counter clean?', 'Is the floor clean?']);

/** The draft as a form shows it: read from the device, as the check screen's live query reads it. */
async function seenDraft(id: string, templateVersionId: string | null = null): Promise<SeenDraft> {
  const check = await db.checks.get(id);
  if (!check) throw new Error(`no check ${id}`);
  const template = await db.templates.get(templateVersionId ?? check.templateVersionId ?? '');
  return { check, photos: await db.photos.where('checkId').equals(id).sortBy('addedAt'), template };
}

async function draftCheck(templateVersionId: string): Promise<string> {
  const id = await startCheck({ authorId: ME, templateVersionId, scheduleId: null, dueOn: null, unitId: UNIT, actionIds: [] });
  await updateDraft(id, { answer: { itemId: 'q1', value: 'pass' } });
  return id;
}

// Every IndexedDB transaction this page opens, recorded while `opened` is set. Installed before the
// database first opens: Dexie keeps the method it finds then.
let opened: IDBTransaction[] | null = null;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below on the database it was asked of
const openTransaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
  const transaction = openTransaction.apply(this, args);
  opened?.push(transaction);
  return transaction;
};

/** The IndexedDB transactions `run` opens, in order. */
async function openedBy(run: () => Promise<unknown>): Promise<IDBTransaction[]> {
  opened = [];
  try {
    await run();
    return opened;
  } finally {
    opened = null;
  }
}

/** The modes of the IndexedDB transactions `run` opens, in order. */
async function transactionsOf(run: () => Promise<unknown>): Promise<IDBTransactionMode[]> {
  return (await openedBy(run)).map((t) => t.mode);
}

async function submittedNote(text: string): Promise<string> {
  const id = await startNote({ authorId: ME, actionIds: [ACTION], unitId: null });
  await updateDraft(id, { note: text });
  expect(await submitCheck(id)).toEqual([]);
  return id;
}

beforeEach(async () => {
  await saveSession(info);
});

afterEach(async () => {
  await db.meta.where('key').notEqual('clientId').delete();
  for (const table of db.tables) if (table.name !== 'meta') await table.clear();
});

describe('submitting evidence', () => {
  it('marks the note submitted and queues one mutation, in one step; a second submit is refused', async () => {
    const id = await submittedNote('Servery clean at lunch.');
    expect(await db.checks.get(id)).toMatchObject({ status: 'submitted', note: 'Servery clean at lunch.' });
    const queued = await db.outbox.toArray();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ type: 'note.add', entityId: id, state: 'waiting', payload: { noteId: id, actionIds: [ACTION] } });
    await expect(submitCheck(id)).rejects.toThrow(NotADraftError);
    expect(await db.outbox.count()).toBe(1);
  });

  it('says what is missing and queues nothing', async () => {
    const id = await startNote({ authorId: ME, actionIds: [], unitId: null });
    expect((await submitCheck(id)).map((issue) => issue.field)).toEqual(['note', 'actions']);
    expect((await db.checks.get(id))?.status).toBe('draft');
    expect(await db.outbox.count()).toBe(0);
  });

  it('writes the check, its outbox entry and reads everything it needs in one transaction', async () => {
    await db.templates.bulkPut([V1, V2]);
    const id = await draftCheck(V1.id);
    const clientId = await getClientId();
    expect(await transactionsOf(() => submitCheck(id))).toEqual(['readwrite']);
    expect(await db.checks.get(id)).toMatchObject({ status: 'submitted' });
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ type: 'check.submit', entityId: id, clientId, state: 'waiting', payload: { templateVersionId: V1.id } });
  });

  it('writes a complete draft as the form shows it in one transaction that reads no template', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id)); // the page learns the device id
    const id = await draftCheck(V1.id);
    const seen = await seenDraft(id);
    const transactions = await openedBy(() => submitCheck(id, seen));
    // Only the one-round-trip write leaves the templates out: what it validated is what the form holds.
    expect(transactions.map((t) => [t.mode, [...t.objectStoreNames].includes('templates'), t.durability])).toEqual([['readwrite', false, 'strict']]);
    const { submittedAt, updatedAt, ...kept } = seen.check;
    const submitted = await db.checks.get(id);
    expect(submitted).toMatchObject({ ...kept, status: 'submitted' });
    expect([submittedAt, submitted?.submittedAt === submitted?.updatedAt, updatedAt <= (submitted?.updatedAt ?? '')]).toEqual([null, true, true]);
    expect((await db.outbox.where('entityId').equals(id).toArray()).map((e) => e.payload)).toMatchObject([{ answers: seen.check.answers }]);
  });

  it('submits a draft changed since the form read it as the device holds it, rolling the first write back', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id));
    const id = await draftCheck(V1.id);
    const seen = await seenDraft(id);
    // Another tab, or a save still landing, changes the answer after the form read the draft.
    await updateDraft(id, { answer: { itemId: 'q1', value: 'fail', note: 'Counter sticky' } });
    expect(await transactionsOf(() => submitCheck(id, seen))).toEqual(['readwrite', 'readwrite']);
    const entries = await db.outbox.where('entityId').equals(id).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.payload).toMatchObject({ answers: [{ itemId: 'q1', value: 'fail', note: 'Counter sticky' }] });
    expect((await db.checks.get(id))?.answers).toEqual([{ itemId: 'q1', value: 'fail', note: 'Counter sticky' }]);
  });

  it('submits a draft whose photo was removed after the form read it without that photo', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id));
    const id = await draftCheck(V1.id);
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer;
    const photoId = await addPhoto(id, null, { bytes, sha256: 'a'.repeat(64), size: 4, width: 1, height: 1 });
    const seen = await seenDraft(id);
    expect(seen.photos).toHaveLength(1);
    await removePhoto(photoId); // the row is untouched: only the photos' ids tell
    expect(await transactionsOf(() => submitCheck(id, seen))).toEqual(['readwrite', 'readwrite']);
    expect((await db.outbox.where('entityId').equals(id).toArray()).map((e) => e.payload)).toMatchObject([{ photos: [] }]);
  });

  it('tells live queries the check and the outbox changed when the one-round-trip write commits', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id));
    const id = await draftCheck(V1.id);
    const seen = await seenDraft(id);
    const seenByScreen: string[] = [];
    const subscription = liveQuery(async () => [(await db.checks.get(id))?.status, await db.outbox.where('entityId').equals(id).count()].join(' ')).subscribe((value) => {
      seenByScreen.push(value);
    });
    try {
      await expect.poll(() => seenByScreen).toEqual(['draft 0']);
      const writes = (await transactionsOf(() => submitCheck(id, seen))).filter((mode) => mode === 'readwrite');
      expect(writes).toEqual(['readwrite']);
      await expect.poll(() => seenByScreen).toEqual(['draft 0', 'submitted 1']);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('refuses a draft another tab submitted after the form read it, queueing nothing more', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id));
    const id = await draftCheck(V1.id);
    const seen = await seenDraft(id);
    expect(await submitCheck(id)).toEqual([]);
    await expect(submitCheck(id, seen)).rejects.toThrow(NotADraftError);
    expect(await db.outbox.where('entityId').equals(id).count()).toBe(1);
  });

  it('validates against the check’s own template version, whichever version the form shows', async () => {
    await db.templates.bulkPut([V1, V2]);
    await submitCheck(await draftCheck(V1.id));
    const id = await draftCheck(V2.id);
    const missing = [{ field: 'q2', message: 'Answer “Is the floor clean?”' }];
    // The form shows another version, or none: the check's own, V2, still decides what is missing.
    expect(await submitCheck(id, await seenDraft(id, V1.id))).toEqual(missing);
    expect(await submitCheck(id)).toEqual(missing);
    expect(await submitCheck(id, await seenDraft(id))).toEqual(missing);
    const before = await db.outbox.count();
    await updateDraft(id, { answer: { itemId: 'q2', value: 'pass' } });
    expect(await submitCheck(id, await seenDraft(id, V1.id))).toEqual([]);
    expect(await db.outbox.count()).toBe(before + 1);
  });

  it('refuses a check whose template is not on the device, and a check without a unit', async () => {
    const id = await draftCheck(V1.id);
    expect(await submitCheck(id, await seenDraft(id))).toEqual([{ field: 'template', message: expect.stringMatching(/not on this device/) as unknown }]);
    await db.templates.put(V1);
    await updateDraft(id, { unitId: null });
    expect(await submitCheck(id, await seenDraft(id))).toEqual([{ field: 'unit', message: 'Choose the unit you checked' }]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps evidence the shared schema refuses, set aside with the reason, never sent', async () => {
    const id = await submittedNote('Hot trolley \u0000 fixed');
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ entityId: id, state: 'rejected' });
    expect(entry?.reason).toMatch(/^Not sent: /);
    expect(await dexieSyncStore.waiting(10)).toEqual([]);
  });
});

describe('the sync store', () => {
  const pulled = (id: string, note: string): Change => ({
    seq: '1',
    entity: 'check',
    id,
    data: {
      id,
      kind: 'note',
      authorId: '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9eff',
      authorName: 'Sam Officer',
      templateVersionId: null,
      scheduleId: null,
      dueOn: null,
      unitId: null,
      landing: null,
      actionIds: [ACTION],
      answers: [],
      note,
      photos: [],
      startedAt: '2026-12-01T09:00:00.000Z',
      submittedAt: '2026-12-01T09:05:00.000Z',
      receivedAt: '2026-12-01T09:06:00.000Z',
      supersedes: null,
      presence: null,
    },
  });

  it('takes others’ evidence from a pull, keeps what was made here as it is, and remembers the cursor', async () => {
    const mine = await submittedNote('Made on this tablet.');
    const theirs = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e99';
    await dexieSyncStore.applyChanges([pulled(theirs, 'Made elsewhere.'), pulled(mine, 'As the server has it.')], '42');
    expect(await db.checks.get(theirs)).toMatchObject({ status: 'submitted', note: 'Made elsewhere.', remote: { authorName: 'Sam Officer' } });
    expect((await db.checks.get(mine))?.note).toBe('Made on this tablet.');
    expect(await dexieSyncStore.pullCursor()).toBe('42');
  });

  it('writes nothing from a pull that arrives after the person signed out', async () => {
    await db.meta.delete('user');
    await dexieSyncStore.applyChanges([pulled('0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e98', 'Too late.')], '7');
    expect(await db.checks.count()).toBe(0);
    expect(await dexieSyncStore.pullCursor()).toBe('0');
  });

  it('settles a push: what was applied leaves the outbox, what was refused stays with its reason', async () => {
    const [a, b, c] = [await submittedNote('One.'), await submittedNote('Two.'), await submittedNote('Three.')];
    const ids = new Map((await db.outbox.toArray()).map((row) => [row.entityId, row.id]));
    await dexieSyncStore.settle([ids.get(a) ?? ''], [{ id: ids.get(b) ?? '', reason: 'The action is archived.' }]);
    const left = await db.outbox.orderBy('seq').toArray();
    expect(left.map((row) => [row.entityId, row.state, row.reason])).toEqual([
      [b, 'rejected', 'The action is archived.'],
      [c, 'waiting', undefined],
    ]);
    expect((await dexieSyncStore.waiting(10)).map((item) => item.entityId)).toEqual([c]);
  });

  it('remembers a batch of uploaded photos at once, and forgets those the server lacks', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64));
    await dexieSyncStore.markUploaded([a ?? '', b ?? '', c ?? '']);
    await dexieSyncStore.markUploaded([a ?? '']);
    expect([...(await dexieSyncStore.uploaded())].sort()).toEqual([a, b, c]);
    await dexieSyncStore.forgetUploaded([b ?? '']);
    expect([...(await dexieSyncStore.uploaded())].sort()).toEqual([a, c]);
  });
});
