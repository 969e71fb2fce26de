import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Issue 10 item 26: a one-shot CLI export pays for reading and parsing the
 * transcript in a fresh process. Its assembly stage is measured beside the
 * floor — a fresh `node` that only reads, decodes and JSON-parses each line
 * of the same file — both in new processes, as a user's CLI run is.
 */

const ROOT = resolve(__dirname, '..', '..');

const FLOOR_SCRIPT = `
const { readFileSync } = require('node:fs');
const start = performance.now();
const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(process.argv[1]));
let rows = 0;
for (const line of text.split('\\n')) if (line.trim() !== '') { JSON.parse(line); rows++; }
process.stdout.write(String(performance.now() - start));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** `runs` interleaved fresh processes of each; the file is a 5,000-row chat_messages JSONL. */
export function benchColdAssembly(file: string, storeDir: string, runs = 9): string {
  const assembly: number[] = [];
  const floor: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'preview', file, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, DEVGUIDE_EXPORT_STORE: storeDir },
      maxBuffer: 64 * 1024 * 1024,
    });
    const stages = (JSON.parse(cli.stdout) as { statistics: { stages_ms: Record<string, number> } }).statistics.stages_ms;
    assembly.push(stages['assemble'] ?? NaN);
    const base = spawnSync(process.execPath, ['-e', FLOOR_SCRIPT, file], { encoding: 'utf8' });
    floor.push(Number(base.stdout));
  }
  const a = median(assembly);
  const f = median(floor);
  const ratio = a / f;
  return `Cold one-shot assembly (a fresh CLI process, as a user's run), 5,000-row chat_messages JSONL: median ${a.toFixed(1)} ms vs read + decode + JSON.parse floor ${f.toFixed(1)} ms in a fresh process (×${ratio.toFixed(1)}; bar ≤ ×3): ${ratio <= 3 ? 'meets' : 'MISSES'} the bar.`;
}
