// Turns the raw blocks a reader found (headings, fences, directives) into steps, attaching each
// `expect-output`/`output` block to the nearest preceding step. Shared by the Markdown and
// AsciiDoc readers so both formats mean exactly the same thing.
import type { CommandStep, DirectiveStep, OutputBlock, Position, Span, Step } from '../model.ts';
import { DEFAULT_VERIFY_INTERVAL_MS, DEFAULT_VERIFY_TIMEOUT_MS } from '../model.ts';
import { RunbookError } from '../errors.ts';
import { parseAnnotation } from './annotations.ts';
import { parseDirective } from './directive.ts';
import { parseDuration } from './duration.ts';

export type RawBlock =
  | { type: 'heading'; depth: number; text: string; line: number }
  | {
      type: 'fence';
      lang: string;
      info: string; // annotation tokens (without the language)
      position: Position;
      code: string; // body with \n line endings, indentation removed
      /** The file line of the body's first line, where body lines are the file's consecutive lines. */
      codeLine?: number;
      body: Span; // exact body region in the file
      indent: string; // prefix of every body line in the file (list nesting)
      eol: '\n' | '\r\n';
      quoted?: boolean; // inside a block quote: fine as documentation, refused as a step
      /** Markdown: the fence has no closing line (it ran to the end of the file or of its container). */
      unclosed?: { fence: string; endLine: number; container?: string };
    }
  | { type: 'directive'; text: string; position: Position; span: Span };

export interface BuildResult {
  steps: Step[];
  errors: RunbookError[];
}

/** Slug for derived ids: lower case, words joined by "-". */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'step'
  );
}

export function buildSteps(relPath: string, blocks: RawBlock[]): BuildResult {
  const steps: Step[] = [];
  const errors: RunbookError[] = [];
  const headings: { depth: number; text: string }[] = [];
  const fileStem = slugify(relPath.replace(/\.(md|markdown|adoc|asciidoc)$/i, '').replace(/[/\\]/g, '-'));
  let last: Step | undefined;

  for (const block of blocks) {
    if (block.type === 'heading') {
      while (headings.length && headings[headings.length - 1].depth >= block.depth) headings.pop();
      headings.push({ depth: block.depth, text: block.text });
      continue;
    }
    try {
      if (block.type === 'directive') {
        const d = parseDirective(block.text, block.position);
        const step: DirectiveStep = {
          type: 'directive',
          kind: 'run',
          verb: d.verb,
          args: d.args,
          attrs: d.attrs,
          flags: d.flags,
          span: block.span,
          ...common(d.attrs, d.flags, block.position, headings),
        };
        steps.push(step);
        last = step;
        continue;
      }
      const a = parseAnnotation(block.info, block.position, block.lang);
      if (block.unclosed && (a.kind !== null || !block.unclosed.container)) throw unclosedFence(block.unclosed, a.kind, block.position);
      if (a.kind === null) continue; // documentation fence
      if (block.quoted) {
        throw new RunbookError(
          `a ${a.kind} block inside a block quote`,
          block.position,
          undefined,
          'Steps and their output blocks cannot live in a quote (write-back could not keep its "> " prefixes); move the block out of the quote.',
        );
      }
      if (a.kind === 'expect-output' || a.kind === 'output') {
        if (!last) {
          throw new RunbookError(
            `${a.kind} block has no step before it`,
            block.position,
            undefined,
            'Put it right after the run/verify block whose output it describes (in the same file).',
          );
        }
        const slot = a.kind === 'expect-output' ? 'expect' : 'output';
        if (last[slot]) {
          throw new RunbookError(
            `step ${last.id} (line ${last.position.line}) already has an ${a.kind} block at line ${last[slot]!.position.line}`,
            block.position,
          );
        }
        const text = block.code;
        const out: OutputBlock = {
          kind: a.kind,
          position: block.position,
          lang: block.lang,
          match: a.kind === 'expect-output' ? ((a.attrs.match as OutputBlock['match']) ?? 'like') : 'like',
          text,
          todo: text.trim() === 'TODO',
          body: block.body,
          eol: block.eol,
          indent: block.indent,
        };
        last[slot] = out;
        continue;
      }
      const step: CommandStep = {
        type: 'command',
        kind: a.kind,
        lang: block.lang,
        code: block.code,
        codeLine: block.codeLine,
        ready: a.attrs.ready,
        port: a.attrs.port ? Number(a.attrs.port) : undefined,
        reason: a.attrs.reason,
        ...common(a.attrs, a.flags, block.position, headings),
      };
      if (step.kind === 'verify') {
        step.timeoutMs ??= DEFAULT_VERIFY_TIMEOUT_MS;
        step.intervalMs ??= DEFAULT_VERIFY_INTERVAL_MS;
      }
      if (!['bash', 'sh', 'shell', 'console', 'zsh', ''].includes(step.lang) && step.kind !== 'skip') {
        throw new RunbookError(
          `a ${step.kind} step in "${step.lang}" cannot run: steps run in bash`,
          block.position,
          undefined,
          'Use ```bash for steps, or mark the block skip to only show it.',
        );
      }
      steps.push(step);
      last = step;
    } catch (e) {
      if (e instanceof RunbookError) errors.push(e);
      else throw e;
    }
  }
  assignDerivedIds(steps, fileStem);
  return { steps, errors };
}

/**
 * CommonMark lets a fence without a closing line run to the end of the file (or of the list item
 * or quote it is in). For a step that would run prose as commands, so it is refused; so is a
 * documentation fence that swallows the rest of the file (see the README's format details).
 */
function unclosedFence(u: { fence: string; endLine: number; container?: string }, kind: string | null, position: Position): RunbookError {
  const what = kind ? `this ${kind} block` : 'this fence';
  const closing = `a line of ${u.fence} (${u.fence.length} or more ${u.fence[0] === '`' ? 'backticks' : 'tildes'} and nothing else)`;
  if (u.container) {
    return new RunbookError(
      `${what} is never closed: its ${u.container} ends at line ${u.endLine}, and the block with it`,
      position,
      undefined,
      `Close it with ${closing} indented like the opening fence, before line ${u.endLine}.`,
    );
  }
  return new RunbookError(
    `${what} is never closed: it would run to the end of the file (line ${u.endLine})${kind ? '' : ' and hide everything after it'}`,
    position,
    undefined,
    `End it with ${closing}, indented at most 3 spaces.`,
  );
}

function common(attrs: Record<string, string>, flags: string[], position: Position, headings: { text: string }[]) {
  return {
    id: attrs.id ?? '',
    explicitId: 'id' in attrs,
    position,
    section: headings.map((h) => h.text),
    timeoutMs: attrs.timeout !== undefined ? parseDuration(attrs.timeout) : undefined,
    intervalMs: attrs.interval !== undefined ? parseDuration(attrs.interval) : undefined,
    exit: attrs.exit === undefined ? 0 : attrs.exit === 'any' ? ('any' as const) : Number(attrs.exit),
    targets: attrs.target ? attrs.target.split(',').map((t) => t.trim()).filter(Boolean) : [],
    tags: attrs.tags ? attrs.tags.split(',').map((t) => t.trim()).filter(Boolean) : [],
    cwd: attrs.cwd,
    hidden: flags.includes('hidden'),
    streamStdoutOnly: attrs.stream === 'stdout',
  };
}

/** Steps without id= get `<file>/<heading>` (plus -2, -3 … within the same section). */
function assignDerivedIds(steps: Step[], fileStem: string): void {
  const taken = new Set(steps.filter((s) => s.explicitId).map((s) => s.id));
  const perSection = new Map<string, number>();
  for (const step of steps) {
    if (step.explicitId) continue;
    const heading = step.section.length ? slugify(step.section[step.section.length - 1]) : 'intro';
    const base = `${fileStem}/${heading}`;
    let n = (perSection.get(base) ?? 0) + 1;
    let id = n === 1 ? base : `${base}-${n}`;
    while (taken.has(id)) id = `${base}-${++n}`;
    perSection.set(base, n);
    taken.add(id);
    step.id = id;
  }
}
