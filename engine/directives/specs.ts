// What each directive accepts (contract §3). The reader validates against these specs; the
// handlers that run them live in their own files and are loaded only when a run needs them.

import { parseActions } from '../browser/actions.ts';
import { parseThreshold } from '../browser/settings.ts';

export interface DirectiveSpec {
  verb: string;
  /** Allowed values of the first word after the verb (e.g. `wait rollout`); none when absent. */
  subjects?: string[];
  attrs: string[];
  required?: string[];
  flags?: string[];
  /** Extra checks of attribute values; return an error message or undefined. */
  check?(attrs: Record<string, string>, subject: string | undefined): string | undefined;
}

/** Attributes every directive takes, like any step. */
export const STEP_ATTRS = ['id', 'timeout', 'target', 'tags'];
export const STEP_FLAGS = ['hidden'];

export const DIRECTIVE_SPECS: Record<string, DirectiveSpec> = {
  wait: {
    verb: 'wait',
    subjects: ['rollout', 'pods'],
    attrs: ['namespace', 'name', 'selector'],
    required: ['namespace'],
    check: (attrs, subject) =>
      subject === 'rollout' && attrs.selector ? 'wait rollout takes name=, not selector=' : subject === 'pods' && attrs.name ? 'wait pods takes selector=, not name=' : undefined,
  },
  ingress: { verb: 'ingress', attrs: ['namespace', 'service'] },
  'port-forward': {
    verb: 'port-forward',
    attrs: ['service', 'namespace', 'port', 'pod'],
    required: ['port'],
    check: (attrs) =>
      !/^\d{1,5}(:\d{1,5})?$/.test(attrs.port ?? '')
        ? `bad port=${attrs.port}: use LOCAL or LOCAL:REMOTE`
        : !attrs.service && !attrs.pod
          ? 'port-forward needs service= (or pod=)'
          : undefined,
  },
  screenshot: {
    verb: 'screenshot',
    attrs: ['url', 'file', 'login', 'wait-for', 'selector', 'viewport', 'scale', 'mask', 'threshold', 'actions'],
    required: ['url', 'file'],
    flags: ['full-page'],
    check: checkScreenshot,
  },
};

/** Values that can be judged before the run ($VAR values are judged when the step runs). */
function checkScreenshot(attrs: Record<string, string>): string | undefined {
  const literal = (v: string | undefined): v is string => v !== undefined && !v.includes('$');
  if (literal(attrs.viewport) && !/^\d+x\d+$/.test(attrs.viewport)) return `bad viewport=${attrs.viewport}: use WIDTHxHEIGHT such as 1280x800`;
  if (literal(attrs.scale) && !(Number(attrs.scale) > 0)) return `bad scale=${attrs.scale}: use a positive number such as 2`;
  if (literal(attrs.file) && !/\.png$/i.test(attrs.file)) return `file=${attrs.file} must be a .png`;
  if (literal(attrs.threshold) && parseThreshold(attrs.threshold) === undefined) {
    return `bad threshold=${attrs.threshold}: use a percentage such as 0.1% or a fraction such as 0.001`;
  }
  if (literal(attrs.actions)) {
    try {
      parseActions(attrs.actions);
    } catch (e) {
      return `bad actions=: ${(e as Error).message}`;
    }
  }
  return undefined;
}
