// Pins ISTIO_VERSION in runbook/runbook.yaml (the regeneration's last step before its pull
// request), editing only that value: comments, order and quoting of everything else stay.
//   node --import tsx scripts/pin-istio-version.ts runbook/runbook.yaml 1.31.2
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument } from 'yaml';

export function pinIstioVersion(text: string, version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`${version} is not a release number such as 1.31.2`);
  const doc = parseDocument(text);
  const vars = doc.get('vars', true);
  const node = isMap(vars) ? vars.get('ISTIO_VERSION', true) : undefined;
  if (!isScalar(node) || !node.range) throw new Error('no vars.ISTIO_VERSION to update');
  // Splice the value's own characters, keeping its quotes: the rest of the file is untouched.
  const [start, end] = node.range;
  const quote = /^["']/.test(text.slice(start)) ? text[start] : '';
  return text.slice(0, start) + `${quote}${version}${quote}` + text.slice(end);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, version] = process.argv.slice(2);
  try {
    if (!file || !version) throw new Error('usage: pin-istio-version.ts runbook/runbook.yaml VERSION');
    writeFileSync(file, pinIstioVersion(readFileSync(file, 'utf8'), version));
    process.stdout.write(`${file}: ISTIO_VERSION pinned to ${version}\n`);
  } catch (e) {
    process.stderr.write(`pin-istio-version: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
