import { describe, expect, it } from 'vitest';
import { isSkipWaitingMessage } from '../../src/shared/sw-messages.ts';

describe('isSkipWaitingMessage', () => {
  it('accepts only the message workbox-window sends for "update now"', () => {
    expect(isSkipWaitingMessage({ type: 'SKIP_WAITING' })).toBe(true);
    expect(isSkipWaitingMessage({ type: 'SYNC' })).toBe(false);
    expect(isSkipWaitingMessage('SKIP_WAITING')).toBe(false);
    expect(isSkipWaitingMessage(null)).toBe(false);
  });
});
