import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPath } from '../../src/shared/api/export.ts';
import { ActionDetail } from '../../src/shared/api/review.ts';
import { PushResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { PROTOCOL_VERSION } from '../../src/shared/protocol.ts';
import type { TestApp } from './support/app.ts';
import { checkMutation, evidenceRefs, type EvidenceRefs } from './support/evidence.ts';
import { pdfToText } from './support/pdf.ts';
import { TEST_ENGINE } from './support/test-db.ts';
import { call, signIn, startWorld, type Session, type World } from './support/world.ts';

describe(`signing off an action on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let world: World;
  let hor: Session;
  let dg: Session;
  let refs: EvidenceRefs;
  const clientId = 'tablet-sign-off';
  let seq = 0;
  beforeAll(async () => {
    ({ t, world } = await startWorld());
    hor = await signIn(t.app, 'hor.demo');
    dg = await signIn(t.app, 'dg.demo');
    refs = await evidenceRefs(t.db, world.demoId);
  });
  afterAll(async () => {
    await t.close();
  });

  const push = async (session: Session, mutations: unknown[]) => {
    const res = await call(t.app, session, 'POST', '/api/sync/push', { clientId, protocol: PROTOCOL_VERSION, mutations });
    expect(res.statusCode, res.body).toBe(200);
    return PushResponse.parse(res.json()).results;
  };
  const action = async () => {
    const res = await call(t.app, hor, 'GET', `/api/actions/${refs.actionId}`);
    expect(res.statusCode, res.body).toBe(200);
    return ActionDetail.parse(res.json());
  };
  const setStatus = (status: string, baseVersion: number, extra: Record<string, string> = {}) => ({
    id: newId(), clientId, seq: (seq += 1), type: 'action.set-status',
    payload: { actionId: refs.actionId, status, baseVersion, ...extra }, createdAt: new Date().toISOString(),
  });
  const submitAccepted = async () => {
    const mutation = checkMutation(refs, clientId, (seq += 1));
    expect((await push(dg, [mutation])).map((r) => r.status)).toEqual(['applied']);
    const review = await call(t.app, hor, 'POST', `/api/checks/${mutation.payload.checkId}/reviews`, { decision: 'accepted' });
    expect(review.statusCode, review.body).toBe(201);
    return mutation.payload.checkId;
  };

  it('binds the typed name, role and time to the SHA-256 of the accepted evidence, and shows when it changes', async () => {
    const first = await submitAccepted();
    await submitAccepted();
    const before = await action();
    const [closed] = await push(hor, [setStatus('complete', before.version, { signedName: '  Harriet Oduya ' })]);
    expect(closed).toMatchObject({ status: 'applied' });

    const signed = await action();
    expect(signed.status).toBe('complete');
    expect(signed.signOff).toMatchObject({
      signedName: 'Harriet Oduya', role: 'Head of residence', evidenceCount: before.acceptedEvidence, evidenceNow: 'unchanged', added: 0, removed: 0,
    });
    // The digest is over the accepted checks' record hashes as the evidence chain recorded them: anyone can recompute it.
    const chained = await t.db.query<{ id: string; hash: string }>(
      `SELECT a.entity_id::text AS id, a.details->>'hash' AS hash FROM audit_log a
       WHERE a.action IN ('evidence.submit', 'evidence.enter-chain')
         AND a.entity_id::text IN (SELECT ca.check_id::text FROM check_actions ca WHERE ca.action_id = $1
                               AND (SELECT r.decision FROM reviews r WHERE r.check_id = ca.check_id
                                    ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) = 'accepted')
       ORDER BY a.entity_id::text`,
      [refs.actionId],
    );
    expect(chained).toHaveLength(before.acceptedEvidence);
    const expected = createHash('sha256').update(JSON.stringify(chained.map((h) => [h.id, h.hash]))).digest('hex');
    expect(signed.signOff?.evidenceDigest).toBe(expected);
    const [audit] = await t.db.query<{ details: { signedName?: string; evidenceDigest?: string } }>(
      "SELECT details FROM audit_log WHERE action = 'action.set-status' AND entity_id::text = $1 ORDER BY seq DESC LIMIT 1",
      [refs.actionId],
    );
    expect(audit?.details).toMatchObject({ signedName: 'Harriet Oduya', evidenceDigest: signed.signOff?.evidenceDigest });

    // Evidence returned after sign-off: the sign-off says the evidence it rests on has changed.
    const returned = await call(t.app, hor, 'POST', `/api/checks/${first}/reviews`, { decision: 'returned', reason: 'The photo is of the wrong landing.' });
    expect(returned.statusCode, returned.body).toBe(201);
    await submitAccepted();
    const changed = await action();
    expect(changed.signOff).toMatchObject({ evidenceNow: 'changed', removed: 1, added: 1 });

    // ... and so does the action's pack.
    const pack = await call(t.app, hor, 'GET', exportPath('pdf', { scope: { kind: 'action', id: refs.actionId }, from: '2026-01-01', to: '2027-12-31' }));
    expect(pack.statusCode, pack.body).toBe(200);
    const text = (await pdfToText(pack.rawPayload)).replace(/\s+/g, ' ');
    expect(text).toContain('Signed off by Harriet Oduya, Head of residence');
    expect(text).toContain('The evidence has changed since it was signed off: 1 accepted since, 1 no longer accepted or altered.');
  });

  it('signs with the account’s name when an older app sends none; only closing signs', async () => {
    const now = await action();
    const [reopened] = await push(hor, [setStatus('in-progress', now.version)]);
    expect(reopened).toMatchObject({ status: 'applied' });
    const [closed] = await push(hor, [setStatus('complete', now.version + 1)]);
    expect(closed).toMatchObject({ status: 'applied' });
    const signed = await action();
    expect(signed.signOff?.signedName).toBe(hor.info.user.displayName);
    expect(signed.signOff?.evidenceNow).toBe('unchanged');
    const [count] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM action_sign_offs WHERE action_id = $1', [refs.actionId]);
    expect(count?.n).toBe(2);
  });
});
