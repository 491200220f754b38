// Conformance of the one fence scanner with CommonMark: every example of the CommonMark 0.31.2
// spec against commonmark.js (the reference implementation) and micromark; the reader's fences,
// the renderer's section splitting and write-back's guard checked against the same references.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tests as specExamples } from 'commonmark-spec';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { scanMarkdown } from '../engine/read/markdown.ts';
import { consumeBlocks, scanBlocks, type Block } from '../engine/read/markdown-blocks.ts';
import { loadRunbook } from '../engine/read/index.ts';
import { formatBody, writeBack } from '../engine/write/writeback.ts';
import { MAY_BE_GFM, parseProse } from '../engine/render/markdown-tree.ts';
import type { StepResult } from '../engine/execute/results.ts';
import { normalizeLines } from '../engine/match/normalize.ts';
import { commonmarkCodeBlocks, commonmarkOutline, micromarkLeaves, scannerLeaves, scannerOutline, walkBlocks } from './support/commonmark-outline.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const examples = specExamples.map((e) => ({ ...e, markdown: e.markdown.replace(/→/g, '\t') }));
const FENCE_SECTIONS = ['Fenced code blocks', 'Indented code blocks', 'HTML blocks', 'Tabs', 'Block quotes', 'List items', 'Lists'];

t.test('the block scanner builds the tree commonmark.js builds, for every spec example', async (t) => {
  t.equal(examples.length, 652, 'CommonMark 0.31.2');
  const wrong = examples.filter((e) => scannerOutline(e.markdown).join('\n') !== commonmarkOutline(e.markdown).join('\n'));
  t.same(wrong.map((e) => `#${e.number} ${e.section}`), [], 'containers, code blocks (fence, info, content, end), HTML blocks, headings');
  for (const section of FENCE_SECTIONS) t.ok(examples.some((e) => e.section === section), `the spec's "${section}" examples are included`);
});

t.test('code, HTML blocks and headings sit where micromark (the renderer) puts them', async (t) => {
  // One known difference: micromark keeps the line break of an HTML block that runs to the end
  // of the document (example 173); the comparison ignores trailing line breaks of HTML blocks.
  const wrong = examples.filter((e) => scannerLeaves(e.markdown).join('\n') !== micromarkLeaves(e.markdown).join('\n'));
  t.same(wrong.map((e) => `#${e.number} ${e.section}`), []);
});

t.test('the reader\'s consuming walk visits what walkBlocks visits, in the same order, and lets go of every child', async (t) => {
  const describe = (b: Block) => `${b.type}@${b.line}:${b.offset}:${b.lines.join('|')}:${b.parent?.type ?? '-'}`;
  let blocks = 0;
  for (const e of examples) {
    const walked: string[] = [];
    walkBlocks(scanBlocks(e.markdown), (b) => walked.push(describe(b)));
    const consumed: string[] = [];
    const seen: Block[] = [];
    consumeBlocks(scanBlocks(e.markdown), (b) => {
      consumed.push(describe(b)); // parents are still there when a child is visited
      seen.push(b);
    });
    if (consumed.join('\n') !== walked.join('\n')) t.fail(`#${e.number}: visited ${consumed.length} blocks, walkBlocks ${walked.length}`);
    if (seen.some((b) => b.children.length > 0)) t.fail(`#${e.number}: a visited block still holds its children`);
    blocks += consumed.length;
  }
  t.ok(blocks > 1800, `all ${blocks} blocks of the spec examples, in order`);
});

t.test('the reader takes fences exactly as commonmark.js reads them (info, content, position)', async (t) => {
  let fences = 0;
  for (const e of examples) {
    const reference = commonmarkCodeBlocks(e.markdown).filter((c) => c.fenced);
    const read = scanMarkdown(e.markdown, 'x.md').blocks.filter((b) => b.type === 'fence');
    fences += read.length;
    const mine = read.map((b) => (b.type === 'fence' ? { line: b.position.line, info: [b.lang, b.info].filter(Boolean).join(' '), code: b.code } : {}));
    const theirs = reference.map((c) => ({ line: c.line, info: c.info.replace(/[ \t]+/, ' '), code: c.literal.replace(/\n$/, '') }));
    t.same(mine, theirs, `example ${e.number}`);
  }
  t.ok(fences > 30, `${fences} fences`);
});

const gfm = unified().use(remarkParse).use(remarkGfm);

t.test('the renderer\'s tree (scanner fences, prose cut at headings) is the tree remark builds in one piece', async (t) => {
  for (const e of examples) {
    // The example, a top-level heading, the example again, a link definition at the end: cuts
    // fall before headings and around fences only where the scanner knows every block is closed.
    const text = `Intro (so no example reads as front matter)\n\n${e.markdown}\n\n# Cut here\n\n${e.markdown}\n\n[cut-ref]: https://example.org/\n`;
    const cut = parseProse({ text, relPath: 'x.md' });
    const whole = gfm.parse(text);
    const [a, b] = [JSON.stringify(cut.children), JSON.stringify(whole.children)]; // every node, value and position
    if (a !== b) t.same(JSON.parse(a), JSON.parse(b), `example ${e.number}`);
  }
  t.pass('every example renders from the same tree');
});

t.test('prose parsed without GFM (no GFM construct can start in it) is the tree GFM builds', async (t) => {
  // Pieces near the pre-check that skips GFM: links whose destination is a URL (closed or not),
  // brackets that make no link, and each GFM construct with and without what starts it.
  const pieces = [
    'see [a](https://example.com) here',
    'see [a](https://example.com and more',
    'see [a](https://example.com "title"',
    'foo](https://example.com) bar',
    '\\[a](https://example.com) bar',
    'a <https://example.com> b',
    'a <https://example.com b',
    'a *https://example.com* b (https://example.com) _https://example.com_',
    'xhttps://example.com and 1https://example.com',
    'www.example.com and (www.example.com)',
    'mail me@example.com or mailto:me@example.com',
    '~one~ and ~~two~~',
    'footnote[^1]\n\n[^1]: the note',
    '- [ ] open\n- [x] done',
    '| a | b |\n|---|---|\n| 1 | 2 |',
    'plain *emphasis*, `code` and [a link][ref]\n\n[ref]: https://example.com',
    '- [\t] tab in the box',
    '- [\n] line break in the box',
  ];
  // And pieces the pre-check lets through without GFM: the plain parser must read them as GFM does.
  const plain = ['plain [a](/relative) text and `code`', 'a <b>tag</b> and *emphasis* only', '- [y] not a task\n- [] nor this'];
  for (const piece of plain) t.notOk(MAY_BE_GFM.test(piece), `no GFM construct can start in ${JSON.stringify(piece)}`);
  for (const piece of [...pieces, ...plain]) {
    const text = `Intro\n\n${piece}\n\n# Cut here\n\n${piece}\n`;
    t.same(JSON.parse(JSON.stringify(parseProse({ text, relPath: 'x.md' }).children)), JSON.parse(JSON.stringify(gfm.parse(text).children)), JSON.stringify(piece));
  }
});

t.test('the issue\'s fence cases read as CommonMark says', async (t) => {
  const cases: [string, string, number][] = [
    ['an indented ``` in a heredoc does not close the step (4 spaces)', '```bash run id=h\ncat <<EOF\n    ```\nEOF\n```\n', 1],
    ['a fence inside an HTML block is HTML', '<div>\n```bash run id=html\necho no\n```\n</div>\n', 0],
    ['an output fence on the last line without a final newline', '```bash run id=a\necho a\n```\n```text output\nTODO\n```', 1],
    ['a tilde fence is not closed by backticks', '~~~bash run id=t\necho "```"\n```\n~~~\n', 1],
    ['a longer fence is not closed by a shorter one', '````bash run id=l\n```\n````\n', 1],
    ['a fence on a list marker line', '- ```bash run id=m\n  echo item\n  ```\n', 1],
    ['four spaces make indented code, not a step', 'text\n\n    ```bash run id=i\n    echo no\n    ```\n', 0],
  ];
  for (const [name, text, steps] of cases) {
    const blocks = scanMarkdown(text, 'x.md').blocks.filter((b) => b.type === 'fence' && / run /.test(` ${b.info} `));
    t.equal(blocks.length, steps, name);
    const reference = commonmarkCodeBlocks(text).filter((c) => c.fenced && /^bash run/.test(c.info));
    t.equal(reference.length, steps, `${name}: commonmark.js agrees`);
    for (let i = 0; i < steps; i++) {
      const block = blocks[i];
      if (block.type === 'fence') t.equal(block.code + '\n', reference[i].literal, `${name}: same body`);
    }
  }
});

function passed(rb: ReturnType<typeof loadRunbook>, output: string): StepResult[] {
  return rb.steps.map((step) => ({ step, phase: 'main', command: '', status: 'passed', attempts: 1, durationMs: 1, exitCode: 0, output }));
}

t.test("write-back's guard refuses exactly the outputs CommonMark would read differently", async (t) => {
  // Output blocks in the places CommonMark treats differently, and captured lines that do or do
  // not close a fence there. Whatever write-back writes must read back (commonmark.js) as exactly
  // the captured text; whatever it refuses must be output that would not.
  const places = [
    (f: string) => `${f}text output\nTODO\n${f}\n`,
    (f: string) => `   ${f}text output\nTODO\n   ${f}\n`,
    (f: string) => `- item\n\n  ${f}text output\n  TODO\n  ${f}\n`,
    (f: string) => `1. item\n\n   ${f}text output\n   TODO\n   ${f}\n`,
    (f: string) => `- a\n  - b\n\n    ${f}text output\n    TODO\n    ${f}\n`,
    (f: string) => `- ${f}text output\n  TODO\n  ${f}\n`,
  ];
  const fences = ['```', '````', '~~~', '~~~~~'];
  const lines = ['plain', '```', '````', '   ```', '    ```', '~~~', '~~~~', '```js', '``` ', '\t```', '  ~~~~~~', '-----', '</div>'];
  const dir = tempDir(t);
  let written = 0;
  let refused = 0;
  for (const place of places) {
    for (const fence of fences) {
      for (const line of lines) {
        for (const eol of ['\n', '\r\n']) {
          const text = `# T\n\n\`\`\`bash run id=s\necho\n\`\`\`\n\n${place(fence)}`.replace(/\n/g, eol);
          writeFiles(dir, { 'doc.md': text });
          const rb = loadRunbook(join(dir, 'doc.md'));
          const output = `first\n${line}\nlast`;
          const outcome = writeBack(rb, passed(rb, output), { updateExpected: false });
          const after = readFileSync(join(dir, 'doc.md'), 'utf8');
          const block = commonmarkCodeBlocks(after.replace(/\r\n/g, '\n')).find((c) => c.info === 'text output');
          if (outcome.written.length) {
            written++;
            t.equal(block?.literal, `${normalizeLines(output).join('\n')}\n`, `${JSON.stringify(place(fence))} with ${JSON.stringify(line)}: written and read back`);
          } else {
            refused++;
            t.equal(after, text, 'refused: the file is left alone');
            const out = rb.steps[0].output!;
            const naive = text.slice(0, out.body.start) + formatBody(output, out) + text.slice(out.body.end);
            const naiveBlock = commonmarkCodeBlocks(naive.replace(/\r\n/g, '\n')).find((c) => c.info === 'text output');
            t.not(naiveBlock?.literal, `${output}\n`, `${JSON.stringify(place(fence))} with ${JSON.stringify(line)}: refused because CommonMark would read it differently`);
          }
        }
      }
    }
  }
  t.ok(written > 0 && refused > 0, `${written} written, ${refused} refused`);
});
