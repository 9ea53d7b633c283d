import { describe, expect, it } from 'vitest';
import { MutationBody } from '../../src/shared/mutations.ts';

const CHECK = {
  checkId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a',
  templateVersionId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8b',
  scheduleId: null,
  dueOn: null,
  unitId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8c',
  landing: '2s',
  actionIds: [],
  answers: [{ itemId: 'temp-serving', value: 58, note: 'Reheated to 75 °C.' }],
  photos: [{ sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 310_000, width: 2048, height: 1536, itemId: null }],
  startedAt: '2026-11-23T09:00:00.000Z',
  submittedAt: '2026-11-23T09:05:00.000Z',
  supersedes: null,
};

describe('mutations as they travel from a device', () => {
  it('accepts a submitted check with its photo references', () => {
    expect(MutationBody.parse({ type: 'check.submit', payload: CHECK }).type).toBe('check.submit');
  });

  it('refuses a photo named by anything but a SHA-256, and fields the schema does not know', () => {
    const badHash = { ...CHECK, photos: [{ ...CHECK.photos[0], sha256: 'not-a-hash' }] };
    expect(MutationBody.safeParse({ type: 'check.submit', payload: badHash }).success).toBe(false);
    expect(MutationBody.safeParse({ type: 'check.submit', payload: { ...CHECK, author: 'someone else' } }).success).toBe(false);
  });

  it('refuses an evidence note that proves no action, or an unknown type', () => {
    const note = { noteId: CHECK.checkId, actionIds: [], unitId: null, text: 'Briefed staff.', photos: [], startedAt: CHECK.startedAt, submittedAt: CHECK.submittedAt, supersedes: null };
    expect(MutationBody.safeParse({ type: 'note.add', payload: note }).success).toBe(false);
    expect(MutationBody.safeParse({ type: 'note.add', payload: { ...note, actionIds: [CHECK.unitId] } }).success).toBe(true);
    expect(MutationBody.safeParse({ type: 'check.delete', payload: {} }).success).toBe(false);
  });
});
