import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';
import { SignInPage } from './SignInPage.ts';

/** The demo plan's action the Duty Governor round proves, as its text begins. */
export const DEMO_ACTION = 'The Head of Residence will introduce, as part of handovers and briefings';

/** On Review: other specs may have imported more plans (the newest shows first), so choose the demo's. */
export async function chooseDemoPlan(page: Page): Promise<void> {
  // The plan list and the first plan's overview have loaded once some actions are counted.
  await expect(page.getByTestId('overview-count')).toContainText(/\d+ of [1-9]\d* actions/);
  const planChoice = page.getByLabel('Plan', { exact: true });
  if ((await planChoice.count()) > 0) {
    const demo = await planChoice.locator('option', { hasText: 'demo copy' }).getAttribute('value');
    await planChoice.selectOption(demo ?? '');
  }
  await expect(page.getByTestId('overview-count')).toContainText('of 66 actions');
}

/** The head of residence, signed in on a browser of their own, on the demo action's evidence page. */
export async function openDemoActionAsHead(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new SignInPage(page).signInAs('hor.demo');
  await new AppShell(page).navigateTo('Review');
  await chooseDemoPlan(page);
  await page.getByLabel('Search').fill(DEMO_ACTION);
  await page.getByTestId('overview').getByRole('link').click();
  return { context, page };
}
