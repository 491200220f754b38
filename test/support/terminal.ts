// A real pseudo-terminal for tests: the real `runbook` command in a tmux pane (its own tmux
// server on a private socket), keys sent as a person types them, and waits for what the screen
// shows — never for a fixed time.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.ts';
import { childEnv } from './child-env.ts';

const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

/**
 * Terminal tests need tmux. Without it they fail with the install hint (so they never skip
 * unnoticed), unless RUNBOOK_SKIP_TERMINAL_TESTS=1, which skips them with a visible reason.
 */
export const TERMINAL_SKIP: string | false = !HAVE_TMUX && process.env.RUNBOOK_SKIP_TERMINAL_TESTS === '1' ? 'RUNBOOK_SKIP_TERMINAL_TESTS=1 and tmux is not installed' : false;

const EXITED = '[runbook exited with ';
const shellWord = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

export interface TerminalOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  width?: number;
  height?: number;
}

export class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), 'runbook-tty-'));
  private readonly socket = join(this.dir, 'tmux.sock');

  /** Starts `runbook ARGS` in a new terminal; the pane stays after it exits, to read its status. */
  constructor(args: string[], options: TerminalOptions) {
    if (!HAVE_TMUX) throw new Error('these tests drive a real terminal through tmux, which is not installed (Debian: apt-get install tmux; .ci/run installs it); set RUNBOOK_SKIP_TERMINAL_TESTS=1 to skip them on purpose');
    const config = join(this.dir, 'tmux.conf');
    writeFileSync(config, 'set -g remain-on-exit on\nset -g history-limit 20000\nset -g status off\n');
    // The exit status comes as a line on the screen: tmux does not always notice at once that
    // the pane's process has ended (it can stay a zombie there), a shell around it does.
    const command = `${[process.execPath, BIN, ...args].map(shellWord).join(' ')}; echo "${EXITED}$?]"`;
    execFileSync('tmux', ['-f', config, '-S', this.socket, 'new-session', '-d', '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), '-c', options.cwd, command], {
      // The tmux server (and so the pane) gets this environment; colours off keeps the screen plain.
      env: childEnv({ NO_COLOR: '1', CI: '', TERM: 'xterm-256color', PAGER: 'cat', ...options.env }),
    });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Keys as tmux names them: 'Enter', 'C-c', or literal text. */
  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', '0', ...keys);
  }

  /** Literal text, then Enter. */
  type(line: string): void {
    this.tmux('send-keys', '-t', '0', '-l', line);
    this.send('Enter');
  }

  /** Everything the terminal shows and scrolled past, lines joined, without the blank rows below. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', '0', '-S', '-20000').replace(/\n+$/, '\n');
  }

  /** Waits until the screen matches (from line `from` on, see mark()); returns that part of the screen. */
  async waitFor(pattern: RegExp, options: { from?: number; timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const shown = this.screen().split('\n').slice(options.from ?? 0).join('\n');
      if (pattern.test(shown)) return shown;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${shown}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** How far the screen has come (its last line, which may still grow): pass it as `from` to look only at what comes after. */
  mark(): number {
    return Math.max(0, this.screen().split('\n').length - 2);
  }

  /** Waits for the command to end; its exit status. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    try {
      const shown = await this.waitFor(/\[runbook exited with (\d+)\]/, { timeoutMs });
      return Number(/\[runbook exited with (\d+)\]/.exec(shown)![1]);
    } catch (e) {
      const tty = this.tmux('display-message', '-p', '-t', '0', '#{pane_tty}').trim();
      throw new Error(`the command did not end (${tty} held by: ${holders(tty)}); ${(e as Error).message}`);
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      /* already gone */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function openTerminal(t: { teardown(fn: () => void): void }, args: string[], options: TerminalOptions): Terminal {
  const terminal = new Terminal(args, options);
  t.teardown(() => terminal.close());
  return terminal;
}

/** The pids of processes whose command line contains `text`. */
export function processesWith(text: string): number[] {
  const found = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  return (found.stdout ?? '').split('\n').filter(Boolean).map(Number);
}


/** Processes with a file open (for a hung terminal: who still holds it). */
function holders(path: string): string {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) {
          found.push(`${pid}:${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
          break;
        }
      }
    } catch {
      /* gone, or not ours */
    }
  }
  return found.join('; ') || 'nobody';
}
