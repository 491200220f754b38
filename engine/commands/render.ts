// `runbook render`: the rendered docs (README.adoc, HTML site). The renderer lands with the
// rendering work; until then the command says so instead of writing anything.
import { RunbookError } from '../errors.ts';
import { load } from './load.ts';

export interface RenderOptions {
  adoc?: string;
  html?: string;
  check?: boolean;
}

export async function renderCommand(path: string | undefined, _options: RenderOptions): Promise<number> {
  load(path); // still validates the runbook
  throw new RunbookError('render is not available in this build yet', undefined, 2, 'Use runbook list / check meanwhile.');
}
