// Section ids and levels for the one-page document. Markdown chapters keep GitHub's heading
// anchors (`#install-istio`), so links between chapters still land; ids stay unique across
// the whole document (AsciiDoc warns on a reused id), and section levels never skip one.

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to "-". */
export function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every id used in the document; the first to ask for a name gets it, later ones get -2, -3 … */
export class IdRegistry {
  private readonly used = new Set<string>();

  claim(wanted: string): string {
    // AsciiDoc ids start with a letter or "_".
    let base = wanted || 'section';
    if (!/^[\p{L}_]/u.test(base)) base = `_${base}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** Ids of one Markdown chapter: GitHub's per-file slugs (with -1, -2 for repeats) → document ids. */
export class ChapterIds {
  readonly byLine = new Map<number, string>();
  readonly bySlug = new Map<string, string>();
  firstId?: string;
  private readonly counts = new Map<string, number>();

  add(line: number, text: string, registry: IdRegistry): string {
    const slug = githubSlug(text);
    const seen = this.counts.get(slug) ?? 0;
    this.counts.set(slug, seen + 1);
    const local = seen === 0 ? slug : `${slug}-${seen}`;
    const id = registry.claim(local);
    this.byLine.set(line, id);
    this.bySlug.set(local, id);
    this.firstId ??= id;
    return id;
  }
}

/**
 * Maps a chapter's heading depths to document section levels: the chapter's top heading becomes
 * level 1 (`==`), and a level never goes more than one below the previous heading.
 */
export class LevelMapper {
  private previous = 0;

  constructor(private readonly topDepth: number) {}

  level(depth: number): number {
    const wanted = Math.max(1, depth - this.topDepth + 1);
    const level = Math.min(wanted, this.previous + 1, 5);
    this.previous = level;
    return level;
  }
}

export function sectionMarker(level: number): string {
  return '='.repeat(level + 1);
}
