import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './AppShell.ts';
import { SignInPage } from './SignInPage.ts';

const IMAGES = new URL('../fixtures/images/', import.meta.url);

/** A test photo from tests/e2e/fixtures/images, as the camera input would hand it over. */
export function imageFile(name: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: name.endsWith('.png') ? 'image/png' : 'image/jpeg', buffer: readFileSync(new URL(name, IMAGES)) };
}

/** The Today screen: checks due, drafts, actions, submitted evidence. */
export class TodayPage {
  readonly dueChecks: Locator;
  readonly drafts: Locator;
  readonly submitted: Locator;
  readonly myActions: Locator;

  constructor(readonly page: Page) {
    this.dueChecks = page.getByTestId('due-checks');
    this.drafts = page.getByTestId('drafts');
    this.submitted = page.getByTestId('submitted');
    this.myActions = page.getByTestId('my-actions');
  }

  dueItem(title: string, unit: string): Locator {
    return this.dueChecks.getByRole('listitem').filter({ hasText: title }).filter({ hasText: unit });
  }

  /** Waits until the device holds the checks and actions fetched from the server. */
  async waitForReference(): Promise<void> {
    await expect(this.page.getByTestId('reference-refreshed')).toBeVisible();
  }
}

/** Running a check: one item per question, notes on failures, photos, actions, submit. */
export class CheckForm {
  readonly saveState: Locator;
  readonly submit: Locator;
  readonly errorSummary: Locator;

  constructor(readonly page: Page) {
    this.saveState = page.getByTestId('save-state');
    this.submit = page.getByRole('button', { name: /^Submit (check|evidence)$/ });
    this.errorSummary = page.locator('.govuk-error-summary').filter({ hasText: 'There is a problem' });
  }

  item(question: string): Locator {
    return this.page.getByTestId('check-item').filter({ has: this.page.getByText(question, { exact: true }) });
  }

  async choose(question: string, answer: 'Pass' | 'Fail' | 'Not applicable' | 'Yes' | 'No'): Promise<void> {
    await this.item(question).getByLabel(answer, { exact: true }).check();
    await this.saved();
  }

  async reading(question: string, value: string): Promise<void> {
    await this.item(question).getByRole('textbox').first().fill(value);
    await this.saved();
  }

  async note(question: string, text: string): Promise<void> {
    await this.item(question).getByLabel('Note').fill(text);
    await this.saved();
  }

  /** Adds photos to the check as a whole (the "Photos of the check" input). */
  async addCheckPhotos(...files: ({ name: string; mimeType: string; buffer: Buffer } | string)[]): Promise<void> {
    await this.page.getByLabel('Photos of the check (optional)', { exact: true }).setInputFiles(files as Parameters<Locator['setInputFiles']>[0]);
  }

  checkPhotos(): Locator {
    return this.page.getByRole('list', { name: 'Photos of the check (optional): photos' }).getByTestId('photo');
  }

  async saved(): Promise<void> {
    await expect(this.saveState).toContainText('Saved on this device');
  }
}

export const WEEKLY_CLEANING = [
  'Have walls, windows and ledges been cleaned this week?',
  'Has the servery had its weekly deep clean, including behind equipment?',
  'Are bins emptied and cleaned and drains clear?',
  'Are cleaning materials stocked and stored safely?',
];

/**
 * Runs the weekly cleaning checklist (all pass) on a unit, with a photo if given, and submits it:
 * one check in the outbox. Returns the check's id.
 */
export async function submitWeeklyCleaning(page: Page, unit: string, photo?: string): Promise<string> {
  await page.goto('/checks/new');
  await page.getByLabel('Weekly unit cleaning checklist').check();
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: unit });
  await page.getByRole('button', { name: 'Start check' }).click();
  const form = new CheckForm(page);
  for (const question of WEEKLY_CLEANING) await form.choose(question, 'Pass');
  if (photo) {
    await form.addCheckPhotos(imageFile(photo));
    await expect(form.checkPhotos()).toHaveCount(1);
  }
  await form.submit.click();
  await expect(page.getByTestId('sync-state')).toBeVisible();
  return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

/** A tablet on the wing: signed in (so.demo unless said), its checks fetched, the app ready offline, then no signal. */
export async function readyOffline(page: Page, username = 'so.demo'): Promise<AppShell> {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs(username);
  await new TodayPage(page).waitForReference();
  await shell.waitForOfflineReady();
  await page.context().setOffline(true);
  await expect(shell.connectionState).toHaveText('Offline');
  return shell;
}
