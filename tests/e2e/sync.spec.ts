import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, readyOffline, submitWeeklyCleaning } from './pages/CapturePages.ts';
import { OwnServer } from './support/own-server.ts';
import { checksOnServer, photoOnServer } from './support/server-api.ts';

const PHOTOS = ['servery-counter.jpg', 'hot-trolley.jpg'];

/** The weekly cleaning checklist with one photo, submitted while offline: it waits. */
async function submitCheck(page: Page, unit: string, photo: string): Promise<string> {
  const id = await submitWeeklyCleaning(page, unit, photo);
  await expect(page.getByTestId('sync-state')).toHaveText('Waiting to sync');
  return id;
}

async function submitOffline(page: Page, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await submitCheck(page, ['A Wing', 'B Wing', 'C Wing'][i % 3] ?? 'A Wing', PHOTOS[i % 2] ?? ''));
  return ids;
}

function expectEachOnce(onServer: { id: string; photos: unknown[] }[], ids: string[]): void {
  const mine = onServer.filter((c) => ids.includes(c.id));
  expect(mine.map((c) => c.id).sort()).toEqual([...ids].sort());
  for (const check of mine) expect(check.photos).toHaveLength(1);
}

test.describe('sync: exactly once, photos included', () => {
  test('five checks with photos made offline all arrive once when the connection returns', async ({ page, context, baseURL }) => {
    const shell = await readyOffline(page);
    const ids = await submitOffline(page, 5);
    await expect(shell.waitingCount).toHaveText('5 waiting to sync');

    await context.setOffline(false);
    await expect(shell.waitingCount).toHaveText('0 waiting to sync', { timeout: 30_000 });
    await expect(page.getByTestId('sync-sent')).toContainText('All sent at');
    await expect(page.getByTestId('sync-state')).toHaveText('Sent');

    const onServer = await checksOnServer(baseURL ?? '');
    expectEachOnce(onServer, ids);
    for (const check of onServer.filter((c) => ids.includes(c.id))) {
      expect(await photoOnServer(baseURL ?? '', check.photos[0]?.sha256 ?? '')).toBe(true);
    }
  });

  test('a second tab open during sync causes no duplicate', async ({ page, context, baseURL }) => {
    const shell = await readyOffline(page);
    const ids = await submitOffline(page, 3);
    const second = await context.newPage();
    await second.goto('/sync');
    await expect(second.getByTestId('waiting-items').getByRole('listitem')).toHaveCount(3);

    // Both tabs see the connection return and both try to sync.
    await context.setOffline(false);
    await Promise.all([page.getByRole('link', { name: 'Sync', exact: true }).click(), second.getByRole('button', { name: 'Sync now' }).click()]);
    await expect(shell.waitingCount).toHaveText('0 waiting to sync', { timeout: 30_000 });
    await expect(new AppShell(second).waitingCount).toHaveText('0 waiting to sync');
    expectEachOnce(await checksOnServer(baseURL ?? ''), ids);
  });

  test('a change the server refuses is kept under Needs attention with its reason, and its data can be copied', async ({ page, context }) => {
    const shell = await readyOffline(page);
    await submitCheck(page, 'A Wing', PHOTOS[0] ?? '');
    // Then a change this version does not make (as from a newer or damaged app): the server will refuse it.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('wingcheck');
          open.onsuccess = () => {
            const tx = open.result.transaction('outbox', 'readwrite');
            tx.objectStore('outbox').add({
              id: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a',
              entityId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8b',
              clientId: 'unknown',
              protocol: 1,
              type: 'check.archive',
              payload: { reason: 'test' },
              createdAt: new Date().toISOString(),
              state: 'waiting',
            });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => {
              reject(new Error(String(tx.error)));
            };
          };
        }),
    );
    await page.reload();
    await expect(shell.waitingCount).toHaveText('2 waiting to sync');
    await context.setOffline(false);
    await expect(page.getByTestId('sync-attention')).toHaveText('1 needs attention', { timeout: 30_000 });
    await expect(shell.waitingCount).toHaveText('0 waiting to sync');
    await page.getByTestId('sync-attention').click();
    const item = page.getByTestId('attention-item');
    await expect(item).toContainText('Unknown kind of change “check.archive”');
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await item.getByRole('button', { name: 'Copy its data' }).click();
    await expect(item.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"type": "check.archive"');
    await expect(item.getByRole('link', { name: 'Download its data' })).toHaveAttribute('download', /wingcheck-.*\.json/);
  });

  test('a check whose note holds a NUL character is set aside with its data, and the checks after it still arrive', async ({ page, context, baseURL }) => {
    const shell = await readyOffline(page);
    await page.goto('/checks/new');
    await page.getByLabel('Weekly unit cleaning checklist').check();
    await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'A Wing' });
    await page.getByRole('button', { name: 'Start check' }).click();
    const form = new CheckForm(page);
    const [first, ...others] = [
      'Have walls, windows and ledges been cleaned this week?',
      'Has the servery had its weekly deep clean, including behind equipment?',
      'Are bins emptied and cleaned and drains clear?',
      'Are cleaning materials stocked and stored safely?',
    ];
    await form.choose(first, 'Fail');
    // As pasted from a document that carries one: PostgreSQL cannot store a NUL in text.
    await form.note(first, 'Ledges dusty\u0000 on the 2s.');
    for (const question of others) await form.choose(question, 'Pass');
    await form.submit.click();
    await expect(page.getByTestId('sync-state')).toHaveText('Needs attention');
    const poisoned = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const after = [await submitCheck(page, 'B Wing', PHOTOS[0] ?? ''), await submitCheck(page, 'C Wing', PHOTOS[1] ?? '')];
    await expect(shell.waitingCount).toHaveText('2 waiting to sync');

    await context.setOffline(false);
    await expect(shell.waitingCount).toHaveText('0 waiting to sync', { timeout: 30_000 });
    const onServer = await checksOnServer(baseURL ?? '');
    expectEachOnce(onServer, after);
    expect(onServer.map((c) => c.id)).not.toContain(poisoned);

    await page.getByTestId('sync-attention').click();
    const item = page.getByTestId('attention-item');
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId('attention-reason')).toHaveText(/^Not sent: payload\.answers\.0\.note: must not contain a NUL character/);
    const data = decodeURIComponent((await item.getByRole('link', { name: 'Download its data' }).getAttribute('href')) ?? '');
    expect(data).toContain('Ledges dusty\\u0000 on the 2s.');
    expect(data).toContain(poisoned);

    // Sent anyway, the server refuses it alone, naming the field; it stays here with its data.
    await page.getByRole('button', { name: 'Try sending these again' }).click();
    await expect(item.getByTestId('attention-reason')).toHaveText(/^It is malformed \(payload\.answers\.0\.note: must not contain a NUL/, {
      timeout: 30_000,
    });
    expect((await checksOnServer(baseURL ?? '')).map((c) => c.id)).not.toContain(poisoned);
  });

  test('the server stopped mid-sync and restarted still ends with every check once', async ({ browser }) => {
    // Starts its own server twice (a fresh embedded database with the demo each time): on a busy
    // 2-core machine that alone can take most of the default minute.
    test.slow();
    const server = await OwnServer.create();
    await server.start();
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const page = await context.newPage();
      const shell = await readyOffline(page);
      const ids = await submitOffline(page, 5);

      // Back online: the photos reach the server (protocol 2: one batch), then the server dies. (The
      // context sees the service worker's requests too: Background Sync may send before the page does.)
      const firstUpload = context.waitForEvent('response', (r) => r.url().includes('/api/blobs/batch') && r.request().method() === 'POST');
      await context.setOffline(false);
      await firstUpload;
      await server.kill();
      await expect(page.getByTestId('sync-state')).toBeVisible();

      await server.start();
      // The engine retries on its backoff timer; "Sync now" does not have to wait for it.
      await page.goto('/sync');
      await expect(async () => {
        await page.getByRole('button', { name: 'Sync now' }).click();
        await expect(shell.waitingCount).toHaveText('0 waiting to sync', { timeout: 3_000 });
      }).toPass({ timeout: 30_000 });
      expectEachOnce(await checksOnServer(server.url), ids);
    } finally {
      await context.close();
      await server.dispose();
    }
  });
});
