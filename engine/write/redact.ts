// Masks secrets in everything a run shows or stores: captured outputs, write-back, reports and
// the terminal. Built-in patterns cover AWS keys, bearer tokens, JWTs and PEM private keys;
// the runbook's `redact:` regexes come on top.

export const MASK = '[REDACTED]';

const BUILT_IN: RegExp[] = [
  // PEM private keys, including one cut off before its END line (`head`, truncated logs).
  /-----BEGIN ([A-Z0-9 ]+ )?PRIVATE KEY-----(?:[\s\S]*?-----END ([A-Z0-9 ]+ )?PRIVATE KEY-----|[\s\S]*$)/g,
  /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g,
  /(?<=(aws_secret_access_key|secret_access_key|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{30,}/gi,
  /(?<=(aws_session_token|SessionToken)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{100,}/gi,
  /(?<=\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // kubeconfig / YAML / JSON values under secret-looking keys (client keys, tokens, passwords).
  /(?<=\b(client-key-data|token|password|passwd|secret)["']?\s*[:=]\s*["']?)[A-Za-z0-9\-._~+/=]{8,}/gi,
  // kubeadm bootstrap tokens (abcdef.0123456789abcdef)
  /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g,
];

/** Names of variables whose values are secrets wherever they show up. */
export const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;

/** The values of secret-looking variables (environment, vars:, --set), to mask literally. */
export function secretValues(...sources: Record<string, string | undefined>[]): string[] {
  const values = new Set<string>();
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (value && value.length >= 8 && SECRET_NAME.test(name)) values.add(value);
    }
  }
  return [...values];
}

export type Redactor = (text: string) => string;

export function makeRedactor(extra: string[] = [], literals: string[] = []): Redactor {
  const patterns = [...BUILT_IN, ...extra.map((source) => new RegExp(source, 'g'))];
  // Longest first, so a secret that contains another is masked whole.
  const secrets = [...literals].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(MASK);
    for (const re of patterns) {
      re.lastIndex = 0;
      out = out.replace(re, MASK);
    }
    return out;
  };
}
