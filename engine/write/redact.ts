// Masks secrets in everything a run shows or stores: captured outputs, commands, diffs,
// write-back, reports and the terminal. Built-in patterns cover the common credential shapes;
// the runbook's `redact:` regexes come on top; and the values of secret-looking variables —
// from the environment, `vars:`, `--set`, and those a step sets during the run — are masked
// literally wherever they appear. Every pattern runs in time linear in the text (no
// lookbehind, bounded repetitions where a match could otherwise rescan), so an 8 MB output
// costs milliseconds.

export const MASK = '[REDACTED]';

interface Pattern {
  re: RegExp;
  /** A cheap test the text must pass for `re` to be worth running (most outputs fail it). */
  gate?: RegExp;
  /** The match keeps its first capture group (the key, `Bearer `, `user:`) and masks the rest. */
  keepsPrefix?: boolean;
  /** Decides about a candidate match; false keeps it as it is. */
  confirm?: (match: string) => boolean;
}

/** A base64 blob that decodes to a PEM private key (a Kubernetes Secret's `tls.key`). */
function isEncodedPrivateKey(blob: string): boolean {
  return Buffer.from(blob.slice(0, 80), 'base64').toString('latin1').includes('PRIVATE KEY');
}

const BUILT_IN: Pattern[] = [
  // PEM and PGP private keys (JSON-escaped ones too), including one cut off before its END line.
  { re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*$)/g },
  // …and base64-encoded, as in a Kubernetes Secret (base64 of "-----BEGIN").
  { re: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}/g, confirm: isEncodedPrivateKey },
  // AWS access key ids, wherever they stand (`AKIA…_suffix` included).
  { re: /(^|[^A-Z0-9])(?:AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g, keepsPrefix: true },
  // Authorization headers, before the key/value pattern: `token: Bearer X` must lose X, not the word Bearer.
  { re: /(\bbearer[ \t]+)[A-Za-z0-9\-._~+/]{8,}=*/gi, keepsPrefix: true },
  { re: /(\bauthorization["']?[ \t]*[:=][ \t]*["']?basic[ \t]+)[A-Za-z0-9+/]{4,}=*/gi, keepsPrefix: true },
  // Values under secret-looking keys: YAML, JSON, env, flags, kubeconfig, Kubernetes Secrets.
  {
    re: /((?:secret[_-]?access[_-]?key|session[_-]?token|token|secret|password|passwd|api[_-]?key|access[_-]?key|private[_-]?key(?:[_-]?id)?|client[_-]?key[_-]?data|credentials?|\.key)["']?[ \t]*[:=][ \t]*["']?)[^\s"',;]{6,}/gi,
    keepsPrefix: true,
  },
  // Passwords in URLs: scheme://user:password@host (anchored at the `://`, which few lines have).
  { re: /(:\/\/[^\s:/@]{1,256}:)[^\s@/]{1,256}(?=@)/g, keepsPrefix: true },
  // JSON Web Tokens.
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  // kubeadm bootstrap tokens (abcdef.0123456789abcdef); the gate looks for the rarer half first.
  { re: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, gate: /\.[a-z0-9]{16}\b/ },
  // Token formats: GitHub, Slack, Google API keys and OAuth tokens, GitLab, npm, Stripe.
  { re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { re: /\bAIza[0-9A-Za-z_-]{35}|\bya29\.[0-9A-Za-z_-]{20,}/g },
  { re: /\b(?:glpat-[0-9A-Za-z_-]{20,}|npm_[A-Za-z0-9]{36}|[sr]k_(?:live|test)_[0-9A-Za-z]{16,})/g },
  // Azure storage and service bus connection strings, SAS signatures.
  { re: /((?:AccountKey|SharedAccessKey|SharedAccessSignature)=|[?&]sig=)[^;\s"'&]+/gi, keepsPrefix: true },
];

/** Names of variables whose values are secrets wherever they show up. */
export const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Shorter values are too likely to be ordinary words ("admin", "true") to mask everywhere. */
const MIN_SECRET_LENGTH = 6;

/** The values of secret-looking variables (environment, vars:, --set), to mask literally. */
export function secretValues(...sources: Record<string, string | undefined>[]): string[] {
  const values = new Set<string>();
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (value && value.length >= MIN_SECRET_LENGTH && isSecretName(name)) values.add(value);
    }
  }
  return [...values];
}

export interface Redactor {
  (text: string): string;
  /** Adds values to mask literally from now on (variables a step set). */
  learn(values: Iterable<string>): void;
}

export function makeRedactor(extra: string[] = [], literals: string[] = []): Redactor {
  const patterns: Pattern[] = [...BUILT_IN, ...extra.map((source) => ({ re: new RegExp(source, 'g') }))];
  // V8 interprets a regular expression the first time it runs and compiles it after: a short
  // first run here means a large output never goes through the interpreter.
  for (const { re, gate } of patterns) {
    'warm up'.replace(re, '');
    gate?.test('warm up');
  }
  const known = new Set<string>();
  let secrets: string[] = [];
  const learn = (values: Iterable<string>) => {
    let added = false;
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH || known.has(value)) continue;
      known.add(value);
      added = true;
    }
    // Longest first, so a secret that contains another is masked whole.
    if (added) secrets = [...known].sort((a, b) => b.length - a.length);
  };
  learn(literals);
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    for (const { re, gate, keepsPrefix, confirm } of patterns) {
      if (gate && !gate.test(out)) continue;
      re.lastIndex = 0;
      if (!keepsPrefix && !confirm) out = out.replace(re, MASK);
      else out = out.replace(re, (match, prefix) => (confirm && !confirm(match) ? match : keepsPrefix ? prefix + MASK : MASK));
    }
    return out;
  };
  return Object.assign(redact, { learn });
}
