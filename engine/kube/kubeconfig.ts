// Reads the kubeconfig a shell step would see, with kubectl's loading rules, from an environment
// (the session's, not this process's): KUBECONFIG is a list of files, missing files are skipped,
// the first file to set current-context wins and the first file to define a name wins. Without
// KUBECONFIG it is $HOME/.kube/config. Plain YAML reading only, so the context guard stays cheap and
// never loads the Kubernetes client.
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface NamedContext {
  name: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  /** The file that defines it. */
  file: string;
}

export interface KubeconfigView {
  /** Every file the loading rules name, in order, whether it exists or not. */
  files: string[];
  /** The files that exist and were read. */
  read: string[];
  /** Files that exist but could not be parsed, with the reason. */
  broken: { file: string; reason: string }[];
  currentContext?: string;
  contexts: Map<string, NamedContext>;
  clusters: Map<string, { server?: string; file: string }>;
  /** Where the configuration came from, for messages: `KUBECONFIG=a:b` or `/home/me/.kube/config`. */
  source: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string; user?: string; namespace?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

/** The files kubectl would read for this environment, in order, without duplicates. */
export function kubeconfigFiles(env: Record<string, string | undefined>, cwd = process.cwd()): string[] {
  const list = env.KUBECONFIG;
  if (list) return [...new Set(list.split(delimiter).filter(Boolean).map((f) => resolve(cwd, f)))];
  const home = env.HOME ?? env.USERPROFILE;
  return home ? [join(home, '.kube', 'config')] : [];
}

export function readKubeconfig(env: Record<string, string | undefined>, cwd = process.cwd()): KubeconfigView {
  const files = kubeconfigFiles(env, cwd);
  const view: KubeconfigView = {
    files,
    read: [],
    broken: [],
    contexts: new Map(),
    clusters: new Map(),
    source: env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : files[0] ?? '(no HOME, no KUBECONFIG)',
  };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // kubectl skips files that do not exist
    }
    let config: KubeconfigFile;
    try {
      config = (parse(text) ?? {}) as KubeconfigFile;
    } catch (e) {
      view.broken.push({ file, reason: (e as Error).message.split('\n')[0] });
      continue;
    }
    view.read.push(file);
    if (!view.currentContext && config['current-context']) view.currentContext = config['current-context'];
    for (const entry of config.contexts ?? []) {
      if (entry?.name && !view.contexts.has(entry.name)) view.contexts.set(entry.name, { name: entry.name, ...entry.context, file });
    }
    for (const entry of config.clusters ?? []) {
      if (entry?.name && !view.clusters.has(entry.name)) view.clusters.set(entry.name, { server: entry.cluster?.server, file });
    }
  }
  return view;
}

/** True when a context name matches a target's `context` glob (`*` any run of characters, `?` one). */
export function contextMatches(glob: string, name: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(name);
}
