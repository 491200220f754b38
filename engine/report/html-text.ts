// Text to HTML for the report: everything a run produced is escaped, and diffs get a class per
// line so removals, additions and elided lines read at a glance.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A preformatted block; empty text gives an explicit "(no output)". */
export function pre(text: string, className = 'out'): string {
  return text.trim() ? `<pre class="${className}">${escapeHtml(text)}</pre>` : `<p class="muted">(no output)</p>`;
}

const DIFF_CLASS: Record<string, string> = { '-': 'del', '+': 'add', '~': 'eli', '@': 'hunk' };

/** A unified-style diff (`-` expected, `+` actual, `~` absorbed by `...`) with a class per line. */
export function diffBlock(diff: string): string {
  // The separator and Index: lines of the `diff` package's patches say nothing to a reader.
  const shown = diff.split('\n').filter((line) => !/^(=+|Index:.*)$/.test(line));
  const lines = shown.map((line) => {
    const header = /^(---|\+\+\+) /.test(line) || line === '---' || line === '+++';
    const cls = header ? 'meta' : DIFF_CLASS[line[0]] ?? 'ctx';
    return `<span class="${cls}">${escapeHtml(line)}</span>`;
  });
  return `<pre class="diff">${lines.join('\n')}</pre>`;
}

/** Any value from result data or facts, readable: strings as is, the rest as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** Lines a reader sees in an output (no trailing newline counted). */
export function lineCount(text: string): number {
  const trimmed = text.replace(/\n+$/, '');
  return trimmed ? trimmed.split('\n').length : 0;
}
