// The value checks the settings schema names with "format" (schemas/settings.schema.json) that
// JSON Schema cannot say by itself. They call the same functions the engine uses, so the schema
// and the engine can never disagree about what a duration or a threshold is.
import { parseDuration } from '../read/duration.ts';
import { parseThreshold, parseViewport } from '../browser/settings.ts';

const compiles = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

export const SCHEMA_FORMATS: Record<string, (value: string) => boolean> = {
  regex: compiles,
  'runbook-duration': (text) => parseDuration(text) !== undefined,
  'runbook-threshold': (text) => parseThreshold(text) !== undefined,
  'runbook-viewport': (text) => parseViewport(text) !== undefined,
  'runbook-positive-number': (text) => Number(text) > 0,
};
