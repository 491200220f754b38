// A fix for asciidoctor.js's attribute-list parsing speed. Its StringScanner (Opal's strscan)
// builds a new anchored RegExp on every scan: it stringifies the pattern, runs a regex over that
// string to find the flags and compiles `^(?:…)` again. The name pattern asciidoctor scans every
// attribute with spells out Unicode letter ranges (kilobytes of source), so each `[source,bash]`
// line cost tens of microseconds and a 10,000-step document spent about half of its HTML
// conversion there. The anchored form of a pattern never changes, so it is made once per pattern.
// Behaviour is the same: the scanner only ever calls exec() on a fresh match from position 0.

interface ScannerPrototype {
  $anchor(pattern: RegExp): RegExp;
  __runbookAnchorCache?: boolean;
}

export function cacheAnchoredPatterns(opal: { StringScanner?: { $$prototype?: ScannerPrototype } } | undefined): void {
  const proto = opal?.StringScanner?.$$prototype;
  if (!proto || proto.__runbookAnchorCache) return;
  const anchored = new WeakMap<RegExp, RegExp>();
  proto.$anchor = (pattern: RegExp): RegExp => {
    let re = anchored.get(pattern);
    if (!re) {
      // The flags as the original reads them, minus the stateful ones (a fresh RegExp starts at 0).
      re = new RegExp(`^(?:${pattern.source})`, pattern.flags.replace(/[gy]/g, ''));
      anchored.set(pattern, re);
    }
    return re;
  };
  proto.__runbookAnchorCache = true;
}
