// Reading a source file as text: UTF-8, with or without a byte order mark (kept, so write-back
// writes it back). UTF-16, other encodings and binary files are refused with the line where the
// problem is, and so is a file too large to read in reasonable time and memory.
import { readFileSync, statSync } from 'node:fs';
import { RunbookError } from '../errors.ts';

/** Larger inputs are refused: the readers are linear, but a tutorial is never this big. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readSourceText(path: string, file: string): string {
  const size = statSync(path).size;
  if (size > MAX_SOURCE_BYTES) {
    throw new RunbookError(`the file is ${(size / 1024 / 1024).toFixed(1)} MiB, more than the ${MAX_SOURCE_BYTES / 1024 / 1024} MiB a runbook file may have`, { file, line: 1 }, undefined, 'Split it into chapters (a directory of .md/.adoc files).');
  }
  return decodeSource(readFileSync(path), file);
}

export function decodeSource(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RunbookError('the file is UTF-16 encoded', { file, line: 1 }, undefined, 'Save it as UTF-8 (a UTF-8 byte order mark is fine).');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const utf16 = nul < 4 && bytes.length > 1 && (bytes[0] === 0 || bytes[1] === 0);
    throw new RunbookError(
      utf16 ? 'the file looks UTF-16 encoded (no byte order mark)' : 'the file contains a NUL byte: it is binary, not a text runbook',
      { file, line: lineOfByte(bytes, nul) },
      undefined,
      utf16 ? 'Save it as UTF-8.' : 'Runbooks are UTF-8 Markdown or AsciiDoc text; check that this is the file you meant.',
    );
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new RunbookError(`the file is not valid UTF-8 (byte ${at + 1})`, { file, line: lineOfByte(bytes, at) }, undefined, 'Save it as UTF-8; other encodings (Latin-1, UTF-16, …) are not read.');
  }
}

function lineOfByte(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    try {
      utf8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
