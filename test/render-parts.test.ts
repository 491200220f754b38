// Generated parts placed by chapters, and what readers see under a step whose output is checked
// against a pattern: `<!-- render: provenance -->` and `<!-- render: variables -->` in a Markdown
// chapter put the provenance note and the variables block there (once each; an unknown or
// repeated marker is an error at its line); without a marker the variables come before the
// chapters; a pattern is never shown — its example is, titled "Example output" until a capture
// is recorded and "Output" after.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const CAPTURED = JSON.stringify({ capturedAt: '2026-11-30T09:15:00.000Z', target: 'laptop', kubernetesVersion: 'v1.35.8', istioVersion: '1.31.1', scope: 'full' });

function book(t: Parameters<typeof tempDir>[0], chapter: string, template?: string): string {
  const dir = tempDir(t, 'runbook-parts-');
  writeFiles(dir, {
    'runbook/runbook.yaml': 'title: Parts\nvars:\n  CITY: Lyon\ntargets:\n  laptop: {}\n',
    'runbook/01-intro.md': chapter,
    ...(template ? { 'runbook/_readme/template.adoc': template } : {}),
  });
  return dir;
}

const render = (dir: string) => runCli(['render', 'runbook', '--html', join(dir, 'site')], { cwd: dir });

const PATTERN_STEPS = [
  '## Steps',
  '',
  '```bash run id=with-example',
  'echo "took 6.2 seconds"',
  '```',
  '',
  '```text expect-output match=regex',
  '^took [67]\\.\\d seconds$',
  '```',
  '',
  '```text output',
  'took 6.2 seconds',
  '```',
  '',
  '```bash run id=not-yet',
  'date +%s',
  '```',
  '',
  '```text expect-output match=regex',
  '^\\d{10}$',
  '```',
  '',
  '```text output',
  'TODO',
  '```',
  '',
  '```bash run id=sentence-only',
  'echo $RANDOM',
  '```',
  '',
  '```text expect-output match=regex',
  '^\\d+$',
  '```',
  '',
].join('\n');

t.test('a chapter places the provenance note and the variables block where its markers stand', async (t) => {
  const chapter = ['# Intro', '', 'What you read here:', '', '<!-- render: provenance -->', '', 'Set up first:', '', '<!-- render: variables -->', '', PATTERN_STEPS].join('\n');
  const dir = book(t, chapter, '= ignored\n\nTemplate text.\n\n// render: chapters\n');
  const r = await render(dir);
  t.equal(r.code, 0, r.out);
  const adoc = readFileSync(join(dir, 'README.adoc'), 'utf8');
  t.match(adoc, /What you read here:\n\n\[\.provenance\]\nNOTE: No run has captured the outputs in this document yet\./, 'the note stands where the chapter put it');
  t.match(adoc, /Set up first:\n\n\.Set the variables first \(from runbook\/runbook\.yaml\), in a new shell in the directory of this document\n\[source,bash\]\n----\nexport CITY=Lyon\n----/);
  t.equal(adoc.match(/export CITY=Lyon/g)?.length, 1, 'the variables block once');
  t.notMatch(adoc, /\^took|\\d\{10\}|\^\\d\+\$/, 'no pattern is shown');
  t.match(adoc, /echo "took 6\.2 seconds"\n----\n\n\.Example output\n----\ntook 6\.2 seconds\n----/, 'the example, titled as one');
  t.match(adoc, /date \+%s\n----\n\nNOTE: Output not captured yet/, 'a pattern with a TODO example: the not-captured note');
  t.match(adoc, /echo \$RANDOM\n----(?!\n\n(\.|NOTE))/, 'a pattern without an example: nothing under the command');

  writeFileSync(join(dir, 'runbook', '_readme', 'captured.json'), CAPTURED);
  const again = await render(dir);
  t.equal(again.code, 0, again.out);
  const captured = readFileSync(join(dir, 'README.adoc'), 'utf8');
  t.match(captured, /What you read here:\n\n\[\.provenance\]\nNOTE: Outputs last captured 2026-11-30 09:15:00 UTC on the laptop target \(Kubernetes v1\.35\.8, Istio 1\.31\.1\)/, 'the chapter\'s note changes by itself once a capture is recorded');
  t.match(captured, /\.Output\n----\ntook 6\.2 seconds\n----/, 'after a recorded capture the output is titled "Output"');
});

t.test('without a marker the variables come right before the chapters', async (t) => {
  const dir = book(t, '# Intro\n\nText.\n', 'Before.\n\n// render: provenance\n\n// render: chapters\n\nAfter.\n');
  const r = await render(dir);
  t.equal(r.code, 0, r.out);
  const adoc = readFileSync(join(dir, 'README.adoc'), 'utf8');
  t.match(adoc, /\[\.provenance\]\nNOTE: [^\n]*\n[\s\S]*?\n\n\.Set the variables first[^\n]*\n\[source,bash\]\n----\nexport CITY=Lyon\n----\n\n\/\/ Source: runbook\/01-intro\.md/);
});

t.test('without a template, a chapter that places the provenance note gets it once, there', async (t) => {
  const dir = book(t, '# Intro\n\nWhere the outputs come from:\n\n<!-- render: provenance -->\n');
  const r = await render(dir);
  t.equal(r.code, 0, r.out);
  const adoc = readFileSync(join(dir, 'README.adoc'), 'utf8');
  t.equal(adoc.match(/\[\.provenance\]/g)?.length, 1);
  t.match(adoc, /Where the outputs come from:\n\n\[\.provenance\]/);
});

t.test('a marker placed twice, or an unknown one, is an error at its line', async (t) => {
  const twice = book(t, '# Intro\n\n<!-- render: provenance -->\n', 'Text.\n\n// render: provenance\n\n// render: chapters\n');
  const r = await render(twice);
  t.equal(r.code, 2, r.out);
  t.match(r.out, /runbook\/_readme\/template\.adoc:3: "render: provenance" appears twice \(first at runbook\/01-intro\.md:3\)/);

  const unknown = book(t, '# Intro\n\nText.\n\n<!-- render: chapters -->\n');
  const u = await render(unknown);
  t.equal(u.code, 2, u.out);
  t.match(u.out, /runbook\/01-intro\.md:5: unknown render marker "render: chapters"\n\s+Markers here are: provenance, variables\./);
});
