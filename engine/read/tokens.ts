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
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    let key = '';
    while (i < text.length && !/[\s=]/.test(text[i])) key += text[i++];
    if (text[i] !== '=') {
      tokens.push({ key, column: start });
      continue;
    }
    i++; // '='
    let value = '';
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      i++;
      while (i < text.length && text[i] !== quote) {
        if (text[i] === '\\' && quote === '"' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new TokenError(`unterminated quote in ${key}=${quote}${value}`);
      i++;
    } else {
      while (i < text.length && !/\s/.test(text[i])) value += text[i++];
    }
    if (!key) throw new TokenError(`"=${value}" has no name before "="`);
    tokens.push({ key, value, column: start });
  }
  return tokens;
}
