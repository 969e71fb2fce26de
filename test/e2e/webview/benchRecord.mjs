import { appendFileSync } from 'node:fs';

/**
 * Measurements the panel's browser tests take, for `npm run bench`
 * (test/bench/webview.bench.ts): one JSON line each, appended to the file
 * named by DEVGUIDE_E2E_BENCH_FILE, as test/e2e/suite/benchRecord.ts does
 * for the VS Code suites. Without it, nothing is written.
 * @param {{ kind: 'webviewPreview', initRenderMs: number[], showAllRenderMs: { rendered: number, raw: number } }} record
 */
export function recordBench(record) {
  const file = process.env.DEVGUIDE_E2E_BENCH_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(record)}\n`);
}
