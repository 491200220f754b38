// `--context NAME`: every step and directive of the run uses NAME, and the user's kubeconfig is
// never written.
//
// How: the run gets a kubeconfig file of its own that holds only `current-context: NAME`, and the
// session's KUBECONFIG becomes that file followed by the user's files (their KUBECONFIG list, or
// ~/.kube/config). With kubectl's loading rules the first file that sets current-context wins and
// the clusters, users and contexts still come from the user's files, so kubectl, istioctl, helm and
// client-node all talk to NAME. Tools that change the current context (`kubectl config
// use-context`, `kind create cluster`) write it into the run's file, not the user's.
//
// One catch: tools that add a new cluster (kind, eksctl, aws eks update-kubeconfig) write it into
// the first existing file of KUBECONFIG, i.e. the run's file. Rather than lose those credentials,
// the file is then kept when the run ends and the run says where it is and how to merge it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { kubeconfigFiles } from './kubeconfig.ts';

export interface ContextOverlay {
  /** The environment for the session: the given one with KUBECONFIG pointing at the overlay first. */
  env: NodeJS.ProcessEnv;
  /** The run's own kubeconfig file. */
  path: string;
  /** Removes the file, or keeps it when tools wrote clusters into it; returns notes for the run's report. */
  close(): string[];
}

export function createContextOverlay(context: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): ContextOverlay {
  const directory = mkdtempSync(join(tmpdir(), 'runbook-kubeconfig-'));
  const path = join(directory, 'kubeconfig');
  const overlay = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], contexts: [], users: [], 'current-context': context };
  writeFileSync(path, stringify(overlay), { mode: 0o600 });
  const userFiles = kubeconfigFiles(env, cwd);
  let notes: string[] | undefined;
  return {
    env: { ...env, KUBECONFIG: [path, ...userFiles].join(delimiter) },
    path,
    close() {
      if (notes) return notes; // closed already
      let written: { clusters?: unknown[]; contexts?: { name?: string }[]; users?: unknown[] } = {};
      try {
        written = parse(readFileSync(path, 'utf8')) ?? {};
      } catch {
        /* gone or unreadable: nothing worth keeping */
      }
      const added = (written.clusters?.length ?? 0) + (written.contexts?.length ?? 0) + (written.users?.length ?? 0);
      if (added === 0) {
        rmSync(directory, { recursive: true, force: true });
        return (notes = []);
      }
      const names = (written.contexts ?? []).map((c) => c.name).filter(Boolean).join(', ');
      return (notes = [
        `a tool of the run added kube context(s) ${names || '(unnamed)'} to the run's kubeconfig ${path} (kept, since --context keeps ` +
          `your kubeconfig untouched); to keep them: KUBECONFIG=${path}${delimiter}${userFiles[0] ?? '~/.kube/config'} kubectl config view --flatten > merged && review merged`,
      ]);
    },
  };
}
