// What `runbook init` writes: a small runbook that passes `runbook run` as it is and shows each
// part of the format once — settings, a run with its expected output, a verify that retries, an
// output block --write fills, and a cleanup. Nothing in it needs a cluster or a network.

export const SCAFFOLD: Record<string, { text: string; what: string }> = {
  'runbook.yaml': {
    what: 'settings: title, variables, default timeout',
    text: `# Settings of this runbook. Every key is described in the engine's reference (docs/README.adoc,
# "Settings") and in its JSON Schema (schemas/settings.schema.json), which editors can use.
title: My first runbook
vars:
  # Exported into the shell session before the first step; override with --set GREETING=hi
  GREETING: hello
timeout: 1m
`,
  },
  '01-first-steps.md': {
    what: 'a run with its expected output, a verify, an output to capture, a cleanup',
    text: `# First steps

A fenced block whose info string names a kind (\`run\`, \`verify\`, \`cleanup\`, …) is a step:
\`runbook run\` executes the steps in order, in one bash session, and checks what they print.
A block without a kind is documentation and never runs.

## Say hello

\`GREETING\` comes from \`vars:\` in runbook.yaml.

\`\`\`bash run id=greet
echo "$GREETING from the runbook"
\`\`\`

The block right after a step says what it must print (\`like\` by default: ages, durations,
addresses and generated names may differ; \`match=exact\` wants the very text):

\`\`\`text expect-output match=exact
hello from the runbook
\`\`\`

## Wait for something

Variables, the working directory and background processes carry over from step to step.

\`\`\`bash run id=workspace
work=$(mktemp -d)
cd "$work"
(sleep 1; echo ready > status.txt) &
\`\`\`

A \`verify\` step runs again every \`interval\` until it passes or its \`timeout\` runs out:

\`\`\`bash verify id=ready timeout=30s interval=250ms
cat status.txt
\`\`\`

\`runbook run --write\` puts what the step printed into the \`output\` block below it:

\`\`\`text output
TODO
\`\`\`

## Clean up

A \`cleanup\` step runs after the last step, whether the run passed, failed or was interrupted.

\`\`\`bash cleanup id=remove-workspace
rm -rf "$work"
\`\`\`
`,
  },
};
