import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../../playwright.config.ts';

export class SignInPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly errorSummary: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.errorSummary = page.getByRole('alert');
  }

  /** Opens the app and signs in as one of the demo users (admin.demo, hor.demo, dg.demo, so.demo). */
  async signInAs(username: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
    await expect(this.page.getByTestId('signed-in-as')).toBeVisible();
  }
}
