// The malformed-input corpus (test/fixtures/malformed/): every file is refused by the real
// command with exit 2 and file:line, with no stack trace and nothing run. Each step of the corpus
// would leave a `ran-*` file behind, so "nothing run" is checked on disk.
import t from 'tap';
import { copyFileSync, openSync, closeSync, ftruncateSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';

const CORPUS = new URL('./fixtures/malformed/', import.meta.url).pathname;

/** file → [line the error names, what it says] */
const EXPECTED: Record<string, [number, RegExp]> = {
  'unclosed-run-fence.md': [3, /this run block is never closed: it would run to the end of the file[\s\S]*End it with a line of ```/],
  'unclosed-output-fence.md': [7, /this output block is never closed/],
  'unclosed-fence-in-list.md': [5, /this run block is never closed: its list item ends at line 7[\s\S]*indented like the opening fence/],
  'unclosed-directive-comment.md': [3, /this <!-- runbook: comment is never closed[\s\S]*-->/],
  'unclosed-html-comment.md': [3, /this HTML comment is never closed[\s\S]*End it with -->/],
  'unclosed-documentation-fence.md': [3, /this fence is never closed: it would run to the end of the file \(line 8\) and hide everything after it/],
  'inline-directive.md': [3, /directive inside a paragraph or heading/],
  'directive-bad-id.md': [7, /bad id=a\/b/],
  'directive-empty-id.md': [7, /id= is empty/],
  'no-steps.md': [1, /no steps found[\s\S]*--allow-empty/],
  'utf16-bom.md': [1, /UTF-16/],
  'utf16-no-bom.md': [1, /UTF-16/],
  'binary.md': [3, /NUL byte: it is binary/],
  'latin1.md': [1, /not valid UTF-8/],
  'binary-front-matter.md': [4, /front matter contains a control character/],
  'deep-list.md': [7, /nested more than 100 deep/],
  'deep-quote.md': [7, /nested more than 100 deep/],
  'adoc-unclosed-listing.adoc': [3, /never closed/],
  'adoc-unterminated-ifdef.adoc': [3, /this conditional is never ended[\s\S]*endif::never-set\[\]/],
  'adoc-unmatched-endif.adoc': [8, /endif::\[\] has no ifdef, ifndef or ifeval before it/],
  'adoc-mismatched-endif.adoc': [9, /mismatched preprocessor directive endif::b\[\]/],
  'adoc-malformed-ifeval.adoc': [3, /cannot evaluate ifeval::\[this is no expression\]/],
  'adoc-step-in-table.adoc': [10, /a runbook block inside the table opened at line 8/],
  'adoc-unclosed-table.adoc': [8, /the table opened with "\|===" at line 8 is never closed/],
  'adoc-output-with-conditional.adoc': [8, /an output block with preprocessor conditionals/],
  'adoc-utf16.adoc': [1, /UTF-16/],
  'too-large.md': [1, /more than the 50 MiB a runbook file may have/],
};

/** Inputs too big for the repository, made here. */
function generated(dir: string): void {
  const fd = openSync(join(dir, 'too-large.md'), 'w');
  writeSync(fd, '```bash run id=a\ntouch ran-a\n```\n');
  ftruncateSync(fd, 51 * 1024 * 1024); // sparse: instant, and the reader must not even read it
  closeSync(fd);
}

t.test('every malformed file: exit 2, file:line, no stack trace, nothing run', async (t) => {
  const inCorpus = readdirSync(CORPUS).sort();
  t.same(inCorpus.filter((f) => !(f in EXPECTED)), [], 'every corpus file has an expectation');
  const names = Object.keys(EXPECTED);
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const dir = tempDir(t);
      if (inCorpus.includes(name)) copyFileSync(join(CORPUS, name), join(dir, name));
      else generated(dir);
      const result = await runCli(['run', name], { cwd: dir, timeoutMs: 20_000 });
      const [line, message] = EXPECTED[name];
      t.equal(result.code, 2, `${name}: exit 2\n${result.out}`);
      t.match(result.out, new RegExp(`(^|\\n)(runbook: )?${name.replace(/\./g, '\\.')}:${line}: `), `${name}: names ${name}:${line}`);
      t.match(result.out, message, `${name}: says what is wrong`);
      t.notMatch(result.out, /internal error|\n\s+at .+:\d+:\d+/, `${name}: no stack trace`);
      t.same(readdirSync(dir).filter((f) => f.startsWith('ran-') || f === 'ran'), [], `${name}: nothing ran`);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
});
