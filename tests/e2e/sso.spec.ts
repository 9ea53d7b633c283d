// Single sign-on in the browser, against a real OpenID Connect provider (oidc-provider) started
// here on loopback: sign in at the provider's own page, land signed in, go offline, reload, still
// signed in; sign out ends the provider's session too. The app is opened as localhost and the
// provider lives on 127.0.0.1, so the provider's redirect back is cross-site, as in real life.
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { OwnServer } from './support/own-server.ts';

test.describe('single sign-on', () => {
  let server: OwnServer;
  let provider: TestProvider;
  let app: string;

  test.beforeAll(async () => {
    server = await OwnServer.create();
    app = `http://localhost:${server.port}`;
    provider = await startTestProvider([app]);
    await server.start({
      WINGCHECK_OIDC_ISSUER: provider.issuer,
      WINGCHECK_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
      WINGCHECK_OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
      WINGCHECK_OIDC_NAME: 'Test SSO',
    });
  });
  test.afterAll(async () => {
    await server.dispose();
    await provider.close();
  });

  test('signs in at the provider, and stays signed in offline after a reload; signing out ends both', async ({ page, context }) => {
    // A fresh embedded database makes the demo and its history first: give it time.
    test.slow();
    const shell = new AppShell(page);
    await page.goto(`${app}/`);
    await expect(page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign in with Test SSO', exact: true }).click();

    // The provider's own login page (its development form: the login is the account).
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
    await page.locator('input[name="login"]').fill('dg.demo');
    await page.locator('input[name="password"]').fill('anything at all');
    await page.locator('button[type="submit"]').click();

    await expect(page).toHaveURL(`${app}/`);
    await expect(shell.heading).toHaveText('Today');
    await expect(page.getByTestId('signed-in-as')).toContainText('Dana Governor');
    await shell.waitForOfflineReady();

    await context.setOffline(true);
    await expect(shell.connectionState).toHaveText('Offline');
    await page.reload();
    await expect(shell.heading).toHaveText('Today');
    await expect(page.getByTestId('signed-in-as')).toContainText('Dana Governor');
    await expect(shell.connectionState).toHaveText('Offline');

    // Back online, sign out: Wingcheck's session ends, then the provider's.
    await context.setOffline(false);
    await page.goto(`${app}/sign-out`);
    await expect(shell.connectionState).toHaveText('Online');
    await page.getByRole('button', { name: 'Sign out and clear this device' }).click();
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/session/end`));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page).toHaveURL(`${app}/`);
    await expect(page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);

    // The provider's session ended too: signing in again asks for the login once more.
    await page.getByRole('button', { name: 'Sign in with Test SSO', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
    await expect(page.locator('input[name="login"]')).toBeVisible();
  });

  test('an identity with no Wingcheck account is told so on the sign-in page', async ({ page }) => {
    await page.goto(`${app}/`);
    await page.getByRole('button', { name: 'Sign in with Test SSO', exact: true }).click();
    await page.locator('input[name="login"]').fill('nobody.here');
    await page.locator('input[name="password"]').fill('anything at all');
    await page.locator('button[type="submit"]').click();
    await expect(page.getByRole('alert')).toContainText('has no Wingcheck account');
    await expect(page).toHaveURL(`${app}/`);
  });
});
