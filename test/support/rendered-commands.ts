// What a reader of a rendered README.adoc copies into a terminal: its `[source,bash]` listings in
// order, each with the target it is limited to (from its "Only on …" title), and the output blocks
// shown under commands. Used by tests that follow the rendered docs by hand.

export interface RenderedListing {
  title?: string;
  /** Targets named by an "Only on a or b" title; empty for every target. */
  targets: string[];
  body: string;
}

const BLOCK = /^(?:\.(?<title>[^\n]*)\n)?(?:\[(?<attrs>[^\]\n]*)\]\n)?(?<delim>-{4,})\n(?<body>[\s\S]*?)\n\k<delim>$/gm;

export function bashListings(adoc: string): RenderedListing[] {
  const out: RenderedListing[] = [];
  for (const m of adoc.matchAll(BLOCK)) {
    const { title, attrs, body } = m.groups!;
    if (!/^source,(bash|sh|shell)\b/.test(attrs ?? '')) continue;
    const only = /Only on ([\w-]+(?: or [\w-]+)*)/.exec(title ?? '');
    out.push({ title, targets: only ? only[1].split(' or ') : [], body });
  }
  return out;
}

/** The listings a reader following one target runs, joined into one script. */
export function scriptFor(adoc: string, target: string): string {
  return bashListings(adoc)
    .filter((l) => l.targets.length === 0 || l.targets.includes(target))
    .map((l) => l.body)
    .join('\n');
}

/** Titles of the listings that are not commands (outputs), in order. */
export function outputTitles(adoc: string): string[] {
  const titles: string[] = [];
  for (const m of adoc.matchAll(BLOCK)) {
    const { title, attrs } = m.groups!;
    if (!(attrs ?? '').startsWith('source,') && title) titles.push(title);
  }
  return titles;
}
