// Generated runbooks for benchmarks: many small steps with prose, headings and outputs, the
// shape of a real tutorial scaled up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function generateRunbook(steps: number, command: (i: number) => string = (i) => `echo step ${i}`): string {
  const parts = ['---', 'title: Generated benchmark runbook', 'vars:', '  BENCH: "1"', '---', ''];
  for (let i = 0; i < steps; i++) {
    if (i % 20 === 0) parts.push(`## Section ${i / 20}`, '', `Some prose about section ${i / 20}, with a [link](https://example.com) and \`code\`.`, '');
    parts.push('```bash run id=s' + i, command(i), '```', '');
    if (i % 4 === 0) parts.push('```text expect-output match=exact', `step ${i}`, '```', '');
  }
  return parts.join('\n');
}

export function writeGenerated(steps: number, command?: (i: number) => string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const file = join(dir, 'bench.md');
  writeFileSync(file, generateRunbook(steps, command));
  return { dir, file };
}
