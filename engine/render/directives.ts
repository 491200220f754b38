// Directives as a reader who runs things by hand sees them: the kubectl commands that do what
// the engine does through the API (`wait`, `ingress`, `port-forward`), and the screenshot as
// an image. Values keep their $VARS, which the reader's shell expands just as the run did.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DirectiveStep } from '../model.ts';
import { formatDuration } from '../read/duration.ts';
import { attrValue, listing, monospace } from './adoc-syntax.ts';
import { imageTarget } from './links.ts';
import { targetTitle } from './target-title.ts';
import type { ChapterContext } from './types.ts';
import { shellQuote } from '../execute/shell-scripts.ts';

const bash = (code: string, title?: string) => listing(code, { style: 'source,bash', title });

export function renderDirective(step: DirectiveStep, ctx: ChapterContext): string[] {
  switch (step.verb) {
    case 'wait':
      return [bash(waitCommand(step, ctx), targetTitle(step))];
    case 'ingress':
      return ingressCommands(step);
    case 'port-forward':
      return [bash(portForwardCommand(step), targetTitle(step))];
    case 'screenshot':
      return [screenshot(step, ctx)];
    default:
      return [];
  }
}

/** A shell word: bare when safe, in double quotes when it holds $VARS, else in single quotes. */
export function shellWord(value: string): string {
  if (/^[\w.\/:=,@%+-]+$/.test(value)) return value;
  if (/\$/.test(value) && !/["`\\]/.test(value)) return `"${value}"`;
  return shellQuote(value);
}

const namespaceFlag = (ns: string | undefined) => (ns ? `-n ${shellWord(ns)} ` : '');

function waitCommand(step: DirectiveStep, ctx: ChapterContext): string {
  const a = step.attrs;
  const timeout = `--timeout=${a.timeout ?? formatDuration(step.timeoutMs ?? ctx.runbook.settings.timeoutMs)}`;
  const ns = namespaceFlag(a.namespace);
  if (step.args[0] === 'pods') {
    const which = a.selector ? `-l ${shellWord(a.selector)}` : '--all';
    return `kubectl ${ns}wait --for=condition=ready pod ${which} ${timeout}`;
  }
  if (a.name) return `kubectl ${ns}rollout status deployment/${shellWord(a.name)} ${timeout}`;
  return `kubectl ${ns}wait --for=condition=available deployment --all ${timeout}`;
}

function portForwardCommand(step: DirectiveStep): string {
  const a = step.attrs;
  const resource = a.service ? `service/${shellWord(a.service)}` : `pod/${shellWord(a.pod)}`;
  return `kubectl ${namespaceFlag(a.namespace)}port-forward ${resource} ${a.port} &`;
}

function ingressCommands(step: DirectiveStep): string[] {
  const ns = shellWord(step.attrs.namespace ?? 'istio-system');
  const service = shellWord(step.attrs.service ?? 'istio-ingressgateway');
  const get = (path: string) => `$(kubectl -n ${ns} get service ${service} -o jsonpath='${path}')`;
  const only = targetTitle(step);
  const title = (text: string) => (only ? `${text} (${only.toLowerCase()})` : text);
  const loadBalancer = [
    `export INGRESS_HOST=${get('{.status.loadBalancer.ingress[0].ip}')}`,
    '# AWS load balancers have a host name instead of an IP address:',
    `export INGRESS_HOST=\${INGRESS_HOST:-${get('{.status.loadBalancer.ingress[0].hostname}')}}`,
    `export INGRESS_PORT=${get('{.spec.ports[?(@.name=="http2")].port}')}`,
    `export SECURE_INGRESS_PORT=${get('{.spec.ports[?(@.name=="https")].port}')}`,
    'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
  ];
  const portForward = [
    `kubectl -n ${ns} port-forward service/${service} 8080:http2 8443:https >/dev/null &`,
    'export INGRESS_HOST=127.0.0.1 INGRESS_PORT=8080 SECURE_INGRESS_PORT=8443',
    'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
  ];
  return [
    bash(loadBalancer.join('\n'), title("The ingress gateway's address, from its load balancer")),
    bash(portForward.join('\n'), title('Without a load balancer (as on kind), forward local ports to the gateway instead')),
  ];
}

function screenshot(step: DirectiveStep, ctx: ChapterContext): string {
  const file = step.attrs.file;
  const url = step.attrs.url;
  const absolute = resolve(ctx.cwd, file);
  if (!/\$/.test(file) && existsSync(absolute)) {
    const alt = `Screenshot of ${url}`;
    return `image::${imageTarget(file, ctx, ctx.cwd)}[${attrValue(alt)}]`;
  }
  return `NOTE: Screenshot not captured yet: the next \`+runbook run --write+\` takes ${monospace(url)} into ${monospace(file)}.`;
}
