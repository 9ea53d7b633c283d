import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { expectAccessible } from './support/accessible.ts';

// capture.spec.ts (run after this file, on the same server) relies on the demo's servery, cleaning and
// Duty Governor round templates and schedules, and on so.demo's units: these tests leave them alone.
const KITCHEN = 'Weekly main kitchen quality check';

test.describe('admin: check templates, schedules and the units people look after', () => {
  test('an admin adds an item to a built-in template as version 2; both versions stay listed', async ({ page }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('admin.demo');
    await shell.navigateTo('Admin');
    await page.getByRole('link', { name: 'Check templates' }).click();
    await expect(shell.heading).toHaveText('Check templates');
    const row = page.locator('#templates tbody tr').filter({ hasText: KITCHEN });
    await expect(row.getByRole('cell')).toHaveText([KITCHEN, 'weekly-kitchen-quality', '1', 'Built in In use']);
    await row.getByRole('link', { name: KITCHEN }).click();
    await expect(shell.heading).toHaveText(KITCHEN);
    await expect(page.locator('#versions tbody tr')).toHaveCount(1);

    await page.getByRole('button', { name: 'Create version 2' }).click();
    await expect(page.getByTestId('editor-item')).toHaveCount(5);
    await expect(page.getByTestId('editor-item').nth(2).getByLabel('Highest acceptable reading (optional)')).toHaveValue('8');
    await page.getByLabel('Kind of item to add to section 1').selectOption({ label: 'Yes or no' });
    await page.getByRole('button', { name: 'Add item to section 1' }).click();
    const added = page.getByTestId('editor-item').nth(5);
    await expect(added.getByLabel('Question')).toBeFocused();
    await added.getByLabel('Question').fill('Are allergen labels on every tray?');
    await added.getByLabel('A “No” needs a note saying what was done').check();
    // Up one place, above the tasting: focus stays on the button pressed.
    await added.getByRole('button', { name: /^Move up/ }).click();
    await expect(page.getByTestId('editor-item').nth(4).getByLabel('Question')).toHaveValue('Are allergen labels on every tray?');
    await expect(page.getByTestId('editor-item').nth(4).getByRole('button', { name: /^Move up/ })).toBeFocused();
    await expectAccessible(page, 'Template editor');
    await page.getByRole('button', { name: 'Save version 2' }).click();

    await expect(page.getByRole('alert')).toContainText(`Version 2 of ${KITCHEN} was saved.`);
    await expect(page.locator('#versions tbody tr')).toHaveCount(2);
    await expect(page.locator('#versions tbody tr').first()).toContainText('Version 2');
    await expect(page.locator('#versions tbody tr').last()).toContainText('Version 1');
    const latest = page.getByTestId('latest-version');
    await expect(latest.getByRole('heading', { level: 2 })).toHaveText('Version 2: the questions');
    await expect(latest.locator('dt')).toHaveText([
      'Is the kitchen clean, with cleaning schedules signed?',
      'Are fridge, freezer and cooking temperature records complete?',
      'Fridge temperature',
      'Is the menu being followed, with choices for special diets?',
      'Are allergen labels on every tray?',
      'Did a tasted meal meet the expected quality?',
    ]);
    await expect(latest.locator('dd').nth(4)).toHaveText('Yes or no; a “No” needs a note.');
    await expect(latest.locator('dd').nth(2)).toHaveText('Number in °C; acceptable: 8 °C or below.');
    await expect(page.getByRole('button', { name: 'Create version 3' })).toBeVisible();

    await page.getByRole('link', { name: 'All templates' }).click();
    await expect(page.locator('#templates tbody tr').filter({ hasText: KITCHEN }).getByRole('cell').nth(2)).toHaveText('2');
  });

  test('a new template with min above max gets the server’s readable error, then is created once fixed', async ({ page }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('admin.demo');
    await page.goto('/admin/templates');
    await page.getByRole('link', { name: 'Create a template' }).click();
    await expect(shell.heading).toHaveText('Create a template');
    await page.getByLabel('Title', { exact: true }).fill('Walk-in fridge check');
    // The key follows the title until it is typed.
    await expect(page.getByLabel('Key', { exact: true })).toHaveValue('walk-in-fridge-check');
    await page.getByLabel('Description (optional)').fill('The catering manager’s daily look at the walk-in fridge.');
    await page.getByLabel('Section 1 title').fill('Fridge');
    await page.getByTestId('editor-item').first().getByLabel('Question').fill('Are the door seals intact?');
    await page.getByLabel('Kind of item to add to section 1').selectOption({ label: 'Number (a reading)' });
    await page.getByRole('button', { name: 'Add item to section 1' }).click();
    const reading = page.getByTestId('editor-item').nth(1);
    await reading.getByLabel('Question').fill('Walk-in fridge temperature');
    await reading.getByLabel('Unit', { exact: true }).fill('°C');
    await reading.getByLabel('Lowest acceptable reading (optional)').fill('8');
    await reading.getByLabel('Highest acceptable reading (optional)').fill('1');
    await page.getByRole('button', { name: 'Create template' }).click();

    const summary = page.locator('.govuk-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Section 1, item 2 (“Walk-in fridge temperature”): min must not be above max');
    await expect(reading.locator('.govuk-error-message')).toContainText('min must not be above max');
    await expect(shell.heading).toHaveText('Create a template');
    await expectAccessible(page, 'Template editor with an error');

    await reading.getByLabel('Lowest acceptable reading (optional)').fill('1');
    await reading.getByLabel('Highest acceptable reading (optional)').fill('8');
    await page.getByRole('button', { name: 'Create template' }).click();
    await expect(shell.heading).toHaveText('Walk-in fridge check');
    await expect(page.getByRole('alert')).toContainText('Walk-in fridge check was created.');
    await expect(page.locator('#versions tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('latest-version').locator('dd')).toHaveText([
      'Pass or fail; a fail needs a note.',
      'Number in °C; acceptable: 1–8 °C.',
    ]);
    await page.getByRole('link', { name: 'All templates' }).click();
    const row = page.locator('#templates tbody tr').filter({ hasText: 'Walk-in fridge check' });
    await expect(row.getByRole('cell')).toHaveText(['Walk-in fridge check', 'walk-in-fridge-check', '1', 'In use']);
  });

  test('an admin schedules the kitchen check every Wednesday on C Wing for duty governors, linked to an action', async ({ page }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('admin.demo');
    await shell.navigateTo('Admin');
    await page.getByRole('link', { name: 'Schedules' }).click();
    await expect(shell.heading).toHaveText('Schedules');
    // The demo's own schedules, in words.
    const table = page.locator('#schedules');
    const often = (title: string) => table.locator('tbody tr').filter({ hasText: title }).getByRole('cell').nth(1);
    await expect(often('Duty Governor round')).toHaveText('Every day');
    await expect(often('Weekly unit cleaning checklist')).toHaveText('Every Monday');
    await expect(often('Monthly keywork quality sample')).toHaveText('Monthly on day 1');

    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a schedule' }) });
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await expect(form.locator('.govuk-error-summary')).toContainText('Choose the check template');
    await expect(form.locator('.govuk-error-summary')).toContainText('Choose at least one unit');

    await form.getByLabel('Check template').selectOption({ label: KITCHEN });
    await expect(form.getByLabel('Day of the week')).toBeHidden();
    await form.getByLabel('Every week').check();
    await form.getByLabel('Day of the week').selectOption({ label: 'Wednesday' });
    await form.getByLabel('Duty governors').check();
    await form.getByLabel('C Wing', { exact: true }).check();
    const actions = form.getByRole('group', { name: 'Linked actions (optional)' });
    await actions.getByRole('checkbox').first().check();
    await expect(actions).toContainText('1 chosen');
    await expectAccessible(page, 'Schedules');
    await form.getByRole('button', { name: 'Add schedule' }).click();

    await expect(page.getByRole('alert')).toContainText(`The ${KITCHEN} schedule was added.`);
    const row = table.locator('tbody tr').filter({ hasText: KITCHEN });
    await expect(row.getByRole('cell')).toHaveText([KITCHEN, 'Every Wednesday', 'Duty governors', 'C Wing', '1', /Change/]);

    // Changing it starts from what was saved; cancelled here, so it stays as it is.
    await row.getByRole('button', { name: `Change ${KITCHEN}, Every Wednesday` }).click();
    const panel = page.locator('form.app-panel');
    await expect(panel.getByRole('heading', { name: `Change the ${KITCHEN} schedule` })).toBeVisible();
    await expect(panel.getByLabel('Every week')).toBeChecked();
    await expect(panel.getByLabel('Day of the week')).toHaveValue('3');
    await expect(panel.getByLabel('Duty governors')).toBeChecked();
    await expect(panel.getByLabel('C Wing', { exact: true })).toBeChecked();
    await expect(panel.getByRole('group', { name: 'Linked actions (optional)' })).toContainText('1 chosen');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect(panel).toHaveCount(0);
  });

  test('a new person looks after C Wing and D Wing; people with no units look after all of them', async ({ page }) => {
    await new SignInPage(page).signInAs('admin.demo');
    await page.goto('/admin/users');
    const users = page.locator('#users');
    await expect(users.locator('tbody tr').filter({ hasText: 'so.demo' }).getByRole('cell').nth(3)).toHaveText('A Wing, B Wing');
    await expect(users.locator('tbody tr').filter({ hasText: 'admin.demo' }).getByRole('cell').nth(3)).toHaveText('All units');

    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a user' }) });
    await form.getByLabel('Username').fill('kitchen.e2e');
    await form.getByLabel('Name', { exact: true }).fill('Kit Chen (e2e)');
    await form.getByLabel('Job title').fill('Supervising Officer');
    await form.getByLabel('Password').fill('a long e2e password');
    await form.getByLabel('D Wing', { exact: true }).check();
    await form.getByLabel('C Wing', { exact: true }).check();
    await form.getByRole('button', { name: 'Add user' }).click();

    await expect(page.getByRole('alert')).toContainText('Kit Chen (e2e) was added.');
    const row = users.locator('tbody tr').filter({ hasText: 'kitchen.e2e' });
    await expect(row.getByRole('cell').nth(3)).toHaveText('C Wing, D Wing');
    await expect(form.getByLabel('C Wing', { exact: true })).not.toBeChecked();

    await page.getByRole('button', { name: 'Change Kit Chen (e2e)' }).click();
    const panel = page.getByTestId('edit-user');
    await expect(panel.getByLabel('C Wing', { exact: true })).toBeChecked();
    await expect(panel.getByLabel('D Wing', { exact: true })).toBeChecked();
    await expect(panel.getByLabel('A Wing', { exact: true })).not.toBeChecked();
  });
});
