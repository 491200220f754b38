// Which Istio release a regeneration should capture (used by .github/workflows/regenerate.yml):
// the newest patch of the tutorial's minor line, from the GitHub releases API, compared with the
// ISTIO_VERSION that runbook/runbook.yaml pins. Prints what it found and, under GitHub Actions,
// writes `run`, `version` and `pinned` to $GITHUB_OUTPUT. An API error fails loudly (exit 1):
// a silent "nothing to do" would hide a broken lookup for months.
//
//   node --import tsx scripts/istio-release.ts [--settings runbook/runbook.yaml] [--minor 1.31]
//                                               [--version 1.31.2] [--force]
// --version: use this release (it must exist); --force: run even when it is the pinned one.
// Environment: GITHUB_API_URL (default https://api.github.com), GITHUB_TOKEN (optional),
// ISTIO_RELEASES_REPO (default istio/istio).
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

export interface Release {
  tag: string;
  publishedAt?: string;
  url?: string;
}

export interface Decision {
  run: boolean;
  version: string;
  pinned: string;
  reason: string;
}

export class LookupError extends Error {}

const MAX_PAGES = 10;
const VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** Every published (non-draft, non-prerelease) release, following the API's Link: rel="next" pages. */
export async function fetchReleases(api: string, repo: string, token?: string): Promise<Release[]> {
  const releases: Release[] = [];
  let url: string | undefined = `${api.replace(/\/$/, '')}/repos/${repo}/releases?per_page=100`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'runbook-regenerate', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new LookupError(`cannot reach ${url}: ${(e as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const message = safeJson(text)?.message ?? text.slice(0, 200);
      const limited = response.headers.get('x-ratelimit-remaining') === '0' ? ' (API rate limit exhausted; set GITHUB_TOKEN)' : '';
      throw new LookupError(`GET ${url} answered HTTP ${response.status}: ${message}${limited}`);
    }
    const data = safeJson(text);
    if (!Array.isArray(data)) throw new LookupError(`GET ${url}: expected a JSON list of releases, got ${text.slice(0, 80)}`);
    for (const item of data) {
      if (!item || typeof item.tag_name !== 'string') throw new LookupError(`GET ${url}: a release without tag_name`);
      if (item.draft || item.prerelease) continue;
      releases.push({ tag: item.tag_name, publishedAt: item.published_at ?? undefined, url: item.html_url ?? undefined });
    }
    url = nextPage(response.headers.get('link'));
  }
  return releases;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function nextPage(link: string | null): string | undefined {
  return link?.split(',').map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1]).find(Boolean);
}

const parts = (v: string) => VERSION.exec(v)!.slice(1).map(Number);
const compareVersions = (a: string, b: string) => parts(a).reduce((order, n, i) => order || n - parts(b)[i], 0);

/** The newest patch of `minor` (e.g. "1.31") among the releases. */
export function newestPatch(releases: Release[], minor: string): Release | undefined {
  const inLine = releases.filter((r) => VERSION.test(r.tag) && parts(r.tag).slice(0, 2).join('.') === minor);
  return inLine.sort((a, b) => parts(b.tag)[2] - parts(a.tag)[2])[0];
}

export function decide(releases: Release[], pinned: string, options: { minor?: string; version?: string; force?: boolean }): Decision {
  if (!VERSION.test(pinned)) throw new LookupError(`the pinned ISTIO_VERSION "${pinned}" is not a release number such as 1.31.1`);
  const bare = (v: string) => v.replace(/^v/, '');
  if (options.version) {
    const wanted = bare(options.version);
    if (!VERSION.test(wanted)) throw new LookupError(`--version ${options.version}: expected a release number such as 1.31.2`);
    if (!releases.some((r) => bare(r.tag) === wanted)) throw new LookupError(`Istio ${wanted} is not a published release`);
    const same = wanted === bare(pinned);
    return { run: !same || Boolean(options.force), version: wanted, pinned, reason: same ? `${wanted} is the pinned release${options.force ? '; regenerating anyway' : ''}` : `requested ${wanted} (pinned ${pinned})` };
  }
  const minor = options.minor ?? parts(pinned).slice(0, 2).join('.');
  const newest = newestPatch(releases, minor);
  if (!newest) throw new LookupError(`no published ${minor}.x release found; is the minor line right?`);
  const version = bare(newest.tag);
  const order = compareVersions(version, pinned);
  if (order > 0) return { run: true, version, pinned, reason: `newest ${minor} patch is ${version}${newest.publishedAt ? ` (published ${newest.publishedAt.slice(0, 10)})` : ''}; the tutorial pins ${pinned}` };
  const note = order < 0 ? `; the pinned ${pinned} is newer than any published ${minor} release` : '';
  return { run: Boolean(options.force), version: options.force ? version : pinned, pinned, reason: `the tutorial already pins the newest ${minor} patch, ${version}${note}` };
}

export function pinnedVersion(settingsFile: string): string {
  const settings = parse(readFileSync(settingsFile, 'utf8'));
  const pinned = settings?.vars?.ISTIO_VERSION;
  if (typeof pinned !== 'string') throw new LookupError(`${settingsFile}: no vars.ISTIO_VERSION`);
  return pinned;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { settings: { type: 'string', default: 'runbook/runbook.yaml' }, minor: { type: 'string' }, version: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  try {
    const pinned = pinnedVersion(values.settings!);
    const releases = await fetchReleases(process.env.GITHUB_API_URL || 'https://api.github.com', process.env.ISTIO_RELEASES_REPO || 'istio/istio', process.env.GITHUB_TOKEN || undefined);
    const decision = decide(releases, pinned, { minor: values.minor, version: values.version || undefined, force: values.force });
    process.stdout.write(`${decision.reason} → ${decision.run ? `regenerate for ${decision.version}` : 'nothing to do'}\n`);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `run=${decision.run}\nversion=${decision.version}\npinned=${decision.pinned}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof LookupError)) throw e;
    process.stderr.write(`istio-release: ${e.message}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
