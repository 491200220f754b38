// The `runbook` command line: parses arguments and calls one command function. Errors a user
// can cause are printed as `file:line: message` with the contract's exit codes, never a stack.
import { join } from 'node:path';
import { engineVersion, INSTALL_ROOT } from './install-root.ts';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, RunbookError, RunbookErrors } from './errors.ts';
import { DEFAULT_RUNBOOK_PATH } from './model.ts';

const collect = (value: string, previous: string[]) => [...previous, value];
/** A file of the project this command belongs to. */
const inProject = (path: string) => join(INSTALL_ROOT, path);
const commaList = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** The command line: every command with its options (the reference's completeness test walks it). */
export function program(): Command {
  const cli = new Command('runbook')
    .version(`runbook ${engineVersion() ?? 'unknown'} (node ${process.version})`, '-V, --version', 'print the engine version')
    .description('Run a Markdown/AsciiDoc tutorial as a test: execute its annotated code blocks in order, check their outputs, write captured outputs back, render the docs.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
A runbook is Markdown whose fenced blocks carry annotations:
  \`\`\`bash run id=deploy timeout=5m        run it; fail on a non-zero exit
  \`\`\`text expect-output match=like        what the step above must print
  \`\`\`bash verify timeout=2m interval=5s   retry until it passes
  <!-- runbook: wait rollout namespace=istio-system -->

Examples:
  runbook init                           write a first runbook into runbook/
  runbook run                            run runbook/ on its first target
  runbook run runbook/ --target eks --write --report out/run.json
  runbook run --from deploy-bookinfo     resume where a failed run stopped
  runbook run -i                         walk through it step by step (a terminal is needed)
  runbook run --dry-run --target kind    show the plan, run nothing
  runbook check                          validate offline; list outputs still TODO
  runbook doctor --target eks            what is missing before a run

Regenerating on several clusters (see the README's regeneration loop):
  runbook run --shard 2/3 --durations last.json --set CLUSTER_NAME=istio-2 --report s2.json
  runbook report merge s1.json s2.json s3.json -o merged.json
  runbook report drift merged.json --html drift.html
  runbook write --from-report merged.json

Exit codes: 0 passed, 1 a step failed, 2 bad usage or invalid runbook (nothing ran), 130 interrupted.
PATH defaults to ${DEFAULT_RUNBOOK_PATH}
Reference (every step kind, attribute, directive, matcher, setting, report field):
  ${inProject('docs/README.adoc')} (sources: ${inProject('docs/reference/')})
JSON Schemas: ${inProject('schemas/settings.schema.json')} (runbook.yaml, front matter),
  ${inProject('schemas/report.schema.json')} (--report FILE.json)`,
    );

  cli
    .command('init')
    .description('create a small runbook that passes at once (settings, a run, an expected output, a verify, a cleanup); never overwrites a file')
    .argument('[dir]', `new or empty directory to create it in (default ${DEFAULT_RUNBOOK_PATH})`)
    .action(async (dir) => {
      const { initCommand } = await import('./commands/init.ts');
      process.exitCode = await initCommand(dir);
    });

  cli
    .command('run')
    .description('run the steps in order against the chosen target')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--target <name>', 'target from the settings (default: the first)')
    .option('--context <kubecontext>', 'kube context to use (must match the target)')
    .option('--set <NAME=VALUE>', 'override a variable (repeatable)', collect, [])
    .option('--from <id>', 'resume at this step, restoring the session saved before it')
    .option('--until <id>', 'stop after this step')
    .option('--only <ids>', 'run only these steps (comma-separated)', commaList)
    .option('--tags <tags>', 'run only steps with one of these tags', commaList)
    .option('--keep-going', 'continue after a failed step')
    .option('--write', 'write captured outputs back into output blocks')
    .option('--update-expected', 'with --write: also rewrite expect-output blocks')
    .option('--report <file>', 'write a report: .json, .xml (JUnit), .html (repeatable)', collect, [])
    .option('--dry-run', 'print the plan; run nothing')
    .option('--workdir <dir>', 'directory the first step starts in (default: current)')
    .option('--shard <I/N>', 'run shard I of N: a balanced share of the chapters plus the chapters they need')
    .option('--durations <report.json>', 'with --shard: balance shards by the step durations of this earlier report')
    .option('-i, --interactive', 'ask before each step: Enter run, s skip, r re-run, c continue, b jump, q quit (needs a terminal)')
    .option('--shell-on-failure', 'when a step fails, open a shell inside the run, then retry, skip or quit (needs a terminal)')
    .option('-v, --verbose', 'print every output line of a step as it comes (prefixed by the step id)')
    .option('--allow-empty', 'accept a runbook without steps (else exit 2)')
    .addHelpText(
      'after',
      `
Interactive runs (-i): before each step the runbook shows where it is, the prose above the
step and its command, and waits for a key. After a failure: r retry, s skip and go on,
e open a shell inside the run (its variables, functions, directory and port-forwards; what you
change stays; exit returns), q stop (cleanup runs, exit 130). Ctrl-C stops only the running step.
Reports mark steps skipped by hand, retried, and fixed in the shell; --write writes only outputs
of steps that passed.

Resuming (--from ID) restores the variables, functions and directory saved before ID and starts
again the background steps and port-forwards that were running there. It refuses (exit 2) when
the steps before ID changed since, or when a secret it did not save is not in the environment.`,
    )
    .action(async (path, opts) => {
      const { runCommand } = await import('./commands/run.ts');
      process.exitCode = await runCommand(path, opts);
    });

  cli
    .command('check')
    .description('validate offline: syntax, annotations, references, manifests; list TODO outputs')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--workdir <dir>', 'directory relative paths in steps resolve against')
    .option('--allow-empty', 'accept a runbook without steps (else exit 2)')
    .action(async (path, opts) => {
      const { checkCommand } = await import('./commands/check.ts');
      process.exitCode = await checkCommand(path, opts);
    });

  cli
    .command('list')
    .description('list the steps in order: id, kind, file:line, target')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--json', 'machine-readable output')
    .option('--allow-empty', 'accept a runbook without steps (else exit 2)')
    .action(async (path, opts) => {
      const { listCommand } = await import('./commands/list.ts');
      process.exitCode = await listCommand(path, opts);
    });

  cli
    .command('render')
    .description('render the runbook into README.adoc and an HTML site')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--adoc <file>', 'AsciiDoc output (default README.adoc)')
    .option('--html <dir>', 'HTML site output directory (default site/)')
    .option('--check', 'exit 1 if the AsciiDoc output is out of date; write nothing')
    .action(async (path, opts) => {
      const { renderCommand } = await import('./commands/render.ts');
      process.exitCode = await renderCommand(path, opts);
    });

  const report = cli.command('report').description('work with JSON reports of runs: merge shards, review drift');
  report
    .command('merge')
    .description('merge the reports of shards into one report of the whole runbook')
    .argument('<reports...>', 'JSON reports of run --shard I/N, one per shard')
    .requiredOption('-o, --output <file>', 'merged report: .json, .xml (JUnit), .html (repeatable)', collect, [])
    .action(async (reports, opts) => {
      const { reportMergeCommand } = await import('./commands/report.ts');
      process.exitCode = await reportMergeCommand(reports, opts);
    });
  report
    .command('drift')
    .description('what a write-back from this report would change: text diffs and screenshots, largest first')
    .argument('<report>', 'JSON report (merged, or of one run)')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--html <file>', 'write the drift review page')
    .option('--markdown <file>', 'write a Markdown summary (for a pull request body)')
    .option('--workdir <dir>', 'directory screenshot paths are relative to (default: current)')
    .option('--update-expected', 'also show expect-output blocks that would be rewritten')
    .action(async (reportPath, path, opts) => {
      const { reportDriftCommand } = await import('./commands/report.ts');
      process.exitCode = await reportDriftCommand(reportPath, path, opts);
    });

  cli
    .command('write')
    .description('write captured outputs and screenshots back from a report, as run --write would')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .requiredOption('--from-report <file>', 'JSON report of a run or of merged shards')
    .option('--update-expected', 'also rewrite expect-output blocks (placeholders and failed ones)')
    .option('--workdir <dir>', 'directory screenshot paths are relative to (default: current)')
    .action(async (path, opts) => {
      const { writeCommand } = await import('./commands/write.ts');
      process.exitCode = await writeCommand(path, opts);
    });

  cli
    .command('doctor')
    .description('check prerequisites and cluster reachability for each target')
    .argument('[path]', `runbook file or directory (default ${DEFAULT_RUNBOOK_PATH})`)
    .option('--target <name>', 'check only this target')
    .option('--context <kubecontext>', 'kube context to check')
    .option('--set <NAME=VALUE>', 'override a variable (for targets whose context uses $VAR)', collect, [])
    .action(async (path, opts) => {
      const { doctorCommand } = await import('./commands/doctor.ts');
      process.exitCode = await doctorCommand(path, opts);
    });

  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed the message; help and version are not errors
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof RunbookErrors) {
      for (const err of e.errors) process.stderr.write(`${err.format()}\n`);
      process.stderr.write(`runbook: ${e.errors.length} problem${e.errors.length === 1 ? '' : 's'} found; nothing was run\n`);
      return e.exitCode;
    }
    if (e instanceof RunbookError) {
      process.stderr.write(`runbook: ${e.format()}\n`);
      return e.exitCode;
    }
    process.stderr.write(`runbook: internal error: ${(e as Error).stack ?? e}\nPlease report this with the command you ran.\n`);
    return 70;
  }
}

export { Option };
