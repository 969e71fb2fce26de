import { strict as assert } from 'node:assert';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { INTERNAL_ERROR_CODE } from '../../../server/src/language/diagnostics';
import type { QuickCheck, TemplateChecks } from '../../../server/src/language/templateChecks';
import { type SchedulerTimers, ValidationScheduler } from '../../../server/src/language/validationScheduler';
import type { TemplateIssue } from '../../../server/src/templates/types';
import { messageOf } from './lspClient';

/** The diagnostics scheduler with a virtual clock: throttling, per-document timers, stale results, failures. */

class VirtualTimers implements SchedulerTimers {
  private time = 0;
  private nextId = 0;
  private readonly tasks = new Map<number, { at: number; run: () => void }>();

  now(): number {
    return this.time;
  }
  after(ms: number, run: () => void): () => void {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.time + ms, run });
    return () => this.tasks.delete(id);
  }
  soon(run: () => void): () => void {
    return this.after(0, run);
  }
  get pending(): number {
    return this.tasks.size;
  }
  /** Moves the clock, running due tasks in time order, and lets their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (due === undefined) break;
      this.tasks.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

class FakeDocuments {
  readonly docs = new Map<string, { version: number; text: string }>();
  set(uri: string, text: string): void {
    const version = (this.docs.get(uri)?.version ?? 0) + 1;
    this.docs.set(uri, { version, text });
  }
  get(uri: string) {
    const doc = this.docs.get(uri);
    return doc === undefined ? undefined : { version: doc.version, getText: () => doc.text };
  }
}

function issue(code: TemplateIssue['code'], message: string): TemplateIssue {
  return { code, message, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
}

interface Published {
  uri: string;
  version: number | undefined;
  diagnostics: Diagnostic[];
}

function setup(checks: Partial<TemplateChecks> = {}) {
  const timers = new VirtualTimers();
  const documents = new FakeDocuments();
  const published: Published[] = [];
  const log: string[] = [];
  const calls = { quick: [] as string[], full: [] as string[] };
  const scheduler = new ValidationScheduler({
    documents,
    checks: {
      quick: checks.quick ?? ((text) => {
        calls.quick.push(text);
        return { issues: [issue('HBS_SYNTAX', `quick:${text}`)], complete: false };
      }),
      full: checks.full ?? ((text) => {
        calls.full.push(text);
        return [issue('HBS_SYNTAX', `quick:${text}`), issue('SAMPLE_OUTPUT_INVALID', `sample:${text}`)];
      }),
      forget: () => undefined,
    },
    publish: async (uri, version, diagnostics) => {
      published.push({ uri, version, diagnostics });
    },
    throttleMs: 100,
    fullDelayMs: 300,
    log: (message) => log.push(message),
    timers,
  });
  const change = (uri: string, text: string): void => {
    documents.set(uri, text);
    scheduler.changed(uri);
  };
  return { timers, documents, published, log, calls, scheduler, change };
}

const messages = (p: Published | undefined): string[] => (p?.diagnostics ?? []).map(messageOf);

describe('ValidationScheduler', () => {
  it('checks the first change at once, then coalesces a burst into one trailing check of the newest text', async () => {
    const { timers, published, calls, change } = setup();
    change('a', 'v1');
    await timers.advance(0);
    assert.deepEqual(calls.quick, ['v1']);
    assert.deepEqual(published.map((p) => p.version), [1]);

    change('a', 'v2');
    await timers.advance(30);
    change('a', 'v3');
    await timers.advance(30);
    change('a', 'v4');
    assert.deepEqual(calls.quick, ['v1'], 'nothing runs within the throttle window');
    await timers.advance(40); // 100 ms after the first run
    assert.deepEqual(calls.quick, ['v1', 'v4']);
    assert.deepEqual(published.map((p) => p.version), [1, 4]);
  });

  it('keeps one timer per document: a burst in one file does not delay another', async () => {
    const { timers, calls, published, change } = setup();
    change('a', 'a1');
    await timers.advance(0);
    change('a', 'a2'); // throttled until t=100
    change('b', 'b1'); // idle: at once
    await timers.advance(0);
    assert.deepEqual(calls.quick, ['a1', 'b1']);
    await timers.advance(100);
    assert.deepEqual(calls.quick, ['a1', 'b1', 'a2']);
    assert.deepEqual(published.map((p) => `${p.uri}@${p.version}`), ['a@1', 'b@1', 'a@2']);
  });

  it('runs the full check once the document is quiet, and carries its sample issues into later quick results', async () => {
    const { timers, calls, published, change } = setup();
    change('a', 'v1');
    await timers.advance(0);
    await timers.advance(299);
    assert.deepEqual(calls.full, []);
    await timers.advance(1);
    assert.deepEqual(calls.full, ['v1']);
    assert.deepEqual(messages(published.at(-1)), ['quick:v1', 'sample:v1']);

    change('a', 'v2');
    await timers.advance(0);
    assert.deepEqual(messages(published.at(-1)), ['quick:v2', 'sample:v1'], 'no flicker while the sample render waits');
    change('a', 'v3'); // typing again postpones the full check
    await timers.advance(250);
    assert.deepEqual(calls.full, ['v1']);
    await timers.advance(400);
    assert.deepEqual(calls.full, ['v1', 'v3']);
    assert.deepEqual(messages(published.at(-1)), ['quick:v3', 'sample:v3']);
  });

  it('skips the full check when the quick one is complete (static errors stop the sample render)', async () => {
    const { timers, published, calls, change } = setup({
      quick: (text) => ({ issues: [issue('HBS_UNCLOSED_BLOCK', text)], complete: true }),
    });
    change('a', 'v1');
    await timers.advance(1_000);
    assert.deepEqual(calls.full, []);
    assert.equal(published.length, 1);
    assert.equal(timers.pending, 0);
  });

  it('drops a result when a newer version arrived while it was being computed', async () => {
    const pending: { text: string; resolve: (r: QuickCheck) => void }[] = [];
    const { timers, published, change } = setup({
      quick: (text) => new Promise<QuickCheck>((resolve) => pending.push({ text, resolve })),
    });
    change('a', 'old');
    await timers.advance(0);
    change('a', 'new');
    await timers.advance(100);
    assert.deepEqual(pending.map((p) => p.text), ['old', 'new']);
    pending[1]?.resolve({ issues: [issue('HBS_SYNTAX', 'new')], complete: true });
    pending[0]?.resolve({ issues: [issue('HBS_SYNTAX', 'old')], complete: true });
    await settle();
    assert.deepEqual(published.map((p) => messages(p)), [['new']]);
  });

  it('publishes one internal-error diagnostic (and logs) when a check throws, replacing stale results', async () => {
    let fail = false;
    const { timers, published, log, change } = setup({
      quick: (text) => {
        if (fail) throw new Error('analyzer exploded');
        return { issues: [issue('HBS_SYNTAX', text)], complete: true };
      },
    });
    change('a', 'v1');
    await timers.advance(0);
    fail = true;
    change('a', 'v2');
    await timers.advance(100);
    const last = published.at(-1);
    assert.equal(last?.version, 2);
    assert.deepEqual(last?.diagnostics.map((d) => d.code), [INTERNAL_ERROR_CODE]);
    assert.match(messageOf(last?.diagnostics[0]), /analyzer exploded/);
    assert.match(log.join('\n'), /Checking a failed: Error: analyzer exploded/);
  });

  it('on close, cancels pending checks and clears the diagnostics', async () => {
    const { timers, published, calls, change, scheduler, documents } = setup();
    change('a', 'v1');
    await timers.advance(0);
    change('a', 'v2'); // pending trailing check
    documents.docs.delete('a');
    await scheduler.closed('a');
    await timers.advance(1_000);
    assert.deepEqual(calls.quick, ['v1']);
    assert.deepEqual(calls.full, []);
    assert.deepEqual(published.map((p) => [p.version, p.diagnostics.length]), [[1, 1], [undefined, 0]]);
    assert.equal(timers.pending, 0);
  });

  it('validateNow runs the full check at once and cancels the timers', async () => {
    const { timers, published, calls, change, scheduler } = setup();
    change('a', 'v1');
    await scheduler.validateNow('a');
    assert.deepEqual(calls, { quick: [], full: ['v1'] });
    assert.deepEqual(messages(published.at(-1)), ['quick:v1', 'sample:v1']);
    assert.equal(timers.pending, 0);
  });

  it('dispose cancels every timer', async () => {
    const { timers, calls, change, scheduler } = setup();
    change('a', 'v1');
    change('b', 'v1');
    scheduler.dispose();
    await timers.advance(1_000);
    assert.deepEqual(calls.quick, []);
    assert.equal(timers.pending, 0);
  });
});
