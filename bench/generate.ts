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

/**
 * A prose-heavy document of about `megabytes` MB: paragraphs with inline markup, lists, tables,
 * block quotes and documentation fences, with a step every few sections.
 */
export function generateProse(megabytes: number): string {
  const parts = ['---', 'title: Generated prose', '---', ''];
  const paragraph = (i: number) =>
    `Paragraph ${i} explains *why* the mesh routes **this** request, with \`kubectl\` commands, a [link](https://istio.io/latest/docs/tasks/) ` +
    `and an autolink <https://example.com/${i}>. It goes on for a while so the text is long enough to look like real prose in a tutorial, ` +
    `mentioning reviews-v${i % 3} and ratings_${i}.`;
  let size = 0;
  let i = 0;
  while (size < megabytes * 1024 * 1024) {
    const block = [
      `## Section ${i}`,
      '',
      paragraph(i),
      '',
      `- item one of ${i}`,
      `- item two with \`code ${i}\``,
      `  - nested ${i}`,
      '',
      '| name | value |',
      '|------|-------|',
      `| a${i} | ${i} |`,
      '',
      `> A quote about section ${i}.`,
      '',
      '```yaml',
      `key: value-${i}`,
      '```',
      '',
      ...(i % 10 === 0 ? ['```bash run id=p' + i, `echo prose ${i}`, '```', ''] : []),
    ].join('\n');
    parts.push(block);
    size += block.length + 1;
    i++;
  }
  return parts.join('\n');
}

export function writeText(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}
