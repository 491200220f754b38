// `login=USER`: signs in through the page's own form, the way a reader of the tutorial would.
// The selectors come from the `screenshot.login` settings (BookInfo's form by default).
import type { Page } from 'playwright-core';
import type { LoginSettings } from './settings.ts';

export async function signIn(page: Page, user: string, password: string, form: LoginSettings, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const username = page.locator(form.username).first();
  if (!(await username.isVisible())) {
    // BookInfo keeps the form in a dialog behind a "Sign in" button.
    const opener = page.locator(form.open).first();
    if ((await opener.count()) === 0) {
      throw new Error(`no sign-in form: neither ${form.username} nor a button matching ${form.open} is on the page; set screenshot.login in runbook.yaml for this page`);
    }
    await opener.click({ timeout: left() });
  }
  await username.fill(user, { timeout: left() });
  const passwordField = page.locator(form.password).first();
  await passwordField.fill(password, { timeout: left() });
  const submit = page.locator(form.submit).first();
  // click() waits for the navigation the form post starts; then the page the server sends back.
  if ((await submit.count()) > 0) await submit.click({ timeout: left() });
  else await passwordField.press('Enter', { timeout: left() });
  await page.waitForLoadState('load', { timeout: left() });
  const shown = page.getByText(user, { exact: false }).first();
  try {
    await shown.waitFor({ state: 'visible', timeout: left() });
  } catch {
    throw new Error(`submitted the sign-in form as ${user}, but the page that came back does not show "${user}" (wrong password, or the form posts elsewhere?)`);
  }
}
