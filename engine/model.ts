// The runbook model: plain data produced by the readers and consumed by the planner, executor,
// writers and renderers. Nothing in here runs anything.

/** Where something stands in a source file. Offsets are UTF-16 indexes into the file text. */
export interface Position {
  file: string;
  line: number; // 1-based
  column?: number;
  offset?: number;
}

/** A byte-exact region of a source file, used for write-back splicing. */
export interface Span {
  start: number; // offset of the first character of the region
  end: number; // offset just past the region
}

export type StepKind = 'run' | 'verify' | 'background' | 'cleanup' | 'skip';
export type BlockKind = StepKind | 'expect-output' | 'output';
export type MatcherName = 'exact' | 'contains' | 'regex' | 'lines' | 'elided' | 'like';

/** Raw annotation of a fence or directive: the kind flag plus every attribute, as written. */
export interface Annotation {
  kind: BlockKind | null;
  flags: string[]; // other bare flags (hidden, full-page, …)
  attrs: Record<string, string>;
}

/** An `expect-output` or `output` block attached to a step. */
export interface OutputBlock {
  kind: 'expect-output' | 'output';
  position: Position;
  lang: string;
  match: MatcherName; // for expect-output; output blocks are compared with `like`
  text: string; // body as written (line endings normalised to \n)
  todo: boolean; // body is the TODO placeholder
  body: Span; // where the body text lives in the file (for splicing)
  eol: '\n' | '\r\n'; // the file's line ending, kept on write-back
  indent: string; // prefix of each body line in the file (fences nested in lists)
}

interface StepBase {
  id: string;
  /** True when the id was given with id=, false when derived from file and heading. */
  explicitId: boolean;
  position: Position;
  section: string[]; // heading path, outermost first
  timeoutMs?: number;
  intervalMs?: number;
  exit: number | 'any';
  targets: string[]; // empty = every target
  tags: string[];
  cwd?: string;
  hidden: boolean;
  streamStdoutOnly: boolean;
  expect?: OutputBlock;
  output?: OutputBlock;
}

/** A fenced code block that is a step: shell code run in the session. */
export interface CommandStep extends StepBase {
  type: 'command';
  kind: StepKind;
  lang: string;
  code: string;
  /** The file line of the code's first line (absent where lines were filtered out, e.g. AsciiDoc conditionals). */
  codeLine?: number;
  ready?: string; // background: regex of a ready line
  port?: number; // background: TCP port to wait for
  reason?: string; // skip
}

/** A native step written as a comment directive (`<!-- runbook: wait … -->`). */
export interface DirectiveStep extends StepBase {
  type: 'directive';
  kind: 'run';
  verb: string; // wait, ingress, port-forward, screenshot
  args: string[]; // positional words after the verb (e.g. `rollout`)
  attrs: Record<string, string>;
  flags: string[];
  span: Span; // the whole comment
}

export type Step = CommandStep | DirectiveStep;

export interface TargetSettings {
  name: string;
  context?: string; // glob on the kube context name; may use $VAR / ${VAR} from vars and --set
  requires: string[]; // tools `doctor` checks for this target
  position?: Position; // where the target is declared
}

/** What the leftovers check does when a chapter leaves objects behind (settings `leftovers:`). */
export type LeftoversMode = 'fail' | 'warn' | 'off';

export interface Settings {
  title?: string;
  vars: Record<string, string>;
  targets: TargetSettings[];
  timeoutMs: number;
  redact: string[];
  /** After each chapter on a cluster, compare what exists with what existed before it (default off). */
  leftovers: LeftoversMode;
  /** Every other key of the settings, for features that read their own (screenshot login, …). */
  extra: Record<string, unknown>;
  source?: Position;
}

/** An upstream page or file a chapter follows, with the release it was checked against. */
export interface ChapterSource {
  url: string;
  release?: string;
  note?: string;
  position: Position;
}

/** What a chapter's front matter says about it (directory runbooks; a single file's front matter may carry it too). */
export interface ChapterMeta {
  /** Chapters (file names without extension) that must run before this one. */
  needs: string[];
  /** Where each entry of `needs` is written (parallel to `needs`; absent without a `needs:` key). */
  needsAt?: Position[];
  sources: ChapterSource[];
  /** Objects the chapter intentionally leaves for later chapters (leftovers check). */
  leaves: string[];
  source?: Position;
}

/** A prose or structure element kept for rendering, in document order. */
export interface SourceFile {
  path: string; // absolute
  relPath: string; // relative to the runbook root
  format: 'markdown' | 'asciidoc';
  text: string;
  eol: '\n' | '\r\n';
  steps: Step[];
  chapter: ChapterMeta;
  /** Offset where the body starts (after front matter). */
  bodyStart: number;
}

export interface Runbook {
  root: string; // directory of the runbook (RUNBOOK_ROOT)
  path: string; // the path given (file or directory)
  settings: Settings;
  files: SourceFile[];
  steps: Step[]; // all steps of all files in run order
}

/** The runbook a command reads when given no path. */
export const DEFAULT_RUNBOOK_PATH = 'runbook/';

/** Step ids (fences and directives alike) name state files and --from targets: a safe alphabet only. */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_VERIFY_TIMEOUT_MS = 2 * 60_000;
export const DEFAULT_VERIFY_INTERVAL_MS = 2_000;
