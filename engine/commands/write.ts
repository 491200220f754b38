// `runbook write --from-report FILE.json`: the write-back of `run --write` from a report, for
// outputs and screenshots captured elsewhere (shards on several clusters, merged). Refuses, and
// writes nothing, when a source or screenshot changed since the run (exit 1).
import { relative, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { EXIT, RunbookError } from '../errors.ts';
import { readJsonReport } from '../report/read-json.ts';
import { writeFromReport } from '../report/write-from-report.ts';
import { runResultFromReport } from '../report/to-result.ts';
import { recordCapture } from '../render/provenance.ts';
import { indentDiff } from './run.ts';
import { load } from './load.ts';

export interface WriteCommandOptions {
  fromReport: string;
  updateExpected?: boolean;
  workdir?: string;
}

export async function writeCommand(path: string | undefined, options: WriteCommandOptions): Promise<number> {
  const loaded = readJsonReport(options.fromReport, '--from-report');
  const runbook = load(path);
  const workdir = resolve(options.workdir ?? process.cwd());
  if (!statSync(workdir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new RunbookError(`--workdir ${options.workdir}: not a directory`, undefined, undefined, 'Give the directory the run started in (screenshot paths are relative to it).');
  }
  const outcome = writeFromReport(runbook, loaded, { updateExpected: Boolean(options.updateExpected), workdir });
  if (outcome.refused.length) {
    for (const r of outcome.refused) process.stderr.write(`runbook: not written: ${r.file}: ${r.reason}\n`);
    process.stderr.write(`runbook: nothing was written from ${options.fromReport}\n`);
    return EXIT.failed;
  }
  for (const change of outcome.changes) {
    process.stdout.write(`updated ${change.kind} of ${change.stepId} at ${change.file}:${change.line}\n${indentDiff(change.diff)}\n`);
  }
  for (const image of outcome.images.filter((i) => i.action !== 'unchanged')) process.stdout.write(`${image.action} screenshot ${image.file}\n`);
  const { report } = loaded;
  if (report.status !== 'passed') {
    process.stderr.write(`runbook: note: the run in ${options.fromReport} ${report.status}; only outputs of steps that passed were written\n`);
  }
  const recorded = recordCapture(runbook, runResultFromReport(report), { partial: report.scope === 'partial' });
  if (recorded) process.stdout.write(`recorded the capture in ${relative(process.cwd(), recorded)} (run \`npm run render\` to update README.adoc)\n`);
  const screenshots = outcome.images.filter((i) => i.action !== 'unchanged').length;
  process.stdout.write(`${outcome.changes.length} block${outcome.changes.length === 1 ? '' : 's'} updated in ${outcome.written.length} file${outcome.written.length === 1 ? '' : 's'}, ${screenshots} screenshot${screenshots === 1 ? '' : 's'} written\n`);
  return EXIT.ok;
}
