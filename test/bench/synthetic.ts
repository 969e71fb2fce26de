/** The bench's input: synthetic chat_messages JSONL sessions. */

/**
 * A realistic-looking session of ≈ 200 bytes a message, so 5,000 messages
 * render to ≈ 1 MB (10^6 bytes, just under the default 1,000,000-character
 * content limit): questions of varied length, answers mixing prose, a
 * few non-ASCII characters and fenced code. Deterministic, so runs compare.
 */
const QUESTIONS = [
  (i: number) => `Question ${i}: how should the export of section ${i} handle retries and rate limits when it is slow?`,
  (i: number) => `Why does the watcher fire twice for file-${i}.ts when I save? It happens only on Windows — is that the editor or us?`,
  (i: number) => `Can you check step ${i} again? It looked off.`,
  (i: number) => `The test \`exports_${i}\` fails with "ENOENT: no such file" after the rename. What changed in the last commit?`,
];
const ANSWERS = [
  (i: number) =>
    `Step ${i}: keep a timer per document and reset it on change, so a burst of edits costs one run.\n\n\`\`\`ts\nconst t${i} = setTimeout(run, ${i % 97});\nclearTimeout(previous);\n\`\`\`\nThen validate when it fires, and report what it found.`,
  (i: number) =>
    `The rename is not atomic on that file system: write to a temp file in the same folder, fsync it, then rename — readers see the old file or the new one, never half of each (case ${i}). Windows needs a retry when a scanner holds the file.`,
  (i: number) =>
    `Two causes, both fixable:\n\n1. The watcher sees the temp file *and* the rename.\n2. The debounce is ${i % 50} ms, shorter than the editor's save.\n\n\`\`\`js\nwatcher.on('change', debounce(onChange, 150));\n\`\`\`\nThat keeps one event per save.`,
  (i: number) =>
    `Yes — the café's résumé example in fixture ${i} is NFC already; only the decomposed form needs normalising. I'd keep the check cheap and run it once, after rendering, not per message.`,
];

export function syntheticTranscript(messages: number): string {
  const rows: string[] = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < messages; i += 1) {
    const assistant = i % 2 === 1;
    const variant = (i * 7 + (i >> 3)) % 4;
    const content = assistant ? (ANSWERS[variant] as (i: number) => string)(i) : (QUESTIONS[variant] as (i: number) => string)(i);
    rows.push(
      JSON.stringify({
        id: `m${i}`,
        session_id: 'bench',
        surface: 'reasoning',
        agent_id: assistant ? 'planner' : null,
        role: assistant ? 'assistant' : 'user',
        content,
        metadata: {},
        created_at: new Date(start + i * 1000).toISOString(),
      }),
    );
  }
  return rows.join('\n');
}
