import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BlobStore } from '../../../server/src/blobs.ts';
import type { Queryable } from '../../../server/src/db/client.ts';
import type { PushedMutation } from '../../../src/shared/api/sync.ts';
import { newId } from '../../../src/shared/ids.ts';
import type { SubmitCheckPayload } from '../../../src/shared/mutations.ts';
import { openPostgres } from '../../../server/src/db/client.ts';
import { seedDemo } from '../../../server/src/db/demo.ts';
import { migrate } from '../../../server/src/db/migrate.ts';
import { PASSWORD } from './world.ts';

/** A real JPEG (from the e2e fixtures) and its hash, for upload tests. */
export const PHOTO = readFileSync(new URL('../../e2e/fixtures/images/hot-trolley.jpg', import.meta.url));
export const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');

export interface EvidenceRefs {
  templateVersionId: string;
  unitId: string;
  actionId: string;
}

/** The weekly unit cleaning checklist of an establishment (all pass-fail), a unit and an action, for building checks. */
export async function evidenceRefs(db: Queryable, establishmentId: string): Promise<EvidenceRefs> {
  const [version] = await db.query<{ id: string }>(
    `SELECT v.id FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE t.establishment_id = $1 AND t.key = 'weekly-unit-cleaning' ORDER BY v.version DESC LIMIT 1`,
    [establishmentId],
  );
  const [unit] = await db.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1 ORDER BY name LIMIT 1', [establishmentId]);
  const [action] = await db.query<{ id: string }>(
    `SELECT a.id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
     WHERE p.establishment_id = $1 ORDER BY r.position, a.position LIMIT 1`,
    [establishmentId],
  );
  if (!version || !unit || !action) throw new Error('the establishment lacks a template, unit or action');
  return { templateVersionId: version.id, unitId: unit.id, actionId: action.id };
}

/** A complete weekly cleaning check, as a device would push it. */
export function checkMutation(
  refs: EvidenceRefs,
  clientId: string,
  seq: number,
  overrides: Partial<SubmitCheckPayload> = {},
): PushedMutation & { payload: SubmitCheckPayload } {
  const payload: SubmitCheckPayload = {
    checkId: newId(),
    templateVersionId: refs.templateVersionId,
    scheduleId: null,
    dueOn: null,
    unitId: refs.unitId,
    landing: null,
    actionIds: [refs.actionId],
    answers: ['walls-windows', 'servery-deep-clean', 'bins-drains', 'cleaning-materials'].map((itemId) => ({ itemId, value: 'pass' as const })),
    photos: [],
    startedAt: '2026-11-23T09:00:00.000Z',
    submittedAt: '2026-11-23T09:10:00.000Z',
    supersedes: null,
    ...overrides,
  };
  // A check submitted at another time than the default was started then too, not in its future.
  if (overrides.submittedAt && !overrides.startedAt) payload.startedAt = overrides.submittedAt;
  return { id: newId(), clientId, seq, type: 'check.submit', payload, createdAt: payload.submittedAt };
}

/**
 * A PostgreSQL database (a spawned server's) migrated and given the demo, its users' password
 * PASSWORD, as the server itself seeds only PGlite: the demo establishment, and its references for checks;
 * with `history`, its six weeks of checks too, their photos in `history.blobs`.
 */
export async function seedDemoOn(
  url: string,
  history?: { blobs: BlobStore },
): Promise<EvidenceRefs & { establishmentId: string; planId: string }> {
  const db = await openPostgres(url, { max: 2 });
  try {
    await migrate(db);
    await seedDemo(db, { usersPassword: PASSWORD, ...(history ? { history: { blobs: history.blobs, now: new Date() } } : {}) });
    const [demo] = await db.query<{ id: string }>("SELECT id FROM establishments WHERE name = 'HMP Demo'");
    const establishmentId = demo?.id ?? '';
    const [plan] = await db.query<{ id: string }>('SELECT id FROM plans WHERE establishment_id = $1 ORDER BY created_at LIMIT 1', [establishmentId]);
    return { ...(await evidenceRefs(db, establishmentId)), establishmentId, planId: plan?.id ?? '' };
  } finally {
    await db.close();
  }
}
