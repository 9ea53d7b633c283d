import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';

const TIME_ZONE = 'Europe/London';

/** Today at hh:mm on the wing's clock (Europe/London, either side of the clocks changing). */
function todayAt(hour: number, minute: number): Date {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const guess = new Date(`${today}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
  const shownHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(guess));
  return new Date(guess.getTime() - (shownHour - hour) * 3_600_000);
}

test.describe('reminders on the device', () => {
  // The test profile has allowed notifications, as a person would by tapping "Turn on reminders".
  test.use({ permissions: ['notifications'] });

  test('an overdue check puts a count on the app icon and shows a notification while the app is open', async ({ page }) => {
    // The Badging API is there in Chromium but an app not installed may not show a badge: record
    // what the app asks of it, passing each call on to the real one.
    await page.addInitScript(() => {
      const calls: (number | undefined)[] = [];
      (window as unknown as { badgeCalls: typeof calls }).badgeCalls = calls;
      const real = 'setAppBadge' in navigator ? navigator.setAppBadge.bind(navigator) : null;
      Object.defineProperty(navigator, 'setAppBadge', {
        configurable: true,
        value: (count?: number) => {
          calls.push(count);
          return real ? real(count).catch(() => undefined) : Promise.resolve();
        },
      });
    });
    // Five past four in the afternoon: A Wing's daily cleaning, not done today, is overdue.
    await page.clock.setFixedTime(todayAt(17, 5));
    await new SignInPage(page).signInAs('so.demo');
    await new TodayPage(page).waitForReference();
    await new AppShell(page).waitForOfflineReady();

    const reminders = page.getByTestId('reminders');
    await expect(reminders.getByTestId('reminder-summary')).toContainText(/\d+ checks? waiting for you, \d+ overdue/);
    // Permission was given already: nothing to turn on.
    await expect(reminders.getByRole('button', { name: 'Turn on reminders' })).toHaveCount(0);
    const summary = (await reminders.getByTestId('reminder-summary').textContent()) ?? '';
    const waiting = Number(/(\d+) checks? waiting/.exec(summary)?.[1]);
    await expect.poll(() => page.evaluate(() => (window as unknown as { badgeCalls: number[] }).badgeCalls.at(-1))).toBe(waiting);

    const shown = () => page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
    });
    const overdueTitle: unknown = expect.stringMatching(/^Wingcheck: \d+ checks? overdue$/);
    await expect.poll(shown, { timeout: 15_000 }).toContainEqual(expect.objectContaining({ title: overdueTitle }));
    const [notification] = await shown();
    expect(notification?.body).toContain('Daily unit cleaning checklist on A Wing');
    // A reload does not show it again: one notification per change in what is overdue.
    await page.evaluate(async () => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
    });
    await page.reload();
    await expect(reminders.getByTestId('reminder-summary')).toContainText('overdue');
    await page.waitForTimeout(1_000);
    expect(await shown()).toEqual([]);
  });
});

test('permission is asked only from a tap, never when the app loads', async ({ page }) => {
  // Nine in the morning: today's checks are due, not overdue yet.
  await page.clock.setFixedTime(todayAt(9, 0));
  await new SignInPage(page).signInAs('so.demo');
  await new TodayPage(page).waitForReference();
  const reminders = page.getByTestId('reminders');
  await expect(reminders.getByRole('button', { name: 'Turn on reminders' })).toBeVisible();
  expect(await page.evaluate(() => Notification.permission)).toBe('default');
});
