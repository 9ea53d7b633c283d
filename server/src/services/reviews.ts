import type { ReviewDecision } from '../../../src/shared/api/review.ts';
import { newId } from '../../../src/shared/ids.ts';
import { audit } from '../audit-request.ts';
import type { Db } from '../db/client.ts';
import { recordChange } from './changes.ts';

/**
 * Records a review decision on a piece of evidence of the establishment (the caller has checked it
 * is theirs): the review, its audit row and the change the submitter's tablet pulls, in one
 * transaction. Append-only: a later decision stands, the earlier stays. Returns the review's id.
 */
export async function recordReview(
  db: Db,
  input: {
    establishmentId: string;
    reviewerId: string;
    deviceId: string | null;
    checkId: string;
    decision: ReviewDecision;
    reason: string | null | undefined;
    now: Date;
  },
): Promise<string> {
  const reviewId = newId();
  const { establishmentId, reviewerId, checkId, decision, now } = input;
  const reason = input.reason ?? null;
  await db.transaction(async (tx) => {
    await tx.query(
      'INSERT INTO reviews (id, establishment_id, check_id, decision, reason, reviewer_id, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [reviewId, establishmentId, checkId, decision, reason, reviewerId, now],
    );
    await audit(
      tx,
      { establishmentId, actorId: reviewerId, deviceId: input.deviceId, now },
      {
        action: `check.${decision === 'accepted' ? 'accept' : 'return'}`,
        entityType: 'check',
        entityId: checkId,
        details: { reviewId, decision, reason },
      },
    );
    // The submitter's tablet learns of it at its next pull.
    await recordChange(tx, establishmentId, 'review', reviewId, now);
  });
  return reviewId;
}
