import type { Diagnostic } from 'vscode-languageserver';
import type { TemplateIssue } from '../templates/types';
import { internalErrorDiagnostic, toDiagnostics } from './diagnostics';
import type { TemplateChecks } from './templateChecks';

/**
 * When to check which open template, per document.
 *
 * Latency: the quick pass runs at once on the first change after a quiet
 * period (leading edge), so an edit made while idle is answered in the time
 * of the analysis alone; changes arriving within `throttleMs` of that run
 * are coalesced into one trailing run that reads the newest text. A plain
 * trailing debounce would add its whole delay to every edit, and during
 * continuous typing would show nothing until the typing stops.
 *
 * The full pass (sample render) blocks the server for longer, so it waits
 * until the document has been quiet for `fullDelayMs`, and does not slow
 * down typing. Until it has run, quick results carry the previous full
 * pass's sample-render issues so they do not flicker on every keystroke.
 *
 * Stale results are dropped: every change or close bumps the document's
 * generation, and a result is published only if its generation is current.
 * A check that throws publishes one diagnostic saying so (never the old
 * list, which would be stale, nor an empty one, which would look clean).
 */

export interface VersionedText {
  readonly version: number;
  getText(): string;
}

export interface ValidationSchedulerOptions {
  documents: { get(uri: string): VersionedText | undefined };
  checks: TemplateChecks;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): Promise<void>;
  throttleMs: number;
  fullDelayMs: number;
  log(message: string): void;
  timers?: SchedulerTimers;
}

/** Time and timers, replaceable in tests. Each scheduling function returns its cancel function. */
export interface SchedulerTimers {
  now(): number;
  after(ms: number, run: () => void): () => void;
  /** After the messages already received are handled, so a burst that arrived together is checked once. */
  soon(run: () => void): () => void;
}

export const REAL_TIMERS: SchedulerTimers = {
  now: () => performance.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
  soon(run) {
    const immediate = setImmediate(run);
    return () => clearImmediate(immediate);
  },
};

interface DocumentState {
  generation: number;
  lastQuickStart: number;
  cancelQuick: (() => void) | undefined;
  cancelFull: (() => void) | undefined;
  /** SAMPLE_* issues of the last full pass, shown until the next one. */
  sampleIssues: TemplateIssue[];
}

export class ValidationScheduler {
  private readonly states = new Map<string, DocumentState>();
  private readonly timers: SchedulerTimers;

  constructor(private readonly options: ValidationSchedulerOptions) {
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** A document was opened or changed. */
  changed(uri: string): void {
    const state = this.stateOf(uri);
    state.generation += 1;
    state.cancelFull?.();
    state.cancelFull = undefined;
    if (state.cancelQuick !== undefined) return; // the pending run will read the newest text
    const wait = state.lastQuickStart + this.options.throttleMs - this.timers.now();
    const run = (): void => {
      state.cancelQuick = undefined;
      void this.runQuick(uri, state);
    };
    state.cancelQuick = wait <= 0 ? this.timers.soon(run) : this.timers.after(wait, run);
  }

  /** Runs every check now, bypassing the timers; resolves once the result is published (or dropped as stale). */
  async validateNow(uri: string): Promise<void> {
    const state = this.stateOf(uri);
    state.generation += 1;
    this.cancelTimers(state);
    await this.runFull(uri, state, state.generation);
  }

  /** A document was closed: forget it and clear its diagnostics. */
  async closed(uri: string): Promise<void> {
    const state = this.states.get(uri);
    if (state !== undefined) {
      state.generation += 1;
      this.cancelTimers(state);
      this.states.delete(uri);
    }
    this.options.checks.forget(uri);
    await this.publish(uri, undefined, []);
  }

  dispose(): void {
    for (const state of this.states.values()) {
      state.generation += 1;
      this.cancelTimers(state);
    }
    this.states.clear();
  }

  private async runQuick(uri: string, state: DocumentState): Promise<void> {
    const document = this.options.documents.get(uri);
    if (document === undefined || this.states.get(uri) !== state) return;
    const generation = state.generation;
    const version = document.version;
    state.lastQuickStart = this.timers.now();
    let result;
    try {
      result = await this.options.checks.quick(document.getText(), uri);
    } catch (error) {
      await this.publishFailure(uri, state, generation, version, error);
      return;
    }
    if (!this.isCurrent(uri, state, generation)) return;
    if (result.complete) state.sampleIssues = [];
    const carried = result.complete ? [] : state.sampleIssues;
    await this.publish(uri, version, toDiagnostics([...result.issues, ...carried]));
    if (!result.complete && this.isCurrent(uri, state, generation)) {
      state.cancelFull = this.timers.after(this.options.fullDelayMs, () => {
        state.cancelFull = undefined;
        void this.runFull(uri, state, generation);
      });
    }
  }

  private async runFull(uri: string, state: DocumentState, generation: number): Promise<void> {
    const document = this.options.documents.get(uri);
    if (document === undefined || !this.isCurrent(uri, state, generation)) return;
    const version = document.version;
    let issues: TemplateIssue[];
    try {
      issues = await this.options.checks.full(document.getText(), uri);
    } catch (error) {
      await this.publishFailure(uri, state, generation, version, error);
      return;
    }
    if (!this.isCurrent(uri, state, generation)) return;
    state.sampleIssues = issues.filter((issue) => issue.code.startsWith('SAMPLE_'));
    await this.publish(uri, version, toDiagnostics(issues));
  }

  private async publishFailure(uri: string, state: DocumentState, generation: number, version: number, error: unknown): Promise<void> {
    this.options.log(`Checking ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    state.sampleIssues = [];
    if (this.isCurrent(uri, state, generation)) await this.publish(uri, version, [internalErrorDiagnostic(error)]);
  }

  private async publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): Promise<void> {
    try {
      await this.options.publish(uri, version, diagnostics);
    } catch (error) {
      this.options.log(`Publishing diagnostics for ${uri} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private isCurrent(uri: string, state: DocumentState, generation: number): boolean {
    return this.states.get(uri) === state && state.generation === generation;
  }

  private stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (state === undefined) {
      state = { generation: 0, lastQuickStart: Number.NEGATIVE_INFINITY, cancelQuick: undefined, cancelFull: undefined, sampleIssues: [] };
      this.states.set(uri, state);
    }
    return state;
  }

  private cancelTimers(state: DocumentState): void {
    state.cancelQuick?.();
    state.cancelFull?.();
    state.cancelQuick = undefined;
    state.cancelFull = undefined;
  }
}
