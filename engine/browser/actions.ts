// The short action list a screenshot step may run before the capture, for pages other than
// BookInfo's sign-in: `actions="click:#more; fill:#q=hello; press:Enter; wait-for:Done"`.
// Parsing is pure so `runbook check` can reject a typo without starting a browser.
import type { Page } from 'playwright-core';
import { parseDuration } from '../read/duration.ts';

export type Action =
  | { verb: 'click' | 'hover'; selector: string }
  | { verb: 'fill'; selector: string; value: string }
  | { verb: 'press'; key: string }
  | { verb: 'wait-for'; text: string }
  | { verb: 'wait'; ms: number };

export const ACTION_VERBS = ['click', 'hover', 'fill', 'press', 'wait-for', 'wait'];

/** Parses the list; throws a message naming the bad item and the accepted forms. */
export function parseActions(text: string): Action[] {
  return text
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const colon = item.indexOf(':');
      const verb = colon > 0 ? item.slice(0, colon).trim() : item;
      const arg = colon > 0 ? item.slice(colon + 1).trim() : '';
      if (!arg) throw new Error(`action "${item}" needs VERB:ARGUMENT (verbs: ${ACTION_VERBS.join(', ')})`);
      switch (verb) {
        case 'click':
        case 'hover':
          return { verb, selector: arg };
        case 'fill': {
          const eq = topLevelEquals(arg);
          if (eq < 1) throw new Error(`action "${item}": write fill:SELECTOR=VALUE`);
          return { verb, selector: arg.slice(0, eq).trim(), value: arg.slice(eq + 1) };
        }
        case 'press':
          return { verb, key: arg };
        case 'wait-for':
          return { verb, text: arg };
        case 'wait': {
          const ms = parseDuration(arg);
          if (ms === undefined) throw new Error(`action "${item}": write wait:500ms or wait:2s`);
          return { verb, ms };
        }
        default:
          throw new Error(`unknown action "${verb}" in "${item}"; actions are ${ACTION_VERBS.join(', ')}`);
      }
    });
}

/** Index of the first `=` outside [attribute] brackets and quotes, so `input[name=q]=x` splits right. */
function topLevelEquals(text: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === '=' && depth === 0) return i;
  }
  return -1;
}

export function describeAction(action: Action): string {
  switch (action.verb) {
    case 'fill':
      return `fill ${action.selector}`;
    case 'press':
      return `press ${action.key}`;
    case 'wait-for':
      return `wait for "${action.text}"`;
    case 'wait':
      return `wait ${action.ms}ms`;
    default:
      return `${action.verb} ${action.selector}`;
  }
}

/** Runs the actions in order; each waits at most `timeoutMs` (Playwright's own waiting). */
export async function runActions(page: Page, actions: Action[], timeoutMs: number): Promise<void> {
  for (const action of actions) {
    switch (action.verb) {
      case 'click':
        await page.locator(action.selector).first().click({ timeout: timeoutMs });
        break;
      case 'hover':
        await page.locator(action.selector).first().hover({ timeout: timeoutMs });
        break;
      case 'fill':
        await page.locator(action.selector).first().fill(action.value, { timeout: timeoutMs });
        break;
      case 'press':
        await page.keyboard.press(action.key);
        break;
      case 'wait-for':
        await waitForText(page, action.text, timeoutMs);
        break;
      case 'wait':
        await page.waitForTimeout(action.ms);
        break;
    }
  }
}

/** Waits until the text is visible somewhere on the page. */
export async function waitForText(page: Page, text: string, timeoutMs: number): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
}
