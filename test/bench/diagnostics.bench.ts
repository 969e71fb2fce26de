import { type LspTestClient, startBuiltServer, tempWorkspace } from '../integration/lsp/lspClient';

/**
 * Diagnostics latency of the built language server over stdio: the time
 * from sending a didChange of a 500-line template to receiving its
 * publishDiagnostics. Each edit is made on an idle document (after the
 * previous edit's sample-render pass), like a user pausing between edits,
 * so the number is the quick pass's own latency; `withSampleRender` is the
 * time until the slower sample-render result (which waits for a quiet
 * period first, see server/src/language/validationScheduler.ts).
 */

export interface DiagnosticsBenchResult {
  median: number;
  p95: number;
  samples: number;
  withSampleRender: { median: number; p95: number; samples: number };
  templateLines: number;
}

const MEASURED_EDITS = 50;
const WARM_UP_EDITS = 5;
const TEMPLATE_LINES = 500;
/** Longer than the server's sample-render delay (300 ms). */
const SETTLE_MS = 600;

/** A long handbook-style template: prose, headings, loops, conditions and helpers, like a real one. */
export function benchTemplate(lines = TEMPLATE_LINES): { text: string; editableLines: number[] } {
  const out = [
    '---',
    'name: Handbook',
    'description: A long template with every selected message, per part.',
    'output: markdown',
    'extension: .md',
    'required_fields: [title]',
    'required_sections: [Summary]',
    '---',
    '# {{oneLine metadata.title}}',
    '',
    '## Summary',
    '',
  ];
  const editableLines: number[] = [];
  for (let part = 1; out.length < lines - 14; part += 1) {
    out.push(`### Part ${part}`, '');
    editableLines.push(out.length);
    out.push(
      'This part lists the messages of the selection with their role and time.',
      '',
      '{{#each messages}}',
      '- **{{upper role}}** at {{date created_at "datetime"}}{{#if agent_id}} (agent {{agent_id}}){{/if}}',
      '  {{truncate (oneLine content) 120}}',
      '  {{#each blocks}}{{#if (eq kind "code")}}{{codeFence content "ts"}}{{/if}}{{/each}}',
      '{{/each}}',
      '',
      '{{#if metadata.tags}}Tags: {{join metadata.tags ", "}}{{/if}}',
      `Selection: {{stats.message_count}} messages, ~{{stats.token_count}} tokens ({{slug metadata.title}}).`,
      '',
    );
  }
  while (out.length < lines) out.push('');
  return { text: out.join('\n'), editableLines };
}

/** Resolves once no diagnostics have arrived for `ms`. */
async function quietPeriod(client: LspTestClient, ms: number): Promise<void> {
  for (let seen = -1; seen !== client.published.length; ) {
    seen = client.published.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(samples: number[]): { median: number; p95: number; samples: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), samples: sorted.length };
}

export async function benchDiagnostics(edits = MEASURED_EDITS): Promise<DiagnosticsBenchResult> {
  const workspace = await tempWorkspace();
  let client: LspTestClient | undefined;
  try {
    const { text, editableLines } = benchTemplate();
    const uri = await workspace.write('.devguide/templates/handbook.hbs', text);
    client = startBuiltServer();
    await client.initialize(workspace.uri);
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    // Once its settings are loaded the server re-checks open templates
    // (validateNow), which replaces a pending quick pass: an edit racing it
    // would get one publication instead of two. Let that settle first.
    await quietPeriod(client, SETTLE_MS);

    const quick: number[] = [];
    const full: number[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < WARM_UP_EDITS + edits; i += 1) {
      const line = editableLines[i % editableLines.length] ?? 0;
      const old = lines[line] ?? '';
      const replacement = `This part (edit ${i}) lists the messages of the selection with their role and time.`;
      lines[line] = replacement;
      const since = client.published.length;
      const started = performance.now();
      const version = await client.edit(uri, { start: { line, character: 0 }, end: { line, character: old.length } }, replacement);
      const first = await client.waitForDiagnostics(uri, (p) => p.version === version, { sinceIndex: since });
      const quickMs = performance.now() - started;
      if (first.diagnostics.length > 0) throw new Error(`the bench template should be clean, got ${first.diagnostics.map((d) => d.code).join(', ')}`);
      // The sample-render result: the second publish of this version.
      const firstIndex = client.published.indexOf(first);
      await client.waitForDiagnostics(uri, (p) => p.version === version, { sinceIndex: firstIndex + 1 });
      const fullMs = performance.now() - started;
      if (i < WARM_UP_EDITS) continue;
      quick.push(quickMs);
      full.push(fullMs);
    }
    return { ...summary(quick), withSampleRender: summary(full), templateLines: lines.length };
  } finally {
    await client?.shutdown();
    await workspace.cleanup();
  }
}

// `node --import tsx test/bench/diagnostics.bench.ts` prints the numbers.
if (require.main === module) {
  benchDiagnostics().then(
    (r) => {
      console.log(
        `didChange → publishDiagnostics, ${r.templateLines}-line template: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms over ${r.samples} edits;` +
          ` with the sample render: median ${r.withSampleRender.median.toFixed(1)} ms, p95 ${r.withSampleRender.p95.toFixed(1)} ms`,
      );
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
