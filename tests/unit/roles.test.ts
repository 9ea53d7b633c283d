import { describe, expect, it } from 'vitest';
import { effectiveRoles, hasAnyRole, SignInRequest } from '../../src/shared/auth.ts';

describe('roles', () => {
  it('lets the head of residence do anything a duty governor can', () => {
    expect(hasAnyRole(['head-of-residence'], ['duty-governor'])).toBe(true);
    expect([...effectiveRoles(['head-of-residence'])].sort()).toEqual(['duty-governor', 'head-of-residence']);
  });

  it('implies nothing else: a duty governor is not a head of residence, an admin is not a unit manager', () => {
    expect(hasAnyRole(['duty-governor'], ['head-of-residence'])).toBe(false);
    expect(hasAnyRole(['admin'], ['unit-manager', 'duty-governor', 'head-of-residence'])).toBe(false);
    expect(hasAnyRole(['unit-manager'], ['admin'])).toBe(false);
    expect(hasAnyRole([], ['unit-manager'])).toBe(false);
  });
});

describe('sign-in request', () => {
  it('reads usernames case- and space-insensitively', () => {
    expect(SignInRequest.parse({ username: '  HOR.Demo ', password: 'x' }).username).toBe('hor.demo');
  });

  it('refuses unknown fields and empty values', () => {
    expect(SignInRequest.safeParse({ username: 'a', password: 'b', admin: true }).success).toBe(false);
    expect(SignInRequest.safeParse({ username: '', password: 'b' }).success).toBe(false);
  });
});
