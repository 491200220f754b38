// Masks secrets in everything a run shows or stores: captured outputs, write-back, reports and
// the terminal. Built-in patterns cover AWS keys, bearer tokens, JWTs and PEM private keys;
// the runbook's `redact:` regexes come on top.

export const MASK = '[REDACTED]';

const BUILT_IN: RegExp[] = [
  /-----BEGIN ([A-Z0-9 ]+ )?PRIVATE KEY-----[\s\S]*?-----END ([A-Z0-9 ]+ )?PRIVATE KEY-----/g,
  /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g,
  /(?<=(aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secret_access_key)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/g,
  /(?<=(aws_session_token|AWS_SESSION_TOKEN|SessionToken)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{100,}/g,
  /(?<=\b[Bb]earer\s+)[A-Za-z0-9\-._~+/]{8,}=*/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

export type Redactor = (text: string) => string;

export function makeRedactor(extra: string[] = []): Redactor {
  const patterns = [...BUILT_IN, ...extra.map((source) => new RegExp(source, 'g'))];
  return (text: string) => {
    let out = text;
    for (const re of patterns) {
      re.lastIndex = 0;
      out = out.replace(re, MASK);
    }
    return out;
  };
}
