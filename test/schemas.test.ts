// The JSON Schemas in schemas/: the settings schema accepts every settings file the project has
// and rejects each kind of bad settings the reader rejects, at the same file:line; the reader
// applies it (through the generated validator, which must match the schema); the JSON report
// of real runs validates against the report schema and carries its schemaVersion.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument, LineCounter } from 'yaml';
import { loadRunbook } from '../engine/read/index.ts';
import { RunbookError, RunbookErrors } from '../engine/errors.ts';
import { scanMarkdown } from '../engine/read/markdown.ts';
import { SCHEMA_FORMATS } from '../engine/schema/formats.ts';
import { locateSchemaError, settingsSchemaProblem, type SchemaError } from '../engine/schema/settings-schema.ts';
import { REPORT_SCHEMA_VERSION } from '../engine/report/json.ts';
import { PROJECT, runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
// @ts-expect-error: a plain ES module script without types
import { generateSettingsValidator } from '../scripts/generate-validators.mjs';

const readJson = (file: string) => JSON.parse(readFileSync(join(PROJECT, file), 'utf8'));

function ajv() {
  const a = new Ajv({ allowUnionTypes: true, verbose: true, allErrors: true, strict: true });
  for (const [name, check] of Object.entries(SCHEMA_FORMATS)) a.addFormat(name, check);
  return a;
}
const settingsSchema = ajv().compile(readJson('schemas/settings.schema.json'));
const reportSchema = ajv().compile(readJson('schemas/report.schema.json'));

/** The schema's verdict on settings YAML, straight from ajv on the JSON file: the line it points at, or undefined. */
function schemaLine(yamlText: string, firstLine = 1): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter });
  if (settingsSchema(doc.toJS())) return undefined;
  return locateSchemaError(doc, lineCounter, firstLine, settingsSchema.errors as SchemaError[]).line;
}

/** Files the reader must refuse (test/fixtures/malformed): not settings anyone may write. */
const MALFORMED = join(PROJECT, 'test', 'fixtures', 'malformed');

/** Every settings text of the project: runbook.yaml files and front matter of Markdown files. */
function settingsFiles(dir: string, into: { file: string; text: string; firstLine: number }[] = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === MALFORMED) continue;
    if (statSync(path).isDirectory()) settingsFiles(path, into);
    else if (name === 'runbook.yaml') into.push({ file: relative(PROJECT, path), text: readFileSync(path, 'utf8'), firstLine: 1 });
    else if (name.endsWith('.md')) {
      const fm = scanMarkdown(readFileSync(path, 'utf8'), path).frontMatter;
      if (fm) into.push({ file: relative(PROJECT, path), text: fm.text, firstLine: fm.firstLine });
    }
  }
  return into;
}

t.test('the generated validator the reader uses is up to date with schemas/settings.schema.json', async (t) => {
  t.equal(readFileSync(join(PROJECT, 'engine/schema/settings-validator.generated.ts'), 'utf8'), generateSettingsValidator(), 'run node scripts/generate-validators.mjs');
});

t.test('the settings schema accepts runbook/runbook.yaml, the reference and every fixture', async (t) => {
  const files = [...settingsFiles(join(PROJECT, 'runbook')), ...settingsFiles(join(PROJECT, 'docs')), ...settingsFiles(join(PROJECT, 'test/fixtures'))];
  t.ok(files.some((f) => f.file === 'runbook/runbook.yaml'));
  t.ok(files.length >= 8, `${files.length} settings texts`);
  for (const f of files) {
    t.equal(schemaLine(f.text, f.firstLine), undefined, `${f.file} is valid`);
    const lineCounter = new LineCounter();
    t.equal(settingsSchemaProblem(parseDocument(f.text, { lineCounter }), lineCounter), undefined, `${f.file}: the generated validator agrees`);
  }
});

// Each kind of bad settings the reader rejects (engine/read/settings.ts and, for a single file's
// chapter keys, engine/read/chapter-meta.ts), written as the front matter of a single file. The
// reader's error and the schema's must name the same line. YAML syntax errors are the YAML
// parser's, not the schema's, and are left out.
const BAD: [string, string][] = [
  ['a list instead of a mapping', '- title\n- vars'],
  ['an unknown setting', 'title: Demo\ntitel: Demo'],
  ['title not a single value', 'title: [a, b]'],
  ['title empty', 'vars: {}\ntitle:'],
  ['vars not a mapping', 'vars: [A, B]'],
  ['a bad variable name', 'vars:\n  OK: 1\n  9LIVES: cat'],
  ['a variable that is not a single value', 'vars:\n  A: { b: 1 }'],
  ['a variable without a value', 'vars:\n  A: 1\n  B:'],
  ['targets not a mapping', 'targets: [kind, eks]'],
  ['targets empty', 'title: x\ntargets:'],
  ['a bad target name', 'targets:\n  kind: {}\n  -eks: {}'],
  ['a target that is not a mapping', 'targets:\n  kind: kind-demo'],
  ['an unknown key in a target', 'targets:\n  kind:\n    context: kind-demo\n    cluster: demo'],
  ['a target context that is a list', 'targets:\n  kind:\n    context: [a]'],
  ['requires not a list', 'targets:\n  kind:\n    requires: kubectl'],
  ['a requires entry that is a mapping', 'targets:\n  kind:\n    requires:\n      - kubectl\n      - { tool: kind }'],
  ['a target description that is a list', 'targets:\n  kind: { description: [a] }'],
  ['a bad duration', 'title: x\ntimeout: 10 minutes'],
  ['a duration longer than timers allow', 'timeout: 1000h'],
  ['a timeout that is a list', 'timeout: [1m]'],
  ['redact not a list', 'redact: acct-[0-9]+'],
  ['a redact regex that does not compile', "redact:\n  - ok\n  - '(unclosed'"],
  ['a redact entry that is a mapping', 'redact:\n  - { pattern: x }'],
  ['needs not a list', 'needs: { a: 1 }'],
  ['an empty needs entry', "needs:\n  - 01-cluster\n  - ''"],
  ['leaves not a list', 'leaves: { a: 1 }'],
  ['sources not a list', 'sources: https://istio.io/'],
  ['a source that is not a URL', 'sources:\n  - ftp://example.com/x'],
  ['an unknown key in a source', 'sources:\n  - url: https://istio.io/\n    version: "1.31"'],
  ['a source without url', 'sources:\n  - release: "1.31"'],
  ['a source url that is not http(s)', 'sources:\n  - url: file:///etc/passwd'],
  ['a source release that is a list', 'sources:\n  - url: https://istio.io/\n    release: [a]'],
];

t.test('the settings schema rejects each kind of bad settings the reader rejects, at the same file:line', async (t) => {
  for (const [what, yaml] of BAD) {
    const dir = tempDir(t);
    writeFiles(dir, { 'book.md': `---\n${yaml}\n---\n# A runbook\n` });
    let readerError: RunbookError | undefined;
    try {
      loadRunbook(join(dir, 'book.md'));
    } catch (e) {
      if (!(e instanceof RunbookErrors)) throw e;
      readerError = e.errors[0];
    }
    t.ok(readerError, `the reader rejects ${what}`);
    const line = schemaLine(yaml, 2);
    t.not(line, undefined, `the schema rejects ${what}`);
    t.equal(line, readerError?.position?.line, `${what}: same line (${readerError?.format().split('\n')[0]})`);
  }
});

t.test('the reader applies the schema: values its own checks do not look at are errors before anything runs', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Shots\nscreenshot:\n  viewport: 1280x800\n  threshold: 150%\n',
    'book/01-a.md': '# A\n\n```bash run\necho hi\n```\n',
    'two.md': '---\nscreenshot:\n  login:\n    user: admin\n---\n# B\n',
  });
  const cases: [string, string, RegExp][] = [
    ['book', 'book/runbook.yaml:4', /screenshot\.threshold is not a valid threshold\n  .*percentage.*\(schema: schemas\/settings\.schema\.json\)/],
    ['two.md', 'two.md:4', /unknown key "user" in screenshot\.login/],
  ];
  for (const [path, where, message] of cases) {
    const r = await runCli(['run', path], { cwd: dir });
    t.equal(r.code, 2, `${path}: exit 2, nothing run`);
    t.match(r.out, `${where}: `);
    t.match(r.out, message);
    t.notMatch(r.out, /PASS|FAIL/);
  }
});

t.test('the JSON report validates against schemas/report.schema.json and names its schemaVersion', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book.md': [
      '---',
      'title: Report',
      '---',
      '# Steps',
      '',
      '```bash run id=ok',
      'echo fine',
      '```',
      '',
      '```text output',
      'TODO',
      '```',
      '',
      '```bash run id=wrong',
      'echo actual',
      '```',
      '',
      '```text expect-output match=exact',
      'expected',
      '```',
      '',
      '```bash skip reason="not here"',
      'open http://example.com',
      '```',
      '',
      '```bash cleanup id=tidy',
      'true',
      '```',
      '',
    ].join('\n'),
  });
  const r = await runCli(['run', 'book.md', '--keep-going', '--write', '--report', 'out/run.json'], { cwd: dir });
  t.equal(r.code, 1, r.out);
  const report = JSON.parse(readFileSync(join(dir, 'out/run.json'), 'utf8'));
  t.equal(report.schemaVersion, REPORT_SCHEMA_VERSION);
  t.equal(report.schemaVersion, readJson('schemas/report.schema.json').properties.schemaVersion.const, 'the schema names the version the engine writes');
  t.ok(reportSchema(report), JSON.stringify(reportSchema.errors, null, 2));
  t.same(report.steps.map((s: { status: string }) => s.status), ['passed', 'failed', 'skipped', 'passed']);
  t.equal(report.drift.length, 1, 'the filled output block is in the drift list');

  const broken = { ...report, steps: [{ ...report.steps[0], status: 'fine' }] };
  t.notOk(reportSchema(broken), 'a step status the engine never writes is rejected');
  const { schemaVersion: _omitted, ...unversioned } = report;
  t.notOk(reportSchema(unversioned), 'a report without schemaVersion is rejected');
});

t.test('shard reports and the merged report validate too, and a report of a newer format is refused', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': 'title: Shards\n',
    'book/01-base.md': '# Base\n\n```bash run id=base\necho base\n```\n',
    'book/02-one.md': '---\nneeds: [01-base]\n---\n# One\n\n```bash run id=one\necho one\n```\n\n```text output\nTODO\n```\n',
    'book/03-two.md': '---\nneeds: [01-base]\n---\n# Two\n\n```bash run id=two\necho two\n```\n',
  });
  for (const i of [1, 2]) {
    const r = await runCli(['run', 'book', '--shard', `${i}/2`, '--report', `s${i}/shard.json`], { cwd: dir });
    t.equal(r.code, 0, r.out);
    const shard = JSON.parse(readFileSync(join(dir, `s${i}/shard.json`), 'utf8'));
    t.ok(reportSchema(shard), `shard ${i}: ${JSON.stringify(reportSchema.errors)}`);
  }
  const merge = await runCli(['report', 'merge', 's1/shard.json', 's2/shard.json', '-o', 'merged.json'], { cwd: dir });
  t.equal(merge.code, 0, merge.out);
  const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
  t.equal(merged.schemaVersion, REPORT_SCHEMA_VERSION);
  t.ok(reportSchema(merged), JSON.stringify(reportSchema.errors));

  writeFiles(dir, { 'future.json': JSON.stringify({ ...merged, schemaVersion: REPORT_SCHEMA_VERSION + 1 }) });
  const future = await runCli(['write', 'book', '--from-report', 'future.json'], { cwd: dir });
  t.equal(future.code, 2, future.out);
  t.match(future.out, /future\.json:1: not a runbook JSON report: schemaVersion 2 is newer than this engine reads \(1\)/);
});
