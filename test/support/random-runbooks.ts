// Random valid runbooks for the property test: shapes drawn by fast-check, built into text whose
// every part is known — fixed bytes, output-block bodies (with the indentation and line ending
// write-back must use) and the steps that must run. Decoys (blocks that look like steps but are
// documentation, HTML, indented code, quoted, commented out or conditionally excluded) carry ids
// that must never show up among the steps that ran.
import fc from 'fast-check';

export type Part = string | { indent: string; old: string; token: string };

export interface Built {
  parts: Part[];
  steps: string[]; // ids that must run, in order
}

const WORDS = ['kubectl', 'größe', 'naïve', '日本語', 'emoji 🚀', 'a\ttab', 'trailing  ', 'x|y', '`code`', '*em*', '[link](https://istio.io)', '<b>bold</b>', '&amp;', 'ünï', 'Ⅻ', '$VAR'];
const word = fc.constantFrom(...WORDS, 'the', 'mesh', 'pods', 'gateway', 'version', '1.31');
const sentence = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ').replace(/^[ \t]+|[ \t]+$/g, '') || 'text');

// ---------------------------------------------------------------- Markdown

const mdFence = fc.record({ char: fc.constantFrom('`', '~'), length: fc.integer({ min: 3, max: 5 }) });
const mdStep = fc.record({
  fence: mdFence,
  heredoc: fc.boolean(), // an indented fence-like line inside the body, which must not close it
  output: fc.constantFrom('none', 'todo', 'stale'),
  outputFence: mdFence,
});
type MdStep = typeof mdStep extends fc.Arbitrary<infer T> ? T : never;

const mdPiece = fc.oneof(
  { arbitrary: sentence.map((s) => ({ kind: 'paragraph' as const, s })), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('heading' as const), s: sentence, setext: fc.boolean(), level: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('step' as const), step: mdStep }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      ordered: fc.boolean(),
      marker: fc.constantFrom('-', '*', '+'),
      items: fc.array(fc.record({ s: sentence, step: fc.option(mdStep, { nil: undefined }), nested: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('quote' as const), s: sentence, fence: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('docfence' as const), fence: mdFence, lang: fc.constantFrom('js', 'bash', 'yaml', '') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('html' as const), comment: fc.boolean() }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'table' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'indented' as const }), weight: 1 },
);

export const markdownShape = fc.record({
  pieces: fc.array(mdPiece, { minLength: 1, maxLength: 10 }),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  frontMatter: fc.boolean(),
});
export type MarkdownShape = typeof markdownShape extends fc.Arbitrary<infer T> ? T : never;

/** Builds a Markdown chapter; `prefix` makes its ids unique within a directory. */
export function buildMarkdown(shape: MarkdownShape, prefix: string): Built {
  const parts: Part[] = [];
  const steps: string[] = [];
  let n = 0;
  let decoys = 0;
  const text = (s: string) => parts.push(s);
  const decoy = () => `${prefix}-decoy${decoys++}`;

  const step = (s: MdStep, indent: string) => {
    const id = `${prefix}-s${n++}`;
    steps.push(id);
    const f = s.fence.char.repeat(s.fence.length);
    const other = s.fence.char === '`' ? '~~~' : '```';
    const body = [`echo ${id}-out`];
    if (s.heredoc) body.push("cat <<'EOF' >/dev/null", `    ${f}`, other, s.fence.length > 3 ? s.fence.char.repeat(3) : `${f} not closing`, 'EOF');
    text([`${f}bash run id=${id}`, ...body, f].map((l) => indent + l).join('\n') + '\n');
    if (s.output === 'none') return;
    const of = s.outputFence.char.repeat(s.outputFence.length);
    text(`\n${indent}${of}text output\n`);
    parts.push({ indent, old: s.output === 'todo' ? 'TODO' : 'an old output', token: `${id}-out` });
    text(`${indent}${of}\n`);
  };

  if (shape.frontMatter) text('---\nleaves: [Namespace demo]\n---\n');
  shape.pieces.forEach((p, i) => {
    if (i > 0) text('\n');
    switch (p.kind) {
      case 'paragraph':
        text(`${p.s}\nsecond line of it, with ${p.s}\n`);
        break;
      case 'heading':
        text(p.setext ? `${p.s}\n${p.level === 1 ? '===' : '---'}\n` : `${'#'.repeat(p.level)} ${p.s}\n`);
        break;
      case 'step':
        step(p.step, '');
        break;
      case 'list':
        p.items.forEach((item, k) => {
          const marker = p.ordered ? `${k + 1}.` : p.marker;
          const indent = ' '.repeat(marker.length + 1);
          text(`${k > 0 ? '\n' : ''}${marker} ${item.s}\n`);
          if (item.nested) text(`\n${indent}- nested ${item.s}\n`);
          if (item.step) {
            text('\n');
            step(item.step, indent);
          }
        });
        break;
      case 'quote':
        text(`> ${p.s}\n>\n> more of the quote\n`);
        if (p.fence) text(`>\n> \`\`\`bash\n> touch ${decoy()}\n> \`\`\`\n`);
        break;
      case 'docfence': {
        const f = p.fence.char.repeat(p.fence.length + 1);
        text(`${f}${p.lang}\n${p.fence.char.repeat(3)}bash run id=${decoy()}\ntouch decoy\n${p.fence.char.repeat(3)}\n${f}\n`);
        break;
      }
      case 'html':
        text(p.comment ? `<!-- a note:\n\`\`\`bash run id=${decoy()}\n-->\n` : `<div class="note">\n\`\`\`bash run id=${decoy()}\ntouch decoy\n\`\`\`\n</div>\n`);
        break;
      case 'table':
        text('| Left | Right |\n|:-----|------:|\n| `a|b` | 42 |\n| ünï | x |\n');
        break;
      case 'indented':
        text(`Code shown, never run:\n\n    \`\`\`bash run id=${decoy()}\n    touch decoy\n    \`\`\`\n`);
        break;
    }
  });
  return finish(parts, steps, shape);
}

// ---------------------------------------------------------------- AsciiDoc

const adocStep = fc.record({ dashes: fc.integer({ min: 4, max: 6 }), title: fc.boolean(), output: fc.constantFrom('none', 'todo', 'stale'), tricky: fc.boolean() });
type AdocStep = typeof adocStep extends fc.Arbitrary<infer T> ? T : never;
const adocPiece = fc.oneof(
  { arbitrary: sentence.map((s) => ({ kind: 'paragraph' as const, s })), weight: 3 },
  { arbitrary: sentence.map((s) => ({ kind: 'section' as const, s })), weight: 2 },
  { arbitrary: adocStep.map((step) => ({ kind: 'step' as const, step })), weight: 4 },
  { arbitrary: adocStep.map((step) => ({ kind: 'example' as const, step })), weight: 1 },
  { arbitrary: adocStep.map((step) => ({ kind: 'ifdef-on' as const, step })), weight: 1 },
  { arbitrary: fc.constantFrom('literal', 'comment', 'table', 'ifdef-off', 'ifndef-on', 'docs').map((kind) => ({ kind })), weight: 3 },
);
export const asciidocShape = fc.record({
  pieces: fc.array(adocPiece, { minLength: 1, maxLength: 10 }),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  frontMatter: fc.constant(false),
});
export type AsciidocShape = typeof asciidocShape extends fc.Arbitrary<infer T> ? T : never;

export function buildAsciidoc(shape: AsciidocShape, prefix: string): Built {
  const parts: Part[] = [];
  const steps: string[] = [];
  let n = 0;
  let decoys = 0;
  const text = (s: string) => parts.push(s);
  const decoyListing = () => `[source,bash,runbook="run id=${prefix}-decoy${decoys++}"]\n----\ntouch decoy\n----\n`;

  const step = (s: AdocStep) => {
    const id = `${prefix}-s${n++}`;
    steps.push(id);
    const d = '-'.repeat(s.dashes);
    const body = [`echo ${id}-out`];
    if (s.tricky) body.push("cat <<'EOF' >/dev/null", '-'.repeat(s.dashes + 1), '---', '....', '|===', 'EOF');
    text(`${s.title ? '.A step\n' : ''}[source,bash,runbook="run id=${id}"]\n${d}\n${body.join('\n')}\n${d}\n`);
    if (s.output === 'none') return;
    text(`\n[source,text,runbook="output"]\n${d}\n`);
    parts.push({ indent: '', old: s.output === 'todo' ? 'TODO' : 'an old output', token: `${id}-out` });
    text(`${d}\n`);
  };

  text('= A random book\n:on:\n:toc:\n');
  for (const p of shape.pieces) {
    text('\n');
    switch (p.kind) {
      case 'paragraph':
        text(`${p.s}\nand ${p.s}\n`);
        break;
      case 'section':
        text(`== ${p.s}\n`);
        break;
      case 'step':
        step(p.step);
        break;
      case 'example':
        text('====\nAn example holds a step.\n\n');
        step(p.step);
        text('====\n');
        break;
      case 'ifdef-on':
        text('ifdef::on[]\n');
        step(p.step);
        text('endif::on[]\n');
        break;
      case 'literal':
        text(`....\n${decoyListing()}....\n`);
        break;
      case 'comment':
        text(`////\n${decoyListing()}////\n`);
        break;
      case 'table':
        text(`|===\n|cell\n----\n${decoyListing()}|===\n`.replace(/\[source,bash,runbook="[^"]*"\]\n/, '[source,bash]\n'));
        break;
      case 'ifdef-off':
        text(`ifdef::off[]\n${decoyListing()}endif::[]\n`);
        break;
      case 'ifndef-on':
        text(`ifndef::on[]\n${decoyListing()}endif::[]\n`);
        break;
      case 'docs':
        text('[source,bash]\n----\necho documentation\n----\n');
        break;
    }
  }
  return finish(parts, steps, shape);
}

// ---------------------------------------------------------------- both

function finish(parts: Part[], steps: string[], shape: { crlf: boolean; finalNewline: boolean; bom: boolean }): Built {
  const eol = shape.crlf ? '\r\n' : '\n';
  const out = parts.map((p) => (typeof p === 'string' ? p.replace(/\n/g, eol) : p));
  const last = out.length - 1;
  if (!shape.finalNewline && typeof out[last] === 'string') out[last] = (out[last] as string).replace(/\r?\n$/, '');
  if (shape.bom) out.unshift('\uFEFF');
  return { parts: out, steps };
}

/** The file as written, and as write-back must leave it (each output body replaced by its token). */
export function render(built: Built, eol: string): { before: string; after: string } {
  let before = '';
  let after = '';
  for (const p of built.parts) {
    if (typeof p === 'string') {
      before += p;
      after += p;
    } else {
      before += p.indent + p.old + eol;
      after += p.indent + p.token + eol;
    }
  }
  return { before, after };
}
