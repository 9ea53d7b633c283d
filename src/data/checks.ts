/**
 * Checks and notes made on this device: drafts saved on every change, submitted evidence kept
 * immutable, and the outbox entry that carries it to the server written in the same transaction.
 */
import Dexie from 'dexie';
import { newId } from '../shared/ids.ts';
import type * as Mutations from '../shared/mutations.ts';
import type { MutationBody, PhotoRef } from '../shared/mutations.ts';
import type { Answer } from '../shared/templates/schema.ts';
import type * as Validate from '../shared/templates/validate.ts';
import type { validateAnswers } from '../shared/templates/validate.ts';
import type * as SubmitWrite from './submit-write.ts';
import { db, type CheckRow, type PhotoRow, type TemplateRow } from './db.ts';
import { newOutboxEntry } from './outbox.ts';
import { clientIdInTransaction } from './device.ts';

/** The browser refused a write for lack of space. What was already saved is untouched. */
export class StorageFullError extends Error {
  constructor(what: string) {
    super(
      `This tablet has run out of space for Wingcheck, so ${what} was not saved. Everything saved before is kept. `
      + 'Connect to the network so waiting checks can send, then free some space on the tablet (old photos, videos or apps) and try again.',
    );
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'QuotaExceededError' || error instanceof Dexie.QuotaExceededError) return true;
  // Dexie wraps the browser's error in an AbortError whose `inner` is the quota error.
  const inner = (error as { inner?: unknown }).inner;
  return inner !== undefined && inner !== error && isQuotaError(inner);
}

/** Runs a write, turning the browser's quota error into one a person can act on. */
async function writing<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError(what);
    throw error;
  }
}

export class NotADraftError extends Error {
  constructor() {
    super('This check has been submitted and can no longer change. To correct it, start a correction.');
  }
}

export interface NewCheck {
  authorId: string;
  templateVersionId: string;
  scheduleId: string | null;
  dueOn: string | null;
  unitId: string | null;
  actionIds: string[];
}

function blankRow(authorId: string, now: string): Omit<CheckRow, 'kind' | 'templateVersionId'> {
  return {
    id: newId(),
    status: 'draft',
    authorId,
    scheduleId: null,
    dueOn: null,
    unitId: null,
    landing: null,
    actionIds: [],
    answers: [],
    note: '',
    lastItemId: null,
    startedAt: now,
    updatedAt: now,
    submittedAt: null,
    supersedes: null,
  };
}

export async function startCheck(input: NewCheck): Promise<string> {
  const now = new Date().toISOString();
  const row: CheckRow = { ...blankRow(input.authorId, now), ...input, kind: 'check' };
  await writing('the new check', () => db.checks.add(row));
  return row.id;
}

export async function startNote(input: { authorId: string; actionIds: string[]; unitId: string | null }): Promise<string> {
  const now = new Date().toISOString();
  const row: CheckRow = { ...blankRow(input.authorId, now), ...input, kind: 'note', templateVersionId: null };
  await writing('the new note', () => db.checks.add(row));
  return row.id;
}

/** A draft for this schedule, unit and day, if one was started (Today's "continue"). */
export async function findScheduledCheck(scheduleId: string, dueOn: string, unitId: string): Promise<CheckRow | undefined> {
  const rows = await db.checks.where('[scheduleId+dueOn]').equals([scheduleId, dueOn]).toArray();
  return rows.find((r) => r.unitId === unitId && r.status === 'draft') ?? rows.find((r) => r.unitId === unitId);
}

/**
 * This person's unfinished ad hoc draft of a template (any of its versions) on a unit, if any: a
 * second tap on the same check carries on with it rather than starting another.
 */
export async function findAdhocDraft(
  authorId: string,
  versionIds: ReadonlySet<string>,
  unitId: string,
): Promise<CheckRow | undefined> {
  const drafts = await db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).reverse().toArray();
  return drafts.find(
    (d) => d.authorId === authorId
      && d.scheduleId === null
      && d.unitId === unitId
      && d.supersedes === null
      && d.templateVersionId !== null
      && versionIds.has(d.templateVersionId),
  );
}

type DraftChange = Partial<Pick<CheckRow, 'unitId' | 'landing' | 'actionIds' | 'note' | 'lastItemId' | 'tagScan'>> & { answer?: Answer };

/**
 * Saves one change to a draft at once (autosave). Read-modify-write in one transaction, so rapid
 * changes never overwrite each other.
 */
export async function updateDraft(id: string, change: DraftChange): Promise<void> {
  await writing('your last change', () =>
    db.transaction('rw', db.checks, async () => {
      const row = await db.checks.get(id);
      if (!row) throw new Error(`no check ${id}`);
      if (row.status !== 'draft') throw new NotADraftError();
      const { answer, ...fields } = change;
      const answers = answer ? [...row.answers.filter((a) => a.itemId !== answer.itemId), answer] : row.answers;
      await db.checks.put({ ...row, ...fields, answers, updatedAt: new Date().toISOString() });
    }),
  );
}

export interface StoredPhotoInput {
  bytes: ArrayBuffer;
  sha256: string;
  size: number;
  width: number;
  height: number;
}

export async function addPhoto(checkId: string, itemId: string | null, photo: StoredPhotoInput): Promise<string> {
  const id = newId();
  await writing('the photo', () =>
    db.transaction('rw', db.checks, db.photos, async () => {
      const row = await db.checks.get(checkId);
      if (row?.status !== 'draft') throw new NotADraftError();
      await db.photos.add({ id, checkId, itemId, mime: 'image/jpeg', addedAt: new Date().toISOString(), ...photo });
      await db.checks.update(checkId, { updatedAt: new Date().toISOString(), lastItemId: itemId ?? row.lastItemId });
    }),
  );
  return id;
}

export async function removePhoto(photoId: string): Promise<void> {
  await db.transaction('rw', db.checks, db.photos, async () => {
    const photo = await db.photos.get(photoId);
    if (!photo) return;
    const row = await db.checks.get(photo.checkId);
    if (row?.status !== 'draft') throw new NotADraftError();
    await db.photos.delete(photoId);
  });
}

/**
 * Puts the blurred image in place of a draft's photo, in one transaction: the unblurred bytes leave
 * the device's store as the blurred ones arrive, and were never sent (a draft is not).
 */
export async function keepBlurredPhoto(photoId: string, blurred: StoredPhotoInput): Promise<void> {
  await writing('the blurred photo', () =>
    db.transaction('rw', db.checks, db.photos, async () => {
      const photo = await db.photos.get(photoId);
      if (!photo) throw new Error('That photo is no longer on this device.');
      const row = await db.checks.get(photo.checkId);
      if (row?.status !== 'draft') throw new NotADraftError();
      await db.photos.put({ ...photo, ...blurred, redacted: true });
      await db.checks.update(photo.checkId, { updatedAt: new Date().toISOString() });
    }),
  );
}

/** Throws a draft away with its photos. Submitted evidence is never deleted. */
export async function discardDraft(id: string): Promise<void> {
  await db.transaction('rw', db.checks, db.photos, async () => {
    const row = await db.checks.get(id);
    if (row?.status !== 'draft') throw new NotADraftError();
    await db.photos.where('checkId').equals(id).delete();
    await db.checks.delete(id);
  });
}

export interface SubmitIssue {
  /** The item (or field: "unit", "note", "actions") the problem is about. */
  field: string;
  message: string;
}

function photoRefs(photos: readonly PhotoRow[]): PhotoRef[] {
  // `redacted` only when true: a payload without blurred photos is exactly as before.
  return photos.map(({ sha256, mime, size, width, height, itemId, redacted }) => ({
    sha256, mime, size, width, height, itemId, ...(redacted ? { redacted: true } : {}),
  }));
}

function issuesOf(
  row: CheckRow,
  template: TemplateRow | undefined,
  photos: readonly PhotoRow[],
  validate: typeof validateAnswers,
): SubmitIssue[] {
  if (row.kind === 'note') {
    const issues: SubmitIssue[] = [];
    if (!row.note.trim()) issues.push({ field: 'note', message: 'Write what was done or seen' });
    if (row.actionIds.length === 0) issues.push({ field: 'actions', message: 'Choose at least one action this is evidence for' });
    return issues;
  }
  if (!template) return [{ field: 'template', message: 'This check’s template is not on this device. Connect to the network to fetch it.' }];
  const issues: SubmitIssue[] = row.unitId ? [] : [{ field: 'unit', message: 'Choose the unit you checked' }];
  const photosByItem: Record<string, number> = {};
  for (const p of photos) if (p.itemId) photosByItem[p.itemId] = (photosByItem[p.itemId] ?? 0) + 1;
  for (const issue of validate(template.definition, row.answers, photosByItem)) {
    issues.push({ field: issue.itemId, message: issue.message });
  }
  return issues;
}

function mutationOf(row: CheckRow, photos: readonly PhotoRow[], submittedAt: string): MutationBody {
  const common = { photos: photoRefs(photos), startedAt: row.startedAt, submittedAt, supersedes: row.supersedes };
  if (row.kind === 'note') {
    return { type: 'note.add', payload: { noteId: row.id, actionIds: row.actionIds, unitId: row.unitId, text: row.note.trim(), ...common } };
  }
  return {
    type: 'check.submit',
    payload: {
      checkId: row.id,
      templateVersionId: row.templateVersionId ?? '',
      scheduleId: row.scheduleId,
      dueOn: row.dueOn,
      unitId: row.unitId ?? '',
      landing: row.landing,
      actionIds: row.actionIds,
      answers: row.answers,
      ...common,
      ...(row.tagScan ? { presence: row.tagScan } : {}),
    },
  };
}

/** What submitting needs beyond the first screen (zod, the template rules, the one-round-trip write), loaded once. */
type SubmitModules = [typeof Mutations, typeof Validate, typeof SubmitWrite];
let submitModules: Promise<SubmitModules> | undefined;

/** Loads what submitting needs, kept out of the first bundle to keep zod out of it; a failed load is tried again. */
function loadSubmitModules(): Promise<SubmitModules> {
  submitModules ??= Promise.all([import('../shared/mutations.ts'), import('../shared/templates/validate.ts'), import('./submit-write.ts')]).catch(
    (error: unknown) => {
      submitModules = undefined;
      throw error;
    },
  );
  return submitModules;
}

/** This device's id once read in this page: stable while the database lives, and checked on every write that uses it. */
let knownClientId: string | undefined;

/**
 * Readies the tap on Submit while the person fills the form in: loads what submitting needs and
 * reads this device's id, so the tap waits on neither and the first submit can take the fast path.
 */
export async function prepareSubmit(): Promise<void> {
  const [, device] = await Promise.all([loadSubmitModules(), db.meta.get('clientId')]);
  if (typeof device?.value === 'string') knownClientId = device.value;
}

/** The draft as the form last read it from this device: what a one-round-trip submit writes. */
export interface SeenDraft {
  check: CheckRow;
  photos: readonly PhotoRow[];
  template: TemplateRow | undefined;
}

/** The outbox entry for a complete draft, held to the shared schema here as the server will hold it. */
function entryFor(
  row: CheckRow,
  photos: readonly PhotoRow[],
  clientId: string,
  submittedAt: string,
  { MutationBody, firstIssue }: typeof Mutations,
) {
  // What fails (a NUL pasted into a note, a tablet clock in year 1970) is still submitted and kept,
  // but queued as needing attention with the field named: it never reaches the server to be refused
  // there, and never stands in the queue in front of the checks made after it.
  const mutation = mutationOf(row, photos, submittedAt);
  const parsed = MutationBody.safeParse(mutation);
  const entry = newOutboxEntry(parsed.success ? parsed.data : mutation, row.id, clientId, submittedAt);
  if (!parsed.success) {
    entry.state = 'rejected';
    entry.reason = `Not sent: ${firstIssue(parsed.error)}.`;
  }
  return entry;
}

/** A draft the form shows as complete, judged by the very template version it was started on. */
function completeAsSeen(seen: SeenDraft, validate: typeof validateAnswers): boolean {
  const { check, template } = seen;
  if (check.status !== 'draft') return false;
  if (check.kind === 'check' && template?.id !== check.templateVersionId) return false;
  return issuesOf(check, template, seen.photos, validate).length === 0;
}

/** The draft's row once submitted: immutable from here. */
const asSubmitted = (row: CheckRow, submittedAt: string): CheckRow => ({ ...row, status: 'submitted', submittedAt, updatedAt: submittedAt });

/**
 * The tap's fast path, for a draft the form shows complete: the writes go in the same round trip as
 * the reads that prove the device still holds exactly that draft, those photos and this device id
 * (writeIfUnchanged). False when it does not: nothing was written, and the submit takes the slower path.
 */
function submitAsSeen(seen: SeenDraft, clientId: string, [mutations, , { writeIfUnchanged }]: SubmitModules): Promise<boolean> {
  const submittedAt = new Date().toISOString();
  const entry = entryFor(seen.check, seen.photos, clientId, submittedAt, mutations);
  return writeIfUnchanged(seen, asSubmitted(seen.check, submittedAt), entry, clientId);
}

/**
 * Submits a draft: checks it is complete, then in ONE transaction marks it submitted (immutable
 * from here) and queues its mutation. Either both happen or neither: a submitted check is never
 * left unqueued, and nothing is queued for a check still open. Returns what stops submission.
 * `seen`, the draft as the form shows it, lets a complete draft be written in one round trip
 * (submitAsSeen); if the device holds anything else, the draft is read afresh and judged on that.
 */
export async function submitCheck(id: string, seen: SeenDraft | null = null): Promise<SubmitIssue[]> {
  // The service worker has these cached; a transaction must not wait on a module load.
  const modules = await loadSubmitModules();
  const [mutations, { validateAnswers }] = modules;
  const known = knownClientId;
  if (seen?.check.id === id && known !== undefined && db.isOpen() && completeAsSeen(seen, validateAnswers)) {
    if (await writing('the submitted check', () => submitAsSeen(seen, known, modules))) return [];
  }
  return writing('the submitted check', () =>
    db.transaction('rw', [db.checks, db.photos, db.templates, db.outbox, db.meta], async () => {
      // Everything is read at once, then written at once: the template the form names is read
      // beside the check, and used if it is the check's own version.
      const named = seen?.check.templateVersionId ?? null;
      const expected = named ? db.templates.get(named) : undefined;
      const [row, photos, clientId] = await Promise.all([
        db.checks.get(id),
        db.photos.where('checkId').equals(id).sortBy('addedAt'),
        clientIdInTransaction(),
      ]);
      knownClientId = clientId;
      if (!row) throw new Error(`no check ${id}`);
      if (row.status !== 'draft') throw new NotADraftError();
      const version = row.kind === 'check' ? row.templateVersionId : null;
      const read = version === named ? expected : version && db.templates.get(version);
      const template = read ? await read : undefined;
      const issues = issuesOf(row, template, photos, validateAnswers);
      if (issues.length > 0) return issues;
      const submittedAt = new Date().toISOString();
      await Promise.all([
        db.checks.put(asSubmitted(row, submittedAt)),
        db.outbox.add(entryFor(row, photos, clientId, submittedAt, mutations)),
      ]);
      return [];
    }),
  );
}

/** Starts a correction: a new draft with the same answers and photos, superseding the submitted one. */
export async function startCorrection(id: string, authorId: string): Promise<string> {
  const now = new Date().toISOString();
  const newCheckId = newId();
  await writing('the correction', () =>
    db.transaction('rw', db.checks, db.photos, async () => {
      const original = await db.checks.get(id);
      if (original?.status !== 'submitted') throw new Error('Only submitted evidence can be corrected.');
      const photos = await db.photos.where('checkId').equals(id).toArray();
      await db.checks.add({
        ...original,
        id: newCheckId,
        authorId,
        status: 'draft',
        startedAt: now,
        updatedAt: now,
        submittedAt: null,
        supersedes: id,
        lastItemId: null,
      });
      await db.photos.bulkAdd(photos.map((p) => ({ ...p, id: newId(), checkId: newCheckId })));
    }),
  );
  return newCheckId;
}
