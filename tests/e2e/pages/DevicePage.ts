import type { Locator, Page } from '@playwright/test';

export class DevicePage {
  readonly clientId: Locator;
  readonly persistence: Locator;
  readonly usage: Locator;
  readonly offlineReadiness: Locator;

  constructor(readonly page: Page) {
    this.clientId = page.getByTestId('client-id');
    this.persistence = page.getByTestId('storage-persistence');
    this.usage = page.getByTestId('storage-usage');
    this.offlineReadiness = page.getByTestId('offline-readiness');
  }
}
