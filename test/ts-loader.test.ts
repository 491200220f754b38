// The tests' own TypeScript loader (test/support/ts-loader, named in .taprc): it loads .ts as ES
// modules and keeps what coverage needs. A loader that put a module on one line (tsx does) would
// let tap count every line as run, and no coverage floor would notice; this test would.
import t from 'tap';
import { SourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { tempDir, writeFiles } from './support/tmp.ts';
// @ts-expect-error: plain JavaScript module, no types
import { load } from './support/ts-loader/hooks.mjs';

const SOURCE = [
  'interface Shape {', // 1
  '  sides: number;', // 2
  '}', // 3
  'export const square: Shape = { sides: 4 };', // 4
  '', // 5
  'export function sides(shape: Shape): number {', // 6
  '  if (shape.sides < 3) return 0;', // 7
  '  return shape.sides;', // 8
  '}', // 9
  '',
].join('\n');

type Loaded = { format: string; source: string; shortCircuit?: boolean };
const notMine = async (url: string) => ({ format: 'passed-on', source: url });

function inlineMap(code: string): SourceMap {
  const data = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(code);
  if (!data) throw new Error('no inline source map');
  return new SourceMap(JSON.parse(Buffer.from(data[1], 'base64').toString('utf8')));
}

t.test('a .ts file loads as an ES module without its types, statement lines mapped back to the source', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'shape.ts': SOURCE });
  const url = pathToFileURL(join(dir, 'shape.ts')).href;
  const loaded: Loaded = await load(url, { format: undefined, importAttributes: {} }, notMine);
  t.equal(loaded.format, 'module');
  t.ok(loaded.shortCircuit);
  t.notMatch(loaded.source, /interface|: Shape/, 'types stripped');

  const lines = loaded.source.split('\n');
  t.ok(lines.length >= 8, `one generated line per statement, not one line for the module (${lines.length} lines)`);
  const map = inlineMap(loaded.source);
  for (const [text, line] of [['if (shape.sides < 3)', 7], ['return shape.sides', 8], ['function sides', 6]] as const) {
    const at = lines.findIndex((l) => l.includes(text));
    t.not(at, -1, `${text} is in the output`);
    const entry = map.findEntry(at, lines[at].indexOf(text));
    if (!('originalLine' in entry)) throw new Error(`${text}: no mapping`);
    t.equal(entry.originalLine + 1, line, `${text} maps to line ${line}`);
    t.equal(entry.originalSource, join(dir, 'shape.ts'), 'and to the file it came from');
  }

  const module = await import(`data:text/javascript;base64,${Buffer.from(loaded.source).toString('base64')}`);
  t.equal(module.sides(module.square), 4, 'the code runs');
});

t.test('JavaScript, node_modules and non-file URLs go to Node\'s own loader', async (t) => {
  for (const url of ['file:///x/y.mjs', 'file:///x/node_modules/p/index.ts', 'node:fs', 'data:text/javascript,0']) {
    const loaded: Loaded = await load(url, {}, notMine);
    t.same(loaded, { format: 'passed-on', source: url }, url);
  }
});
