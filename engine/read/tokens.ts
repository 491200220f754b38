// Splits an annotation string into tokens: bare flags (`run`) and key=value pairs whose value may
// be quoted (`match="like"`, `wait-for='The Comedy of Errors'`).

export interface Token {
  key: string;
  value?: string; // undefined for a bare flag
  column: number; // 0-based index of the token in the string
}

export class TokenError extends Error {}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text, i)) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && text[i] !== '=' && !isSpace(text, i)) i++;
    const key = text.slice(start, i);
    if (text[i] !== '=') {
      tokens.push({ key, column: start });
      continue;
    }
    i++; // '='
    let value = '';
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      i++;
      let from = i;
      while (i < text.length && text[i] !== quote) {
        if (text[i] === '\\' && quote === '"' && i + 1 < text.length) {
          value += text.slice(from, i);
          from = ++i; // the escaped character is kept as it is
        }
        i++;
      }
      value += text.slice(from, i);
      if (i >= text.length) throw new TokenError(`unterminated quote in ${key}=${quote}${value}`);
      i++;
    } else {
      const from = i;
      while (i < text.length && !isSpace(text, i)) i++;
      value = text.slice(from, i);
    }
    if (!key) throw new TokenError(`"=${value}" has no name before "="`);
    tokens.push({ key, value, column: start });
  }
  return tokens;
}

/** JavaScript's \s, with a fast path for ASCII. */
function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(text[i]);
}
