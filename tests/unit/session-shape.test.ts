import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SESSION_SHAPE } from '../../src/data/session-store.ts';
import { SessionInfo } from '../../src/shared/auth.ts';

// Devices trust a stored session whose shape number matches this build's (no zod on the first
// screen). If SessionInfo changes, bump SESSION_SHAPE in src/data/session-store.ts so devices
// re-check sessions stored by older builds, then record the new fingerprint here.
const RECORDED = { shape: 2, fingerprint: 'f36190ef5c228fc9' };

describe('stored session shape', () => {
  it('changes its number whenever SessionInfo changes', () => {
    const fingerprint = createHash('sha256').update(JSON.stringify(z.toJSONSchema(SessionInfo, { io: 'input' }))).digest('hex').slice(0, 16);
    expect({ shape: SESSION_SHAPE, fingerprint }).toEqual(RECORDED);
  });
});
