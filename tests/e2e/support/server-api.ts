import { request } from '@playwright/test';
import { PullResponse, type ServerCheck } from '../../../src/shared/api/sync.ts';
import { DEMO_PASSWORD } from '../../../playwright.config.ts';

/** Every check the server holds for the establishment, as the head of residence (or `as`) pulls them through the API. */
export async function checksOnServer(baseURL: string, as = { username: 'hor.demo', password: DEMO_PASSWORD }): Promise<ServerCheck[]> {
  const api = await request.newContext({ baseURL });
  try {
    const signIn = await api.post('/api/session', { data: as });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
    const checks: ServerCheck[] = [];
    let cursor = '0';
    for (;;) {
      const page = PullResponse.parse(await (await api.get(`/api/sync/pull?cursor=${cursor}`)).json());
      for (const change of page.changes) if (change.entity === 'check') checks.push(change.data);
      cursor = page.cursor;
      if (!page.hasMore) return checks;
    }
  } finally {
    await api.dispose();
  }
}

/** Whether the server has a photo's bytes (as the head of residence). */
export async function photoOnServer(baseURL: string, sha256: string): Promise<boolean> {
  const api = await request.newContext({ baseURL });
  try {
    await api.post('/api/session', { data: { username: 'hor.demo', password: DEMO_PASSWORD } });
    return (await api.get(`/api/blobs/${sha256}`)).ok();
  } finally {
    await api.dispose();
  }
}
