import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { odtDocument } from '../support/odt.ts';
import { pdfPlan } from '../support/pdf-plan.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/action-plans/werrington-2020-action-plan.txt', import.meta.url));

test('an admin imports a published plan, corrects an owner, saves it and sees its actions', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('admin.demo');
  await shell.navigateTo('Plans');
  await expect(shell.heading).toHaveText('Action plans');
  await expect(page.locator('#plans')).toContainText('HMYOI Werrington');

  await page.getByLabel('Published action plan').setInputFiles(FIXTURE);
  await expect(shell.heading).toHaveText('Check the plan before saving');
  await expect(page.getByTestId('preview-summary')).toHaveText('HMYOI Werrington: 20 concerns or recommendations, 38 actions');
  // The plan's own problems are shown beside the concern they are about.
  await expect(page.getByRole('region', { name: /^5\.13/ })).toContainText('3 target dates but 1 action could be told apart');
  // Each action says how it was read, so the person checking looks at the guesses first.
  await expect(page.getByRole('region', { name: /^5\.13/ }).getByTestId('action-reading')).toHaveText(['Check']);
  await expect(page.getByRole('region', { name: /^5\.1\b/ }).getByTestId('action-reading').first()).toHaveText('From the table');
  await expect(page.getByTestId('preview-readings')).toContainText(/\d+ read from the table, \d+ recovered from the layout, [1-9]\d* to check/);

  const owner = page.locator('#action-0-0-owner');
  await expect(owner).toHaveValue('Governor');
  await owner.fill('Head of Residence');
  await page.getByLabel('Plan title').fill('HMYOI Werrington 2020 (imported)');
  await page.getByRole('button', { name: 'Save plan' }).click();

  await expect(shell.heading).toHaveText('HMYOI Werrington 2020 (imported)');
  const first = page.getByTestId('actions-5.1').getByRole('row').nth(1);
  await expect(first).toContainText('A new incentive based policy has been developed');
  await expect(first).toContainText('Head of Residence');
  await expect(first).toContainText('Complete');
  await expect(page.getByTestId('actions-5.20').getByRole('row')).toHaveCount(4);
});

test('an admin imports a plan published as .odt, and one printed to PDF', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('admin.demo');
  await shell.navigateTo('Plans');
  const header = ['Ref', 'Concern', 'Action', 'Lead', 'Timescale'];
  const rows = [
    [['1'], ['Cells were dirty.'], ['Weekly cell checks.', 'Cleaning materials on every landing.'], ['Head of Residence', 'Unit Managers'], ['March 2026', 'Ongoing']],
    [['2'], ['Food was cold at the servery.'], ['Heated trolleys.'], ['Catering Manager'], ['April 2026']],
  ];
  const files = [
    { name: 'brinsford.odt', mimeType: 'application/vnd.oasis.opendocument.text', buffer: Buffer.from(await odtDocument(['Action Plan: HMP Brinsford'], [header.map((h) => [h]), ...rows])) },
    { name: 'brinsford.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfPlan(['Action Plan: HMP Brinsford'], header, rows)) },
  ];
  for (const file of files) {
    await page.getByLabel('Published action plan').setInputFiles(file);
    await expect(shell.heading).toHaveText('Check the plan before saving');
    await expect(page.getByTestId('preview-summary')).toHaveText('HMP Brinsford: 2 concerns or recommendations, 3 actions');
    await expect(page.locator('#action-0-1-owner')).toHaveValue('Unit Managers');
    // The preview stays until saved or left: start again from the Plans page.
    await page.goto('/plans');
    await expect(shell.heading).toHaveText('Action plans');
  }
});

test('an admin imports a revised version: sees what changes, applies it, and the actions keep their place', async ({ page }, testInfo) => {
  // The revision: concern 1's owner changes from the Governor to the Head of Residence.
  const original = readFileSync(fileURLToPath(new URL('../../fixtures/action-plans/werrington-2025-action-plan.txt', import.meta.url)), 'utf8');
  const lines = original.split('\n');
  const row = lines.findIndex((l) => l.startsWith('1\t'));
  lines[row] = (lines[row] ?? '').replace('\tGovernor\t', '\tHead of Residence\t');
  const revised = testInfo.outputPath('werrington-2025-revised.txt');
  writeFileSync(revised, lines.join('\n'));

  await new SignInPage(page).signInAs('admin.demo');
  await page.goto('/plans');
  await page.locator('#plans').getByRole('link', { name: /demo copy/ }).click();
  await expect(page.getByTestId('actions-1').getByRole('row').nth(1)).toContainText('Governor');

  await page.getByLabel('Import a revised version of this plan').setInputFiles(revised);
  await expect(page.getByTestId('revision-counts')).toHaveText('6 changed, 0 new, 0 to archive, 60 unchanged.');
  await expect(page.getByTestId('revision-preview')).toContainText('Governor, December 2025 → Head of Residence, December 2025');
  await page.getByRole('button', { name: 'Apply changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Version 2 saved: 6 changed, 0 new, 0 archived.');
  await expect(page.getByTestId('actions-1').getByRole('row').nth(1)).toContainText('Head of Residence');
  await expect(page.getByTestId('actions-1').getByRole('row')).toHaveCount(7);
});

test('after import, actions are suggested to people by job title, and the admin confirms them', async ({ page }) => {
  await new SignInPage(page).signInAs('admin.demo');
  await page.goto('/plans');
  await page.locator('#plans').getByRole('link', { name: /demo copy/ }).click();
  await page.getByRole('link', { name: 'Assign actions' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assign actions');

  const first = page.locator('#assignee-0');
  await expect(first).toHaveValue(/.+/);
  // The suggestion is whoever holds the owner's job title (another test may have revised the owner).
  const owner = (await page.locator('#assignments tbody tr').first().locator('td').nth(2).textContent()) ?? '';
  await expect(first.locator('option:checked')).toHaveText(new RegExp(`\\(${owner}\\)$`));
  await expect(page.locator('#assignments')).toContainText('Suggested: their job title matches the owner');
  await first.selectOption({ label: 'Dana Governor (demo) (Duty Governor)' });
  await page.getByRole('button', { name: 'Save assignments' }).click();
  await expect(page.getByRole('alert')).toContainText(/\d+ assignments saved\.$/);
  await page.reload();
  await expect(page.locator('#assignee-0 option:checked')).toHaveText('Dana Governor (demo) (Duty Governor)');
});
