// The client's calls by endpoint name: the table gives the path, method and schemas.
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.ts';
import { pathOf } from '../../src/shared/api/endpoint.ts';
import { endpoints } from '../../src/shared/api/endpoints.ts';
import { ApiRequestError } from '../../src/shared/api/errors.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function clientAnswering(status: number, body: unknown) {
  const sent: Sent[] = [];
  const api = createApiClient({
    csrfToken: () => Promise.resolve('csrf'),
    deviceId: () => Promise.resolve('device'),
    establishmentId: () => Promise.resolve('5f0c6a8e-5a7a-4c53-9d1c-0b6f1e2b9a10'),
    fetch: (input, init) => {
      sent.push({ url: input as string, method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body });
      return Promise.resolve(new Response(status === 204 ? null : JSON.stringify(body), { status }));
    },
  });
  return { api, sent };
}

const UNIT = { id: '0d8a3f8e-2d55-4bb5-8c4f-5b1d2a7f9e01', name: 'A Wing', landings: ['1s'], places: ['Servery'], archived: false };

describe('calls by endpoint name', () => {
  it('fills the path from params (encoded) and the query, and sends the table’s method', () => {
    expect(pathOf(endpoints['units.update'], { id: 'a/b c' })).toBe('/api/units/a%2Fb%20c');
    expect(pathOf(endpoints.coverage, undefined, { from: '2026-11-01', to: '2026-11-30', unitId: undefined })).toBe(
      '/api/coverage?from=2026-11-01&to=2026-11-30',
    );
    expect(() => pathOf(endpoints['units.update'])).toThrow(/needs :id/);
  });

  it('sends JSON with the device, establishment and CSRF headers, and parses the answer with the table’s schema', async () => {
    const { api, sent } = clientAnswering(200, UNIT);
    const unit = await api.call('units.update', { params: { id: UNIT.id }, body: { name: 'A Wing' } });
    expect(unit).toEqual(UNIT);
    expect(sent[0]).toMatchObject({ url: `/api/units/${UNIT.id}`, method: 'PATCH', body: '{"name":"A Wing"}' });
    expect(sent[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-csrf-token': 'csrf', 'x-wingcheck-device': 'device' });
  });

  it('refuses an answer that does not fit the table’s schema', async () => {
    const { api } = clientAnswering(200, [{ id: 'not a unit' }]);
    await expect(api.call('units.list')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('sends a file as its bytes with its name in the file-name header', async () => {
    const { api, sent } = clientAnswering(200, null);
    await api.call('plans.parse', { body: new File(['plan'], 'wing plan.docx') }).catch(() => undefined);
    expect(sent[0]?.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'x-file-name': 'wing%20plan.docx' });
  });

  it('answers undefined for 204 where the answer is optional', async () => {
    const { api } = clientAnswering(204, null);
    expect(await api.call('session.signOut')).toBeUndefined();
  });

  it('turns an error body into ApiRequestError with its code, message and issues', async () => {
    const body = { error: 'invalid_request', code: 'invalid_request', message: 'unitIds: one of the units is archived', issues: [{ path: 'unitIds', message: 'one of the units is archived' }] };
    const { api } = clientAnswering(400, body);
    const error = await api.call('units.list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    const refused = error as ApiRequestError;
    expect([refused.status, refused.code, refused.message]).toEqual([400, 'invalid_request', body.message]);
    expect(refused.issueAt('unitIds')?.message).toBe('one of the units is archived');
  });
});
