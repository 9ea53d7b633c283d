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

export interface MetaRow {
  key: MetaKey;
  value: unknown;
}
/**
 * clientId: this device's stable id (kept across sign-outs); user: the signed-in person's
 * session info; sessionExpired: the server ended that session; pullCursor, lastSync: sync state.
 */
export type MetaKey = 'clientId' | 'pullCursor' | 'lastSync' | 'user' | 'sessionExpired';

export interface UnitRow {
  id: string;
  establishmentId: string;
  name: string;
  landings: string[];
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
  version: number;
}

export interface TemplateRow {
  /** One row per template version. */
  id: string;
  templateId: string;
  version: number;
  title: string;
  items: unknown;
}

export interface ScheduleRow {
  id: string;
  templateId: string;
  unitIds: string[];
  frequency: unknown;
  actionIds: string[];
}

export interface ReviewRow {
  id: string;
  checkId: string | null;
  actionId: string | null;
  decision: 'accepted' | 'returned';
  reason: string | null;
  reviewedAt: string;
}

export interface CheckRow {
  id: string;
  status: 'draft' | 'submitted';
  templateVersionId: string;
  unitId: string;
  landing: string | null;
  actionIds: string[];
  answers: unknown;
  startedAt: string;
  updatedAt: string;
  submittedAt: string | null;
  supersedes: string | null;
}

export interface PhotoRow {
  /** SHA-256 of the bytes: the same photo is stored once and uploaded once. */
  sha256: string;
  checkId: string;
  /** ArrayBuffer, not Blob: Safari has lost Blobs stored in IndexedDB. */
  bytes: ArrayBuffer;
  mime: string;
  width: number;
  height: number;
  takenAt: string;
}

export interface OutboxRow {
  /** Auto-incremented: the order this device made its changes in, sent in that order. */
  seq?: number;
  /** The mutation's UUIDv7: the server's key for exactly-once application. */
  id: string;
  type: string;
  payload: unknown;
  createdAt: string;
  /** waiting: to send; rejected: the server refused it and a person must look. */
  state: 'waiting' | 'rejected';
  reason?: string;
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

  constructor(name = 'wingcheck') {
    super(name);
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
  }
}

export const db = new WingcheckDb();
