import { appendFileSync } from 'node:fs';

/**
 * Measurements the e2e suites take in the real VS Code, for `npm run bench`
 * (test/bench/vscode.bench.ts): one JSON line each, appended to the file
 * named by DEVGUIDE_E2E_BENCH_FILE. Without it, nothing is written.
 */
export type BenchRecord =
  | { kind: 'activation'; ms: number }
  | { kind: 'reviewPanel'; firstRenderMs: number[]; bareWebviewMs: number[]; breakdown: string[] };

export function recordBench(record: BenchRecord): void {
  const file = process.env['DEVGUIDE_E2E_BENCH_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}
