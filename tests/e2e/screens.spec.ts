import { fileURLToPath } from 'node:url';
import { request, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../playwright.config.ts';
import { CSRF_HEADER } from '../../src/shared/roles.ts';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { expectAccessible } from './support/accessible.ts';

/** Words a stub screen would use: no screen a person can reach may say them. */
const PLACEHOLDER = /not built yet|coming soon|not implemented|to come|lorem ipsum/i;

const PHONE = { width: 360, height: 740 };

const PLAN_FILE = fileURLToPath(new URL('../../fixtures/action-plans/werrington-2020-action-plan.txt', import.meta.url));

type Step = (page: Page) => Promise<void>;

/** Follows the first link of a list, as a person would; does nothing when the list is empty. */
const first = (from: string, link: (page: Page) => ReturnType<Page['locator']>): Step => async (page) => {
  await page.goto(from);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const target = link(page);
  if ((await target.count()) === 0) return;
  await target.first().click();
  await page.waitForURL((url) => url.pathname !== from);
};

/** The screens below a navigation entry, so the walk covers every kind of screen a role can open. */
const BELOW: Record<string, readonly Step[]> = {
  '/actions': [first('/actions', (page) => page.getByTestId('action').getByRole('link'))],
  '/review': [
    first('/review', (page) => page.getByTestId('overview').getByRole('link')),
    first('/review', (page) => page.getByRole('link', { name: 'Export an evidence pack' })),
  ],
  '/plans': [
    first('/plans', (page) => page.locator('#plans').getByRole('link')),
    async (page) => {
      await first('/plans', (p) => p.locator('#plans').getByRole('link'))(page);
      await page.getByRole('link', { name: /assign/i }).first().click();
      await page.waitForURL(/\/assign$/);
    },
  ],
  '/admin': [
    ...['/admin/users', '/admin/units', '/admin/audit', '/admin/schedules', '/admin/templates', '/admin/retention'].map((path): Step => async (page) => {
      await page.goto(path);
    }),
    first('/admin/templates', (page) => page.locator('#templates').getByRole('link')),
  ],
};

async function expectScreen(page: Page, name: string): Promise<void> {
  const shell = new AppShell(page);
  await expect(shell.heading).toBeVisible();
  // Let the screen's own data arrive (lists, dashboards) before judging its width.
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main')).not.toContainText(PLACEHOLDER);
  await expectAccessible(page, name);
}

// Names people type can be one long word (a pasted code, markup): the screens must wrap them, not scroll.
test.beforeAll(async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  try {
    const signIn = await api.post('/api/session', { data: { username: 'admin.demo', password: DEMO_PASSWORD } });
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const unit = await api.post('/api/units', {
      data: { name: 'HouseblockSevenEnhancedSupportUnit(West)', landings: ['GroundFloorEastLanding'] },
      headers: { [CSRF_HEADER]: csrfToken },
    });
    // 409: made by an earlier run against the same server.
    expect([201, 409]).toContain(unit.status());
  } finally {
    await api.dispose();
  }
});

for (const user of ['so.demo', 'dg.demo', 'hor.demo', 'admin.demo']) {
  test(`${user}: every screen of the navigation works on a phone, with no placeholder, no sideways scroll and no serious axe issue`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(PHONE);
    await new SignInPage(page).signInAs(user);
    await new TodayPage(page).waitForReference();
    const entries = await page.getByRole('navigation', { name: 'Menu' }).locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(entries).toContain('/actions');
    for (const entry of entries) {
      await page.goto(entry);
      await expectScreen(page, `${user} ${entry}`);
      for (const step of BELOW[entry] ?? []) {
        await step(page);
        await expectScreen(page, `${user} ${new URL(page.url()).pathname}`);
      }
    }
    if (entries.includes('/plans')) {
      // Checking an imported plan before saving it: every action editable in place.
      await page.goto('/plans');
      await page.getByLabel('Published action plan').setInputFiles(PLAN_FILE);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check the plan before saving');
      await expectScreen(page, `${user} the import preview`);
    }
    // Running a check: the capture screens one tap from Today.
    await page.goto('/');
    await page.getByTestId('other-checks').getByRole('link').first().click();
    await expect(page).toHaveURL(/\/checks\/[0-9a-f-]{36}$/);
    await expectScreen(page, `${user} a check being run`);
  });
}
