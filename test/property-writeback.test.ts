// Property: for random valid runbooks (prose, headings, lists, quotes, long and tilde fences,
// indented fence lines in heredocs, HTML blocks, tables, indented code, front matter, BOM, CRLF,
// no final newline, unicode, tabs; AsciiDoc with example, literal and comment blocks, tables and
// conditionals), a real run with write-back runs exactly the marked steps and changes no byte
// outside output bodies. Chapters are run 50 to a directory (one session each) to keep it fast.
// Replay a failure with RUNBOOK_PROPERTY_SEED=<seed printed below>.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbook } from '../engine/read/index.ts';
import { makePlan } from '../engine/plan.ts';
import { executePlan } from '../engine/execute/runner.ts';
import { writeBack } from '../engine/write/writeback.ts';
import type { Reporter } from '../engine/progress/reporter.ts';
import { asciidocShape, buildAsciidoc, buildMarkdown, markdownShape, render, type Built } from './support/random-runbooks.ts';
import { commonmarkCodeBlocks } from './support/commonmark-outline.ts';
import { tempDir } from './support/tmp.ts';

const SEED = Number(process.env.RUNBOOK_PROPERTY_SEED ?? 20261201);
const MARKDOWN_RUNBOOKS = 500;
const ASCIIDOC_RUNBOOKS = 200;
const PER_DIRECTORY = 50;

const quiet: Reporter = { runStart() {}, stepStart() {}, stepStatus() {}, stepEnd() {}, runEnd() {}, note() {} };

t.comment(`property seed ${SEED} (replay: RUNBOOK_PROPERTY_SEED=${SEED} npx tap test/property-writeback.test.ts)`);

async function check(t: Test, format: 'md' | 'adoc', count: number, seedOffset: number) {
  const shapes = format === 'md' ? fc.sample(markdownShape, { numRuns: count, seed: SEED + seedOffset }) : fc.sample(asciidocShape, { numRuns: count, seed: SEED + seedOffset });
  for (let batch = 0; batch * PER_DIRECTORY < shapes.length; batch++) {
    const dir = tempDir(t);
    const files: { name: string; built: Built; before: string; after: string; eol: string }[] = [];
    shapes.slice(batch * PER_DIRECTORY, (batch + 1) * PER_DIRECTORY).forEach((shape, i) => {
      const name = `${String(i).padStart(3, '0')}.${format}`;
      const built = format === 'md' ? buildMarkdown(shape as never, `b${batch}f${i}`) : buildAsciidoc(shape as never, `b${batch}f${i}`);
      const eol = shape.crlf ? '\r\n' : '\n';
      const { before, after } = render(built, eol);
      writeFileSync(join(dir, name), before);
      files.push({ name, built, before, after, eol });
    });
    const where = `seed ${SEED + seedOffset}, ${format} batch ${batch}`;
    if (format === 'md') {
      // The reference parser agrees on which fences are steps (so the generator is right too).
      for (const f of files) {
        const steps = commonmarkCodeBlocks(f.before.replace(/^\uFEFF/, '')).filter((c) => c.fenced && !c.quoted && /^bash run /.test(c.info));
        t.same(steps.map((c) => /id=(\S+)/.exec(c.info)![1]), f.built.steps, `${where}: ${f.name}: commonmark.js sees the same steps`);
      }
    }
    const runbook = loadRunbook(dir);
    const expected = files.flatMap((f) => f.built.steps);
    t.same(runbook.steps.map((s) => s.id), expected, `${where}: the reader finds exactly the marked steps`);
    const plan = makePlan(runbook, {});
    const result = await executePlan(runbook, plan, { workdir: dir, sets: {}, keepGoing: false, reporter: quiet, signal: new AbortController().signal });
    t.same(
      result.steps.filter((r) => r.phase === 'main').map((r) => [r.step.id, r.status, r.output.trim()]),
      expected.map((id) => [id, 'passed', `${id}-out`]),
      `${where}: exactly the marked steps ran, each printing its own line`,
    );
    const outcome = writeBack(runbook, result.steps, { updateExpected: false });
    t.same(outcome.refused, [], `${where}: nothing refused`);
    for (const f of files) {
      const now = readFileSync(join(dir, f.name), 'utf8');
      if (now !== f.after) t.equal(now, f.after, `${where}: ${f.name}: only output bodies changed`);
    }
  }
}

t.test(`${MARKDOWN_RUNBOOKS} random Markdown runbooks`, async (t) => check(t, 'md', MARKDOWN_RUNBOOKS, 0));
t.test(`${ASCIIDOC_RUNBOOKS} random AsciiDoc runbooks`, async (t) => check(t, 'adoc', ASCIIDOC_RUNBOOKS, 1));
