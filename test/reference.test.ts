// The reference (docs/reference/, rendered into docs/README.adoc) is a runbook whose examples are
// real steps. Here: running it into a temporary copy with --write changes nothing (its captured
// outputs cannot drift from what the engine does), the rendered file is up to date and shows
// captured outputs only, `--help` names it, and it names everything the engine accepts — walked
// from the engine's own registries, so a new step attribute, directive, matcher, setting, command
// or option fails here until the reference describes it.
import t from 'tap';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { PROJECT, runCli } from './support/cli.ts';
import { tempDir } from './support/tmp.ts';
import { loadRunbook } from '../engine/read/index.ts';
import { scanMarkdown } from '../engine/read/markdown.ts';
import { ATTRS, BLOCK_KINDS, MATCHERS, STEP_FLAGS } from '../engine/read/annotations.ts';
import { DIRECTIVE_SPECS, STEP_ATTRS } from '../engine/directives/specs.ts';
import { DIRECTIVES } from '../engine/directives/index.ts';
import { SETTINGS_KEYS, TARGET_KEYS } from '../engine/read/settings.ts';
import { CHAPTER_KEYS, SOURCE_KEYS } from '../engine/read/chapter-meta.ts';
import { LOGIN_KEYS, SCREENSHOT_KEYS } from '../engine/browser/settings.ts';
import { EXIT } from '../engine/errors.ts';
import { program } from '../engine/cli.ts';

// Running the reference starts some forty `runbook` processes; on a loaded machine that takes
// minutes, so this file gets more than the suite's default per-file time. It stops by itself.
t.setTimeout(420_000);

const REFERENCE = join(PROJECT, 'docs/reference');
const RENDERED = join(PROJECT, 'docs/README.adoc');
const chapter = (name: string) => readFileSync(join(REFERENCE, name), 'utf8');
const allText = () => readdirSync(REFERENCE).filter((n) => n.endsWith('.md')).map(chapter).join('\n');

/** A chapter's sections: each heading with the text under it, down to the next heading of its level or above. */
function sections(name: string): { title: string; text: string }[] {
  const text = chapter(name);
  const lines = text.split('\n');
  const headings = scanMarkdown(text, name).blocks.flatMap((b) => (b.type === 'heading' ? [b] : []));
  return headings.map((h, i) => {
    const next = headings.slice(i + 1).find((o) => o.depth <= h.depth);
    return { title: h.text, text: lines.slice(h.line - 1, next ? next.line - 1 : lines.length).join('\n') };
  });
}
function section(name: string, title: string): string {
  const found = sections(name).find((s) => s.title === title);
  if (!found) throw new Error(`${name} has no section "${title}"`);
  return found.text;
}
const code = (word: string) => `\`${word}`; // a name as the reference writes it: in backticks

t.test('running the reference into a temporary copy with --write changes none of its outputs', async (t) => {
  const dir = tempDir(t, 'runbook-reference-');
  cpSync(REFERENCE, join(dir, 'docs/reference'), { recursive: true, filter: (src) => !src.includes(`${REFERENCE}/.runbook`) });
  symlinkSync(join(PROJECT, 'bin'), join(dir, 'bin')); // the examples run this checkout's engine ($RUNBOOK_ROOT/../../bin)
  const run = await runCli(['run', 'docs/reference', '--write'], { cwd: dir, timeoutMs: 400_000 });
  t.equal(run.code, 0, run.out);
  for (const name of readdirSync(REFERENCE).filter((n) => n.endsWith('.md') || n.endsWith('.yaml'))) {
    const before = chapter(name);
    const after = readFileSync(join(dir, 'docs/reference', name), 'utf8');
    t.equal(after, before, `docs/reference/${name}: no captured output would change${after === before ? '' : ` — run \`npm run docs\` and commit:\n${createTwoFilesPatch(name, `${name} (now)`, before, after)}`}`);
  }
});

t.test('the rendered reference is up to date and shows captured outputs, with their provenance', async (t) => {
  const check = await runCli(['render', 'docs/reference', '--adoc', 'docs/README.adoc', '--check']);
  t.equal(check.code, 0, check.out);
  const runbook = loadRunbook(REFERENCE);
  t.ok(runbook.steps.length > 30, `${runbook.steps.length} steps`);
  for (const step of runbook.steps) {
    for (const block of [step.output, step.expect]) {
      if (block) t.notOk(block.todo, `${block.position.file}:${block.position.line}: ${block.kind} of ${step.id} is captured, not TODO`);
    }
  }
  const text = readFileSync(RENDERED, 'utf8');
  t.notMatch(text, /Output not captured yet|No run has captured/, 'no placeholders');
  t.notMatch(text, /^\.Expected output$/m, 'every output shown was captured');
  t.match(text, /^NOTE: Outputs last captured \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by runbook \d+\.\d+\.\d+/m, 'when, and by which engine version');
  const outputs = text.match(/^\.Output$/gm) ?? [];
  t.ok(outputs.length >= 30, `${outputs.length} captured outputs`);
  t.match(text, /link:|<<|xref/, 'chapters link to each other');
});

t.test('--help and the README name the reference, which exists', async (t) => {
  const help = await runCli(['--help']);
  t.equal(help.code, 0);
  t.match(help.out, RENDERED);
  t.notMatch(help.out, /RUNBOOK-FORMAT/);
  t.ok(existsSync(RENDERED));
  t.match(readFileSync(join(PROJECT, 'README.adoc'), 'utf8'), /link:docs\/README\.adoc\[/);
});

t.test('every step kind, attribute and flag the reader accepts is in the Steps chapter', async (t) => {
  const steps = chapter('02-steps.md');
  for (const kind of BLOCK_KINDS) t.ok(steps.includes(code(`${kind}\``)), `kind ${kind}`);
  for (const attr of new Set(Object.values(ATTRS).flat())) t.ok(steps.includes(code(`${attr}=`)), `attribute ${attr}=`);
  for (const flag of STEP_FLAGS) t.ok(steps.includes(code(`${flag}\``)), `flag ${flag}`);
});

t.test('every matcher has its section with a real example that passes and one that fails', async (t) => {
  const runbook = loadRunbook(REFERENCE);
  const matcherSteps = runbook.steps.filter((s) => s.position.file.endsWith('03-matchers.md'));
  for (const name of MATCHERS) {
    const text = section('03-matchers.md', name);
    const step = matcherSteps.find((s) => text.includes(`id=${s.id}`));
    t.ok(step, `${name}: a step in its section`);
    const output = step?.output?.text ?? '';
    t.match(output, /^PASS \[1\/2\] passes/m, `${name}: the passing example ran and passed`);
    t.match(output, /^FAIL \[2\/2\] fails/m, `${name}: the failing example ran and failed`);
    t.match(output, `output does not match (${name})`, `${name}: failed on its matcher`);
  }
});

t.test('every directive, with its subjects, attributes and flags, is in the Directives chapter', async (t) => {
  const whole = chapter('05-directives.md');
  for (const attr of STEP_ATTRS) t.ok(whole.includes(code(`${attr}=`)), `step attribute ${attr}= on directives`);
  for (const [verb, spec] of Object.entries(DIRECTIVE_SPECS)) {
    const text = section('05-directives.md', verb);
    for (const subject of spec.subjects ?? []) t.ok(text.includes(code(`${verb} ${subject}`)), `${verb} ${subject}`);
    for (const attr of spec.attrs) t.ok(text.includes(code(`${attr}=`)), `${verb}: ${attr}=`);
    for (const flag of spec.flags ?? []) t.ok(text.includes(code(`${flag}\``)), `${verb}: flag ${flag}`);
  }
  // A default is stated where the attribute is (a table row or the sentence naming it).
  for (const definition of DIRECTIVES) {
    const text = section('05-directives.md', definition.verb);
    for (const [attr, { defaultValue }] of Object.entries(definition.attrs)) {
      if (defaultValue === undefined) continue;
      const said = text.split(/\n(?=\|)|\. /).filter((part) => part.includes(code(`${attr}=`)));
      const literal = /^[\w.-]+$/.test(defaultValue) ? code(defaultValue) : defaultValue;
      t.ok(said.some((part) => part.includes(literal)), `${definition.verb}: ${attr}= defaults to ${defaultValue}`);
    }
  }
});

t.test('every settings key is in Files and settings, and the settings schema has exactly those keys', async (t) => {
  const text = chapter('01-files-and-settings.md');
  const keys = [...SETTINGS_KEYS, ...CHAPTER_KEYS, ...TARGET_KEYS, ...SCREENSHOT_KEYS, ...Object.keys(LOGIN_KEYS), ...SOURCE_KEYS];
  for (const key of keys) t.ok(text.includes(code(`${key}:\``)), `${key}:`);
  const schema = JSON.parse(readFileSync(join(PROJECT, 'schemas/settings.schema.json'), 'utf8'));
  const props = (node: { properties: object }) => Object.keys(node.properties).sort();
  t.same(props(schema), [...SETTINGS_KEYS, ...CHAPTER_KEYS].sort(), 'top-level keys');
  t.same(props(schema.definitions.target), [...TARGET_KEYS].sort(), 'target keys');
  t.same(props(schema.definitions.screenshot), [...SCREENSHOT_KEYS].sort(), 'screenshot keys');
  t.same(props(schema.definitions.screenshot.properties.login), Object.keys(LOGIN_KEYS).sort(), 'screenshot login keys');
  t.same(props(schema.definitions.source.anyOf[1]), [...SOURCE_KEYS].sort(), 'source keys');
});

t.test('every command and option of the command line, and every exit code, is in the Commands chapter', async (t) => {
  // Every command with options of its own, subcommands included (`runbook report merge`).
  type Cmd = ReturnType<typeof program>;
  const walk = (command: Cmd, path: string[]): { name: string; command: Cmd }[] =>
    command.commands.filter((c) => c.name() !== 'help').flatMap((c) => {
      const name = [...path, c.name()];
      return c.commands.length ? walk(c, name) : [{ name: name.join(' '), command: c }];
    });
  const commands = walk(program(), ['runbook']);
  t.ok(commands.length >= 6);
  for (const { name, command } of commands) {
    const text = section('06-commands.md', name);
    for (const option of command.options) t.ok(text.includes(code(option.long!)), `${name} ${option.long}`);
  }
  const exits = section('06-commands.md', 'Exit codes');
  for (const [name, value] of Object.entries(EXIT)) t.ok(exits.includes(code(`${value}\``)), `exit code ${value} (${name})`);
});

t.test('every field of the JSON report is in the Reports section, and every schema is named', async (t) => {
  const reports = section('07-outputs.md', 'Reports');
  const schema = JSON.parse(readFileSync(join(PROJECT, 'schemas/report.schema.json'), 'utf8'));
  for (const field of Object.keys(schema.properties)) t.ok(reports.includes(code(`${field}\``)), `report field ${field}`);
  for (const field of Object.keys(schema.definitions.step.properties)) t.ok(reports.includes(code(field)), `step field ${field}`);
  const text = allText();
  for (const file of readdirSync(join(PROJECT, 'schemas'))) t.ok(text.includes(`schemas/${file}`), `schemas/${file} is named`);
  t.match(chapter('09-contract.md'), /RUNBOOK-FORMAT\.md/, 'the contract chapter names the contract it extends');
  t.equal(relative(PROJECT, RENDERED), 'docs/README.adoc');
});
