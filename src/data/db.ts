/**
 * The device's IndexedDB store. This module is the only code that touches IndexedDB: screens go
 * through the repositories and hooks beside it.
 *
 * Two kinds of table:
 * - the read model pulled from the server (plans ... reviews), replaced freely on pull;
 * - the device's own work (checks, photos, outbox), which must never be lost: a schema upgrade
 *   may add tables and indexes, or rewrite these rows, but never drop one that is not yet synced.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Schedule, TemplateVersionRecord } from '../shared/api/capture.ts';
import type { MutationBody, PhotoRef, Presence } from '../shared/mutations.ts';
import type { CheckPresence } from '../shared/api/sync.ts';
import type { GapReason } from '../shared/gap-reasons.ts';
import type { Answer } from '../shared/templates/schema.ts';

export interface MetaRow {
  key: MetaKey;
  value: unknown;
}
/**
 * clientId: this device's stable id (kept across sign-outs); user: the signed-in person's
 * session info; sessionShape: the SessionInfo shape it was stored in; sessionExpired: the server
 * ended that session; pullCursor, lastSync: sync state;
 * referenceRefreshedAt: when plans, units, templates and schedules were last fetched;
 * updateRequired: the server refused this app's sync protocol as too old (426).
 */
export type MetaKey = 'clientId' | 'pullCursor' | 'lastSync' | 'user' | 'sessionShape' | 'sessionExpired' | 'referenceRefreshedAt' | 'updateRequired';

export interface UnitRow {
  id: string;
  establishmentId: string;
  name: string;
  landings: string[];
  archived: boolean;
}

export interface PlanRow {
  id: string;
  establishmentId: string;
  title: string;
  version: number;
}

export interface RecommendationRow {
  id: string;
  planId: string;
  ref: string;
  position: number;
  section: string | null;
  category: string | null;
  concern: string | null;
  recommendation: string | null;
}

export interface ActionRow {
  id: string;
  planId: string;
  recommendationId: string;
  position: number;
  text: string;
  owner: string | null;
  target: string | null;
  due: string | null;
  status: string;
  assigneeId: string | null;
  /** Absent on rows kept by a version before the Actions screen, until the next refresh. */
  assigneeName?: string | null;
  version: number;
}

/** One version of a check template, as the server keeps it (id = the version's id). */
export type TemplateRow = TemplateVersionRecord;

export type ScheduleRow = Schedule;

/** A review decision on evidence, pulled from the server (the submitter sees returned evidence). */
export interface ReviewRow {
  id: string;
  checkId: string;
  decision: 'accepted' | 'returned';
  reason: string | null;
  reviewerName: string;
  reviewedAt: string;
}

/**
 * Evidence made on this device: a check (answers to a template) or a note (free text for actions),
 * from the first tap (a draft, saved on every change) to submitted (immutable, queued to send).
 */
export interface CheckRow {
  id: string;
  kind: 'check' | 'note';
  status: 'draft' | 'submitted';
  authorId: string;
  /** The template version it is made with; null for a note. */
  templateVersionId: string | null;
  /** The schedule and local date it was due for; null when run ad hoc. */
  scheduleId: string | null;
  dueOn: string | null;
  unitId: string | null;
  landing: string | null;
  actionIds: string[];
  answers: Answer[];
  /** A note's text. */
  note: string;
  /** The item last changed, so a reopened draft scrolls back to where the person was. */
  lastItemId: string | null;
  startedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  supersedes: string | null;
  /** Pulled evidence: how presence was recorded, as the server verified it; absent or null: not recorded. */
  presence?: CheckPresence | null;
  /** A check made here: the location tag scanned (its text and when) or why none was, as it is sent. */
  tagScan?: Presence | null;
  /** Set on evidence pulled from the server (another device's): who made it, and its photos by hash. */
  remote?: { authorName: string; receivedAt: string; photos: PhotoRef[] };
}

/** A photo attached to a check or note: shrunk on the device, stored once per attachment. */
export interface PhotoRow {
  id: string;
  /** SHA-256 of the bytes: uploaded once, whatever number of checks shows it. */
  sha256: string;
  checkId: string;
  itemId: string | null;
  /** ArrayBuffer, not Blob: Safari has lost Blobs stored in IndexedDB. */
  bytes: ArrayBuffer;
  mime: 'image/jpeg';
  size: number;
  width: number;
  height: number;
  addedAt: string;
  /** Areas were blurred here before it was kept: `bytes` are the blurred image, the original is gone. */
  redacted?: boolean;
}

export type OutboxRow = MutationBody & {
  /** Auto-incremented: the order this device made its changes in, sent in that order. */
  seq?: number;
  /** The mutation's UUIDv7: the server's key for exactly-once application. */
  id: string;
  /** The check or note it carries, so a screen can say whether that one has been sent. */
  entityId: string;
  clientId: string;
  /** The protocol version it was written in (PROTOCOL_VERSION at the time). */
  protocol: number;
  createdAt: string;
  /**
   * waiting: to send; rejected: the server refused it; failed: it could not be sent after
   * MAX_ATTEMPTS tries (or needs one that could not), set aside so the rest still go. A person
   * must look at either (Needs attention); both keep their data and can be tried again.
   */
  state: 'waiting' | 'rejected' | 'failed';
  reason?: string;
  /** Syncs in which it failed on its own (src/sync/engine.ts MAX_ATTEMPTS); absent: none. */
  attempts?: number;
};

/**
 * An explanation of a missed check: given on this device (sent through the outbox), or pulled from
 * the server with the head of residence's decision on it.
 */
export interface GapRow {
  id: string;
  scheduleId: string;
  unitId: string;
  /** The expected day it explains. */
  dueOn: string;
  reason: GapReason;
  detail: string;
  authorId: string;
  explainedAt: string;
  /** The head of residence's decision, once pulled; null: none yet. */
  review: { decision: 'accepted' | 'queried'; comment: string | null; reviewerName: string; reviewedAt: string } | null;
  /** As the server has it (pulled): stored there. Absent: made here, maybe not sent yet. */
  authorName?: string;
}

/** A photo the server is known to have (uploaded, or answered as already there): not sent again. */
export interface UploadRow {
  sha256: string;
  at: string;
}

/**
 * The last answer the server gave to a review screen's question (an API path), so the head of
 * residence can read it with no signal, and see how old it is.
 */
export interface ReadingRow {
  key: string;
  data: unknown;
  refreshedAt: string;
}

export class WingcheckDb extends Dexie {
  meta!: EntityTable<MetaRow, 'key'>;
  units!: EntityTable<UnitRow, 'id'>;
  plans!: EntityTable<PlanRow, 'id'>;
  recommendations!: EntityTable<RecommendationRow, 'id'>;
  actions!: EntityTable<ActionRow, 'id'>;
  templates!: EntityTable<TemplateRow, 'id'>;
  schedules!: EntityTable<ScheduleRow, 'id'>;
  reviews!: EntityTable<ReviewRow, 'id'>;
  checks!: EntityTable<CheckRow, 'id'>;
  photos!: EntityTable<PhotoRow, 'sha256'>;
  outbox!: EntityTable<OutboxRow, 'seq'>;
  uploads!: EntityTable<UploadRow, 'sha256'>;
  readings!: EntityTable<ReadingRow, 'key'>;
  gaps!: EntityTable<GapRow, 'id'>;

  constructor(name = 'wingcheck') {
    // Strict: a transaction completes only once written to disk, so a submitted check survives a
    // flat battery straight after the tap. Chromium's default ("relaxed") may lose the last writes.
    // No live-query cache: its optimistic updates re-run the screen's queries on every write before
    // the commit, and clone each result, main-thread work that a slow tablet pays during the submit
    // (bench:device); the screens keep what a person types in their own state, not in a live query.
    super(name, { chromeTransactionDurability: 'strict', cache: 'disabled' });
    // First key is the primary key; the rest are indexes, each there for a query named beside it.
    this.version(1).stores({
      meta: 'key',
      units: 'id, establishmentId', // units of my establishment
      plans: 'id, establishmentId', // plans of my establishment
      recommendations: 'id, [planId+position]', // a plan's concerns in published order
      actions: 'id, [recommendationId+position], assigneeId, due', // a concern's actions; mine; due soon
      templates: 'id, [templateId+version]', // latest version of a template; a check's exact version
      schedules: 'id, templateId, *unitIds', // schedules of a unit (multi-entry)
      reviews: 'id, checkId, actionId', // decisions on a check / an action
      checks: 'id, [status+updatedAt], unitId, *actionIds', // drafts to resume; evidence of an action
      photos: 'sha256, checkId', // a check's photos
      outbox: '++seq, &id, state', // send in seq order; find by mutation id; needs-attention list
    });
    // v2, capture (issue 6): checks by schedule and due date (Today), corrections, outbox by the
    // check it carries. Photos get their own id (one photo may be attached twice): a primary key
    // cannot change in place, so v2 drops the v1 table, which no released version ever wrote to,
    // and v3 creates it again with the new key.
    this.version(2).stores({
      templates: 'id, templateId', // versions of a template
      schedules: 'id, templateId, *unitIds, *actionIds', // schedules of a unit; that prove an action
      checks: 'id, [status+updatedAt], unitId, *actionIds, supersedes, [scheduleId+dueOn]',
      photos: null,
      outbox: '++seq, &id, state, entityId',
    });
    this.version(3).stores({
      photos: 'id, checkId, sha256', // a check's photos; the attachments of one upload
    });
    // v4, sync (issue 7): photos the server has.
    this.version(4).stores({ uploads: 'sha256' });
    // v5, review offline (issue 8): the review screens' last answers.
    this.version(5).stores({ readings: 'key' });
    // v6, explained gaps (issue 21): explanations of missed checks, by the day they explain.
    this.version(6).stores({ gaps: 'id, [scheduleId+unitId+dueOn]' });
  }
}

export const db = new WingcheckDb();
