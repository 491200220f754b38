// $VAR / ${VAR} expansion of directive attributes from the session's environment.
export class UnsetVariableError extends Error {
  constructor(readonly variable: string) {
    super(`$${variable} is not set in the session`);
  }
}

export function expandVars(value: string, env: Record<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, bare) => {
    const name = braced ?? bare;
    if (!(name in env)) throw new UnsetVariableError(name);
    return env[name];
  });
}
