import { expect, type Locator, type Page } from '@playwright/test';

/** The frame every screen shares: navigation, connection state, sync count. */
export class AppShell {
  readonly navigation: Locator;
  readonly connectionState: Locator;
  readonly waitingCount: Locator;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.navigation = page.getByRole('navigation', { name: 'Menu' });
    this.connectionState = page.getByTestId('connection-state');
    this.waitingCount = page.getByTestId('waiting-count');
    this.heading = page.getByRole('heading', { level: 1 });
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.heading).toBeVisible();
  }

  /** Resolves once a service worker has installed and controls this page. */
  async waitForOfflineReady(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (navigator.serviceWorker.controller) return;
      await new Promise<void>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => {
          resolve();
        });
      });
    });
  }

  async navigateTo(label: string): Promise<void> {
    const menu = this.page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await this.navigation.getByRole('link', { name: label, exact: true }).click();
  }
}
