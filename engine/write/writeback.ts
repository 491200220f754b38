// `--write`: splices captured outputs into `output` blocks (and, with --update-expected, into
// `expect-output` blocks). Only block bodies change; every other byte of the file stays as it
// was. Writes are atomic, and a file that changed on disk during the run is left alone — the
// check and the rename happen under a lock, so of two runs writing the same file only the first
// succeeds and the second says the file changed. A file that cannot be written (read-only,
// hard-linked, a full disk) is reported, not thrown.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkReplaceable, resolveLink, writeFileAtomic, WriteError } from './atomic-write.ts';
import { withFileLock } from './file-lock.ts';
import { scanMarkdown } from '../read/markdown.ts';
import { scanAsciidoc } from '../read/asciidoc.ts';
import type { RawBlock } from '../read/steps.ts';
import { createTwoFilesPatch } from 'diff';
import type { OutputBlock, Runbook, SourceFile } from '../model.ts';
import type { StepResult } from '../execute/results.ts';
import { like } from '../match/like.ts';
import { normalizeLines } from '../match/normalize.ts';

export interface WriteOptions {
  updateExpected: boolean;
  /** Work out every change and refusal, write nothing (write --from-report checks all files first; report drift). */
  dryRun?: boolean;
}

export interface BlockChange {
  file: string; // path relative to the runbook root
  line: number; // line of the block's fence
  stepId: string;
  kind: OutputBlock['kind'];
  diff: string; // unified diff old → new
}

export interface WriteOutcome {
  changes: BlockChange[];
  written: string[]; // files written
  refused: { file: string; reason: string }[];
}

interface Edit {
  block: OutputBlock;
  text: string;
  stepId: string;
}

export function writeBack(runbook: Runbook, results: StepResult[], options: WriteOptions): WriteOutcome {
  const outcome: WriteOutcome = { changes: [], written: [], refused: [] };
  const editsByFile = new Map<SourceFile, Edit[]>();
  const fileOf = new Map(runbook.files.flatMap((f) => f.steps.map((s) => [s, f] as const)));

  for (const r of results) {
    const file = fileOf.get(r.step);
    if (!file) continue;
    const fresh = normalizeLines(r.output).join('\n');
    const add = (block: OutputBlock) => {
      if (!editsByFile.has(file)) editsByFile.set(file, []);
      editsByFile.get(file)!.push({ block, text: fresh, stepId: r.step.id });
    };
    // `output` blocks show what a passing step printed; outputs of failed steps never land in the docs.
    const output = r.step.output;
    if (output && r.status === 'passed' && (output.todo || !like(output.text, fresh).ok)) add(output);
    // --update-expected: an expectation is rewritten when it is a placeholder of a passing step,
    // or when it is the reason the step failed (the command itself succeeded). Expectations
    // that match keep their wording (`...`, alike values) as the author wrote it.
    const expect = r.step.expect;
    if (options.updateExpected && expect) {
      const placeholder = expect.todo && r.status === 'passed';
      const outputWasTheProblem = r.status !== 'passed' && r.diff !== undefined && !expect.todo;
      if (placeholder || outputWasTheProblem) add(expect);
    }
  }

  for (const [file, edits] of editsByFile) {
    // The edits apply to the text the run read; a write goes ahead only while the file still is that text.
    const applied = applyEdits(file, edits);
    const unsafe = spliceProblem(file, applied.text, edits);
    if (unsafe) {
      outcome.refused.push({ file: file.relPath, reason: `the output of ${unsafe.stepId} contains a line that would close its fence at line ${unsafe.block.position.line}; use a longer fence` });
      continue;
    }
    const unchanged = (): string | undefined => {
      let current: string;
      try {
        current = readFileSync(file.path, 'utf8');
      } catch (e) {
        return `cannot read it any more: ${(e as Error).message}`;
      }
      if (current !== file.text) return 'it changed on disk during the run; not overwriting your edits (run again to capture outputs)';
    };
    const refuse = (reason: string) => outcome.refused.push({ file: file.relPath, reason });
    const accept = (changes: BlockChange[]) => {
      outcome.changes.push(...changes);
      outcome.written.push(file.relPath);
    };
    try {
      if (options.dryRun) {
        // Everything a write would refuse, without writing (nor locking, nor making .runbook/).
        const problem = unchanged();
        if (problem) refuse(problem);
        else {
          checkReplaceable(file.path);
          accept(applied.changes);
        }
        continue;
      }
      // The engine's own files (lock, temp) go in .runbook/ beside the real file, never next to it.
      const own = join(dirname(resolveLink(file.path)), '.runbook');
      const changes = withFileLock(file.path, join(own, 'locks'), () => {
        const problem = unchanged();
        if (problem) return problem;
        writeFileAtomic(file.path, applied.text, { stagingDir: join(own, 'tmp'), durable: true });
        return applied.changes;
      });
      if (typeof changes === 'string') refuse(changes);
      else accept(changes);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      refuse(e.hint ? `${e.message}. ${e.hint}` : e.message);
    }
  }
  outcome.changes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return outcome;
}

/** The file's text with every edit spliced in (last first, so offsets stay valid), and what changed. */
function applyEdits(file: SourceFile, edits: Edit[]): { text: string; changes: BlockChange[] } {
  const changes: BlockChange[] = [];
  const sorted = [...edits].sort((a, b) => b.block.body.start - a.block.body.start);
  let text = file.text;
  for (const edit of sorted) {
    text = text.slice(0, edit.block.body.start) + formatBody(edit.text, edit.block) + text.slice(edit.block.body.end);
    changes.push({
      file: file.relPath,
      line: edit.block.position.line,
      stepId: edit.stepId,
      kind: edit.block.kind,
      diff: createTwoFilesPatch(`${file.relPath}:${edit.block.position.line} (before)`, '(captured)', withNewline(edit.block.text), withNewline(edit.text), undefined, undefined, { context: 2 }),
    });
  }
  return { text, changes };
}

function withNewline(text: string): string {
  return text.endsWith('\n') || text === '' ? text : text + '\n';
}

/** The new block body in the file's own line endings and indentation, ending with a line break. */
export function formatBody(text: string, block: OutputBlock): string {
  if (text === '') return '';
  return text
    .split('\n')
    .map((line) => (line ? block.indent + line : line) + block.eol)
    .join('');
}

/**
 * Reads the spliced file again with the reader that read it: every block must still be there with
 * the same language and annotation, each rewritten body must read back as exactly the new text
 * and every other body as before. Returns the edit to blame when that does not hold.
 */
function spliceProblem(file: SourceFile, text: string, edits: Edit[]): Edit | undefined {
  const before = fencesOf(file, file.text);
  let after: ReturnType<typeof fencesOf>;
  try {
    after = fencesOf(file, text);
  } catch {
    return edits[0]; // the spliced file no longer reads at all
  }
  const editAt = new Map<number, Edit>();
  for (const edit of edits) {
    const index = before.findIndex((b) => b.body.start === edit.block.body.start);
    if (index !== -1) editAt.set(index, edit);
  }
  let lastEdit: Edit | undefined = edits[0];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const edit = editAt.get(i);
    if (edit) lastEdit = edit;
    const old = before[i];
    const now = after[i];
    const expected = edit ? edit.text.replace(/\n$/, '') : old?.code;
    if (!old || !now || old.lang !== now.lang || old.info !== now.info || now.code !== expected) return lastEdit;
  }
  return undefined;
}

function fencesOf(file: SourceFile, text: string): Extract<RawBlock, { type: 'fence' }>[] {
  const scan = file.format === 'markdown' ? scanMarkdown(text, file.relPath) : scanAsciidoc(text, file.relPath);
  return scan.blocks.filter((b): b is Extract<RawBlock, { type: 'fence' }> => b.type === 'fence');
}
