// A small syntax highlighter for the HTML site that needs no network and no browser script:
// it runs inside asciidoctor's conversion and marks up shell, YAML and JSON with a handful of
// token classes, styled by the CSS below. Other languages are shown as plain text.

type Rule = [RegExp, string];

const SHELL: Rule[] = [
  [/(?<=^|[ \t;])#[^\n]*/ym, 'comment'],
  [/"(?:[^"\\]|\\[\s\S])*"/y, 'string'],
  [/'[^']*'/y, 'string'],
  [/\$\{[A-Za-z_]\w*\}?|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@#?$!*-]/y, 'variable'],
  [/\b(?:if|then|else|elif|fi|for|while|until|do|done|case|esac|in|function|return|export|local|unset|set)\b/y, 'keyword'],
  [/(?<=[ \t])--?[A-Za-z][\w-]*/y, 'option'],
  [/[A-Za-z_][\w./-]*|[0-9]+/y, ''],
];

const YAML: Rule[] = [
  [/(?<=^|[ \t])#[^\n]*/ym, 'comment'],
  [/^(?:---|\.\.\.)$/ym, 'keyword'],
  [/(?<=^[ \t]*(?:-[ \t]+)?)[\w.\/-]+(?=:(?:[ \t]|$))/ym, 'key'],
  [/"(?:[^"\\\n]|\\.)*"|'[^'\n]*'/y, 'string'],
  [/\b(?:true|false|null|yes|no)\b|\b-?[0-9]+(?:\.[0-9]+)?\b/y, 'literal'],
  [/[A-Za-z_][\w./-]*/y, ''],
];

const JSON_RULES: Rule[] = [
  [/"(?:[^"\\\n]|\\.)*"(?=\s*:)/y, 'key'],
  [/"(?:[^"\\\n]|\\.)*"/y, 'string'],
  [/\b(?:true|false|null)\b|-?\b[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\b/y, 'literal'],
];

const LANGUAGES: Record<string, Rule[]> = {
  bash: SHELL,
  sh: SHELL,
  shell: SHELL,
  console: SHELL,
  zsh: SHELL,
  yaml: YAML,
  yml: YAML,
  json: JSON_RULES,
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** HTML for the body of a source listing: escaped text with `<span class="tok-…">` tokens. */
export function highlight(source: string, lang: string | undefined): string {
  const rules = LANGUAGES[(lang ?? '').toLowerCase()];
  if (!rules) return escapeHtml(source);
  let out = '';
  let plain = '';
  let at = 0;
  outer: while (at < source.length) {
    for (const [re, cls] of rules) {
      re.lastIndex = at;
      const m = re.exec(source);
      if (!m || m[0].length === 0) continue;
      if (cls) {
        out += escapeHtml(plain) + `<span class="tok-${cls}">${escapeHtml(m[0])}</span>`;
        plain = '';
      } else plain += m[0];
      at += m[0].length;
      continue outer;
    }
    plain += source[at++];
  }
  return out + escapeHtml(plain);
}

export const HIGHLIGHT_CSS = `
pre.highlight code .tok-comment { color: #6a737d; font-style: italic; }
pre.highlight code .tok-string { color: #0a3069; }
pre.highlight code .tok-variable { color: #953800; }
pre.highlight code .tok-keyword { color: #cf222e; }
pre.highlight code .tok-option { color: #0550ae; }
pre.highlight code .tok-key { color: #116329; }
pre.highlight code .tok-literal { color: #0550ae; }
.provenance { font-size: 0.95em; }
`;
