// What each directive accepts (contract §3). The reader validates against these specs; the
// handlers that run them live in their own files and are loaded only when a run needs them.

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
    check: (attrs) =>
      attrs.viewport && !/^\d+x\d+$/.test(attrs.viewport)
        ? `bad viewport=${attrs.viewport}: use WIDTHxHEIGHT such as 1280x800`
        : attrs.scale && !(Number(attrs.scale) > 0)
          ? `bad scale=${attrs.scale}: use a positive number such as 2`
          : !/\.png$/i.test(attrs.file ?? '.png')
            ? `file=${attrs.file} must be a .png`
            : undefined,
  },
};
