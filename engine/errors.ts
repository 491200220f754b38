// Errors a user can cause. Each names where (file:line) and what to do, and carries the
// contract's exit code, so the CLI can print it without a stack trace.
import type { Position } from './model.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class RunbookError extends Error {
  constructor(
    message: string,
    readonly position?: Position,
    readonly exitCode: number = EXIT.usage,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RunbookError';
  }

  /** `file:line: message` plus the hint on its own line. */
  format(): string {
    const where = this.position ? `${this.position.file}:${this.position.line}: ` : '';
    return `${where}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}

/** Several problems found in one pass (the reader reports all of them, not only the first). */
export class RunbookErrors extends Error {
  constructor(readonly errors: RunbookError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'RunbookErrors';
  }
  get exitCode(): number {
    return this.errors[0]?.exitCode ?? EXIT.usage;
  }
}
