// The objects one run shares between directive runners and run hooks, each in a typed field of
// its own (no lookups by string): the browser, Kubernetes clients, managed port-forwards, cluster
// facts and the leftovers check's snapshots. Type-only imports: nothing here loads a client.
import type { Browser } from 'playwright-core';
import type { KubeClients } from '../kube/client.ts';
import type { ClusterFacts } from '../kube/facts.ts';
import type { PodForwarder } from '../kube/forwarder.ts';
import type { ChapterSnapshot } from '../kube/leftovers.ts';

export class RunObjects {
  /** The run's headless browser, launched by the first screenshot and closed when the run ends. */
  browser?: Promise<Browser>;
  browserTeardownRegistered = false;

  /** API clients by what they were built from (context, kubeconfig files and their times, credentials). */
  readonly kubeClients = new Map<string, KubeClients>();
  /** `port-forward` directives, by local address. */
  readonly portForwards = new Map<string, { target: string; forwarder: PodForwarder }>();
  /** The ingress directive's fallback port-forwards, by context/namespace/service. */
  readonly ingressForwards = new Map<string, PodForwarder>();

  /** What is known about the cluster so far (kubernetesVersion, nodes, istioVersion). */
  facts: ClusterFacts = {};
  factsJob?: Promise<void>;
  factsSeenAt?: number;

  /** Before-chapter snapshots of the leftovers check, by chapter file. */
  readonly chapterSnapshots = new Map<string, ChapterSnapshot>();
}
