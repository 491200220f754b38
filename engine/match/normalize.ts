// Both sides of every matcher: line endings unified, trailing whitespace of each line and
// leading/trailing blank lines ignored (contract §5).
export function normalizeLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end);
}

export function normalizeText(text: string): string {
  return normalizeLines(text).join('\n');
}
