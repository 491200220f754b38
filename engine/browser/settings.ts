// The `screenshot:` section of runbook.yaml (settings.extra.screenshot): defaults for every
// screenshot step and the sign-in form `login=USER` fills. BookInfo's productpage is the default:
// a "Sign in" button opens a dialog whose form has inputs named username and passwd and posts
// to /login; BookInfo accepts any password.
import { parseDuration } from '../read/duration.ts';

export interface LoginSettings {
  /** Clicked first to reveal the form (a dialog); skipped when nothing matches or the form shows. */
  open: string;
  username: string;
  password: string;
  submit: string;
  /** Typed into the password field; may use $VAR from the session. */
  passwordValue: string;
}

export interface ScreenshotSettings {
  viewport: { width: number; height: number };
  scale: number;
  /** Changed-pixel ratio (0..1) at or below which an existing file is kept. */
  threshold: number;
  /** Budget for loading, signing in, waiting and capturing when the step sets no timeout=. */
  timeoutMs: number;
  /** Where diff images go, relative to the directory runbook was started in. */
  diffDir: string;
  login: LoginSettings;
}

export const DEFAULT_SCREENSHOT_SETTINGS: ScreenshotSettings = {
  viewport: { width: 1280, height: 800 },
  scale: 1,
  threshold: 0.001,
  timeoutMs: 30_000,
  diffDir: '.runbook/screenshots',
  login: {
    open: '#sign-in-button, button:has-text("Sign in")',
    username: 'input[name="username"]',
    password: 'input[name="passwd"]',
    submit: 'form[name="login_form"] [type="submit"], form[action$="login"] [type="submit"]',
    passwordValue: 'password',
  },
};

/** `0.1%` (percent of pixels) or `0.001` (a fraction); undefined when it is neither. */
export function parseThreshold(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const value = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return value <= 1 ? value : undefined;
}

/** `1280x800` → { width, height }; undefined when malformed. */
export function parseViewport(text: string): { width: number; height: number } | undefined {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return undefined;
  return { width: Number(m[1]), height: Number(m[2]) };
}

export const LOGIN_KEYS: Record<string, keyof LoginSettings> = {
  open: 'open',
  username: 'username',
  password: 'password',
  submit: 'submit',
  'password-value': 'passwordValue',
};
export const SCREENSHOT_KEYS = ['viewport', 'scale', 'threshold', 'timeout', 'diff-dir', 'login'];

/** Reads the section; a bad value throws a message naming the key and what to write instead. */
export function screenshotSettings(section: unknown): ScreenshotSettings {
  const out: ScreenshotSettings = { ...DEFAULT_SCREENSHOT_SETTINGS, login: { ...DEFAULT_SCREENSHOT_SETTINGS.login } };
  if (section === undefined || section === null) return out;
  if (typeof section !== 'object' || Array.isArray(section)) throw new Error('screenshot: must be a mapping such as { viewport: 1280x800 }');
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    const text = String(value);
    switch (key) {
      case 'viewport':
        out.viewport = parseViewport(text) ?? fail(`screenshot.viewport: ${text}: use WIDTHxHEIGHT such as 1280x800`);
        break;
      case 'scale':
        out.scale = Number(text) > 0 ? Number(text) : fail(`screenshot.scale: ${text}: use a positive number such as 2`);
        break;
      case 'threshold':
        out.threshold = parseThreshold(text) ?? fail(`screenshot.threshold: ${text}: use a percentage such as 0.1% or a fraction such as 0.001`);
        break;
      case 'timeout':
        out.timeoutMs = parseDuration(text) ?? fail(`screenshot.timeout: ${text}: use 500ms, 30s, 5m or a number of seconds`);
        break;
      case 'diff-dir':
        out.diffDir = text;
        break;
      case 'login':
        if (!value || typeof value !== 'object') fail('screenshot.login: must be a mapping of open, username, password, submit, password-value');
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          const field = LOGIN_KEYS[k] ?? fail(`screenshot.login.${k}: unknown; use ${Object.keys(LOGIN_KEYS).join(', ')}`);
          out.login[field] = String(v ?? '');
        }
        break;
      default:
        fail(`screenshot.${key}: unknown setting; use ${SCREENSHOT_KEYS.join(', ')}`);
    }
  }
  return out;
}

function fail(message: string): never {
  throw new Error(message);
}
