import type { Locator, Page } from 'playwright-core';
import { choose } from './console';

/** The case workspace: header, tasks, timeline and the "what you can do now" panel. */
export class CaseWorkspace {
  constructor(readonly page: Page) {}

  async open(caseId: string): Promise<void> {
    await this.page.goto(`/cases/${caseId}`);
    await this.page.getByText('当前可办理').waitFor();
  }

  actions(): Locator {
    return this.page.locator('.ant-card').filter({ has: this.page.getByText('当前可办理', { exact: true }) });
  }

  action(label: string): Locator {
    return this.actions().getByRole('button', { name: label, exact: true });
  }

  /** Opens the form of an action (an event) by its Chinese name. */
  async start(label: string): Promise<Locator> {
    await this.action(label).click();
    return this.form(label);
  }

  form(label: string): Locator {
    return this.page.getByRole('form', { name: label });
  }

  field(form: Locator, label: string): Locator {
    return form.getByLabel(label, { exact: true });
  }

  async fill(form: Locator, label: string, value: string): Promise<void> {
    await this.field(form, label).fill(value);
  }

  async pick(form: Locator, label: string, option: string): Promise<void> {
    await choose(this.page, this.field(form, label), option);
  }

  /** A date-time field: typed as shown (China Standard Time); leaving the field keeps it and closes the picker. */
  async date(form: Locator, label: string, value: string): Promise<void> {
    const input = this.field(form, label);
    await input.click();
    await input.fill(value);
    await input.press('Tab');
    await this.page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
  }

  async submit(form: Locator, label: string): Promise<void> {
    await form.getByRole('button', { name: `提交 · ${label}` }).click();
  }

  /**
   * Sends an action and waits for the console to confirm it. The form closes only once the server
   * accepted the event (a toast of an earlier send may still be showing, so the toast alone does not
   * tell this send went through).
   */
  async send(label: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
    const form = await this.start(label);
    if (fill) await fill(form);
    await this.submit(form, label);
    await form.waitFor({ state: 'detached' });
    await this.page.getByText(`已提交：${label}`).last().waitFor();
  }

  state(): Locator {
    return this.page.locator('h1 .ant-tag');
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }
}
