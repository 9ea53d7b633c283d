// The device's repositories in real IndexedDB: submitting evidence queues it exactly once, a pull
// keeps what was made here, and settling a push clears or marks exactly the mutations it names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotADraftError, startNote, submitCheck, updateDraft } from '../../src/data/checks.ts';
import { db } from '../../src/data/db.ts';
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
