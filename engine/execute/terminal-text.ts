// Captured output as a terminal would show it: colour and cursor escapes removed, carriage
// returns overwriting the line they return to (progress meters), CRLF as LF.

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function asTerminalShows(raw: string): string {
  const text = raw.replace(ANSI, '').replace(/\r\n/g, '\n');
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      let shown = '';
      for (const segment of line.split('\r')) shown = segment + shown.slice(segment.length);
      return shown;
    })
    .join('\n');
}
