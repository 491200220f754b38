/** The last lines of an output, indented, for failure messages. */
export function excerpt(text: string, maxLines = 20): string {
  const lines = text.split('\n');
  const shown = lines.length > maxLines ? ['…', ...lines.slice(-maxLines)] : lines;
  return shown.map((l) => `  ${l}`).join('\n');
}
