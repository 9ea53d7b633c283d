import { expect, type Page } from '@playwright/test';

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
