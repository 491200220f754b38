// CommonMark's fence rules, in one place: the reader finds where fenced blocks end, the section
// splitter skips over them, and write-back refuses output that would end one early.

/** The fence string (``` or ~~~~, …) a line opens with, or undefined. */
export function fenceOpening(line: string): string | undefined {
  return /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
}

/** True when `line` closes a block opened with `fence`: same character, at least as long, nothing else. */
export function closesFence(line: string, fence: string): boolean {
  const m = /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
  return m !== null && m[1][0] === fence[0] && m[1].length >= fence.length;
}

/** True when the line is a closing fence of any kind (for the reader, which knows the node's end). */
export function isClosingFence(line: string): boolean {
  return /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/.test(line);
}
