// Where the outputs in the docs come from: a small committed record, `_readme/captured.json`
// beside the chapters, that `runbook run --write` updates after a passing run, and the sentence
// the rendered README shows from it. Without a record the README says plainly that no run has
// captured the outputs yet. Facts come from the run (RunResult.facts) and the engine's own
// version; nothing is guessed, and nothing is named that the run did not record.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../write/atomic-write.ts';
import { join } from 'node:path';
import { engineVersion } from '../install-root.ts';
import type { Runbook } from '../model.ts';
import type { RunResult } from '../execute/results.ts';
import { RunbookError } from '../errors.ts';
import { escapeInline } from './adoc-syntax.ts';

export const README_DIR = '_readme';
export const CAPTURE_RECORD = 'captured.json';

export interface CaptureRecord {
  capturedAt: string; // ISO time the run started
  target: string | null;
  kubernetesVersion?: string;
  istioVersion?: string;
  /** Version of the runbook engine that ran (its package.json). */
  engineVersion?: string;
  /** partial: --only/--from/--until/--tags limited the run, so only some outputs are from it. */
  scope: 'full' | 'partial';
}

export function captureRecordPath(runbook: Runbook): string {
  return join(runbook.root, README_DIR, CAPTURE_RECORD);
}

export function readCaptureRecord(runbook: Runbook): CaptureRecord | undefined {
  const path = captureRecordPath(runbook);
  if (!existsSync(path)) return undefined;
  let data: Partial<CaptureRecord>;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RunbookError(`cannot read the capture record: ${(e as Error).message}`, { file: path, line: 1 }, undefined, 'Fix the JSON, or delete the file and run `runbook run --write` again.');
  }
  if (typeof data.capturedAt !== 'string' || Number.isNaN(Date.parse(data.capturedAt))) {
    throw new RunbookError('the capture record has no valid capturedAt time', { file: path, line: 1 }, undefined, 'Run `runbook run --write` to record it again.');
  }
  return {
    capturedAt: data.capturedAt,
    target: typeof data.target === 'string' ? data.target : null,
    kubernetesVersion: typeof data.kubernetesVersion === 'string' ? data.kubernetesVersion : undefined,
    istioVersion: typeof data.istioVersion === 'string' ? data.istioVersion : undefined,
    engineVersion: typeof data.engineVersion === 'string' ? data.engineVersion : undefined,
    scope: data.scope === 'partial' ? 'partial' : 'full',
  };
}

/**
 * After `run --write`: records when, where and against which versions the outputs were captured.
 * Only a passing run counts, and only runbooks that keep README material (`_readme/`) get a record.
 * Returns the path written, or undefined.
 */
export function recordCapture(runbook: Runbook, result: RunResult, options: { partial: boolean }): string | undefined {
  if (result.status !== 'passed' || !existsSync(join(runbook.root, README_DIR))) return undefined;
  const fact = (name: string) => (typeof result.facts[name] === 'string' && result.facts[name] ? (result.facts[name] as string) : undefined);
  const record: CaptureRecord = {
    capturedAt: result.startedAt,
    target: result.target?.name ?? null,
    kubernetesVersion: fact('kubernetesVersion'),
    istioVersion: fact('istioVersion'),
    engineVersion: engineVersion(),
    scope: options.partial ? 'partial' : 'full',
  };
  const path = captureRecordPath(runbook);
  writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}

/** The provenance paragraph of the README. */
export function provenanceText(record: CaptureRecord | undefined): string {
  if (!record) {
    return [
      '[.provenance]',
      'NOTE: No run has captured the outputs in this document yet. What is shown under the commands is the output',
      'they are expected to print, labelled "Expected output", or an example written by its author, labelled "Example output"',
      '(where the run checks the output against a pattern, the example passes that pattern);',
      '`+runbook run --write+` replaces them with captured output and records here when, on which target and',
      'with which engine version it ran.',
    ].join('\n');
  }
  const inline = (text: string) => escapeInline(text, ' ', ' ');
  const when = record.capturedAt.replace(/\.\d+Z$/, 'Z').replace('T', ' ').replace(/Z$/, ' UTC');
  const on = record.target ? ` on the ${inline(record.target)} target` : '';
  // Only what the run recorded: the versions its facts held (a cluster's, when it used one).
  const versions = [
    record.kubernetesVersion ? `Kubernetes ${inline(record.kubernetesVersion)}` : undefined,
    record.istioVersion ? `Istio ${inline(record.istioVersion)}` : undefined,
  ].filter(Boolean);
  const seen = versions.length ? ` (${versions.join(', ')})` : '';
  const by = record.engineVersion ? `runbook ${inline(record.engineVersion)} (\`+runbook run --write+\`)` : '`+runbook run --write+`';
  const scope = record.scope === 'partial' ? ' That run covered only part of the runbook; other outputs are older or expected ones.' : '';
  return ['[.provenance]', `NOTE: Outputs last captured ${when}${on}${seen} by ${by}.${scope}`].join('\n');
}
