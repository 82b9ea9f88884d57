/**
 * Temporal Web (UI 2.42, embedded in the Temporal CLI's dev server) as a person uses it, for the browser tests: the
 * workflow list's query box, a workflow's page, its "User Metadata" tab, and the "Send a Signal" dialog. Every step
 * waits for what the person would wait to see, through playwright's auto-waiting locators.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { docsOutput } from './docs-output';

export class TemporalWeb {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  /** Opens the workflow list and runs `query` typed into the raw query box, as a user does. */
  async listWorkflows(query: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/namespaces/default/workflows`);
    // The query box is hidden behind the "</>" toggle next to the filter buttons.
    await this.page.getByTestId('toggle-manual-query').click();
    await this.page.getByRole('searchbox', { name: 'Enter a query' }).fill(query);
    await this.page.getByRole('button', { name: 'Search' }).click();
  }

  /** A workflow's link in the list (its id is its text). */
  workflowLink(workflowId: string): Locator {
    return this.page.getByRole('table', { name: 'Workflows' }).getByRole('link', { name: workflowId, exact: true });
  }

  async openWorkflow(workflowId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
  }

  /** Waits until the page's status badge (Running, Completed, …) reads `status`. */
  async waitForStatus(status: string): Promise<void> {
    // In the page's header, where the id and the actions are: the tabs below show other things' statuses.
    await this.page.locator('main header').first().getByText(status, { exact: true }).waitFor();
  }

  /**
   * Opens the "User Metadata" tab and returns its three markdown panes: the Summary and the Details (the workflow's
   * static summary and details, set when it started) and the Current Details (what the workflow last set). The UI
   * renders each in an iframe of its own.
   */
  async userMetadata(): Promise<{ summary: FrameLocator; details: FrameLocator; currentDetails: FrameLocator }> {
    await this.page.getByRole('tab', { name: 'User Metadata' }).click();
    await this.page.getByRole('heading', { name: 'Current Details' }).waitFor();
    const panes = this.page.getByRole('main').locator('iframe');
    await panes.nth(2).waitFor();
    return {
      summary: panes.first().contentFrame(),
      details: panes.nth(1).contentFrame(),
      currentDetails: panes.last().contentFrame(),
    };
  }

  /**
   * Sends a signal through More Actions → "Send a Signal". `beforeSubmit` sees the filled-in dialog (for a picture).
   * The dialog lists the signals the workflow defines, so the name is picked from that list.
   */
  async sendSignal(name: string, input: unknown, beforeSubmit?: () => Promise<void>): Promise<void> {
    await this.page.getByRole('button', { name: 'More Actions' }).click();
    await this.page.getByRole('menuitem', { name: 'Send a Signal' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Send a Signal' });
    await dialog.getByRole('button', { name: 'Select a signal' }).click();
    await dialog.getByRole('option', { name, exact: true }).click();
    await dialog.getByRole('textbox').last().fill(JSON.stringify(input));
    // The JSON editor pretty-prints its text when it loses focus, and the dialog grows: a mouse click on Submit
    // blurs the editor, moves the button and misses it. So: focus Submit, see the text pretty-printed, press Enter.
    const submit = dialog.getByRole('button', { name: 'Submit' });
    await submit.focus();
    const firstMember = JSON.stringify(input, null, 2).split('\n')[1]!.trim(); // e.g. `"by": "alice"`
    await dialog.getByText(firstMember).waitFor();
    await beforeSubmit?.();
    await submit.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }

  /**
   * Opens the History tab in one of its views — All (with the timeline) or Compact (one row per activity, signal,
   * marker) — and returns the event table.
   */
  async history(view: 'All' | 'Compact'): Promise<Locator> {
    await this.page.getByRole('tab', { name: /^History/ }).click();
    await this.page.getByRole('button', { name: view, exact: true }).click();
    return this.page.getByRole('main').getByRole('table').last();
  }

  /** Scrolls `target` to the top of the window, below the UI's sticky header. */
  async scrollToTop(target: Locator): Promise<void> {
    await target.evaluate((element) => {
      element.style.scrollMarginTop = '64px';
      element.scrollIntoView({ block: 'start' });
    });
  }

  /** Saves what the window shows as images/temporal-web-<name>.png of the docs (see docsOutput). */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: docsOutput(`images/temporal-web-${name}.png`) });
  }
}
