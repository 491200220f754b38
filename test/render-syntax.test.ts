// The small pieces of the renderer: escaping prose for AsciiDoc (checked against asciidoctor
// itself), listing delimiters, section ids and levels, shell words, the offline highlighter,
// and a CRLF AsciiDoc chapter rendered with LF.
import t from 'tap';
import Asciidoctor from '@asciidoctor/core';
import { escapeInline, guardLines, listingDelimiter, listing, attrValue, literalContent } from '../engine/render/adoc-syntax.ts';
import { githubSlug, IdRegistry, LevelMapper } from '../engine/render/headings.ts';
import { shellWord } from '../engine/render/directives.ts';
import { highlight } from '../engine/render/highlight.ts';
import { loadRunbook } from '../engine/read/index.ts';
import { renderDocument } from '../engine/render/document.ts';
import { tempDir, writeFiles } from './support/tmp.ts';

const ad = Asciidoctor();
/** The visible text asciidoctor makes of one paragraph. */
function shown(adoc: string): string {
  const html = ad.convert(adoc, { safe: 'safe' }) as string;
  const inner = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? html;
  return inner
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

t.test('escaped prose shows exactly the characters written', async (t) => {
  const samples = [
    '*not bold* and **not strong**',
    '_not emphasis_ and __not either__',
    'a `tick` and #hash# and +plus+ and C++',
    '{toc} {counter:x} [brackets] [[anchor]] <<xref>> ((index)) (((deep)))',
    '2^10^ and H~2~O and a\\backslash',
    'term:: not a list and x;; y and std::vector',
    'ISTIO_VERSION and my_var_name and snake_case_',
    'footnote:[no] kbd:[Ctrl] link:x[y] image:z[w]',
  ];
  for (const s of samples) t.equal(shown(guardLines(escapeInline(s))), s, s);
});

t.test('line starts that would be block syntax are neutralised', async (t) => {
  for (const line of ['* item', '- item', '. item', '1. item', 'a. item', 'iv) item', 'NOTE: not', '// comment', ':attr: value', '== heading', '.Title', '|===', "'''", '<1> callout', '----']) {
    t.equal(shown(guardLines(`first line\n${escapeInline(line)}`)), `first line\n${line}`, line);
  }
});

t.test('listing delimiters outgrow their body', async (t) => {
  t.equal(listingDelimiter('echo'), '----');
  t.equal(listingDelimiter('----\nx'), '-----');
  t.equal(listingDelimiter('------ \n----'), '-------');
  t.equal(listing('x', { style: 'source,bash', title: 'T' }), '.T\n[source,bash]\n----\nx\n----');
  t.match(listing('a <1>'), /\[subs="-callouts"\]/);
  t.equal(attrValue('plain'), 'plain');
  t.equal(attrValue('has, comma'), '"has, comma"');
  t.equal(attrValue('say "hi"'), '"say \\"hi\\""');
  t.equal(literalContent('a b'), '+a b+');
  t.equal(literalContent('a+b]'), 'pass:c[a+b\\]]');
});

t.test('section ids follow GitHub and stay unique; levels never skip', async (t) => {
  t.equal(githubSlug('Install Istio 1.31 (demo profile)!'), 'install-istio-131-demo-profile');
  t.equal(githubSlug('`kubectl` & friends'), 'kubectl--friends');
  const ids = new IdRegistry();
  t.equal(ids.claim('setup'), 'setup');
  t.equal(ids.claim('setup'), 'setup-2');
  t.equal(ids.claim('1-install'), '_1-install', 'ids start with a letter or _');
  t.equal(ids.claim(''), 'section');
  const levels = new LevelMapper(1);
  t.same([1, 3, 4, 2, 6, 1].map((d) => levels.level(d)), [1, 2, 3, 2, 3, 1]);
});

t.test('shell words keep $VARS expandable and quote the rest', async (t) => {
  t.equal(shellWord('istio-system'), 'istio-system');
  t.equal(shellWord('app=productpage'), 'app=productpage');
  t.equal(shellWord('$NS'), '"$NS"');
  t.equal(shellWord('${NS}-x'), '"${NS}-x"');
  t.equal(shellWord('app in (a,b)'), `'app in (a,b)'`);
  t.equal(shellWord(`it's`), `'it'\\''s'`);
});

t.test('the offline highlighter marks tokens and escapes HTML', async (t) => {
  t.equal(highlight('echo "$HOME" <x> # note', 'bash'), 'echo <span class="tok-string">&quot;$HOME&quot;</span> &lt;x&gt; <span class="tok-comment"># note</span>'.replace(/&quot;/g, '"'));
  t.match(highlight('export A=${B:-c} --flag', 'sh'), /<span class="tok-keyword">export<\/span> A=<span class="tok-variable">\$\{B<\/span>:-c\} <span class="tok-option">--flag<\/span>/);
  t.equal(highlight('kind: Pod # c\nreplicas: 3', 'yaml'), '<span class="tok-key">kind</span>: Pod <span class="tok-comment"># c</span>\n<span class="tok-key">replicas</span>: <span class="tok-literal">3</span>');
  t.equal(highlight('{"a": true}', 'json'), '{<span class="tok-key">"a"</span>: <span class="tok-literal">true</span>}');
  t.equal(highlight('<b>&', 'text'), '&lt;b&gt;&amp;');
});

t.test('a CRLF AsciiDoc chapter renders with LF, its steps rewritten', async (t) => {
  const dir = tempDir(t);
  const chapter = ['= Title', '', 'Text.', '', '[source,bash,runbook="run id=a"]', '----', 'echo a', '----', '', '[source,text,runbook="output"]', '----', 'a', '----', '', 'After.', ''].join('\r\n');
  writeFiles(dir, { 'book/01.adoc': chapter });
  const doc = renderDocument(loadRunbook(`${dir}/book`), { adocPath: `${dir}/README.adoc`, cwd: dir });
  t.notMatch(doc.text, /\r/);
  t.match(doc.text, /== Title\n\nText\.\n\n\[source,bash\]\n----\necho a\n----\n\n\.Example output\n----\na\n----\n\nAfter\.\n$/);
});
