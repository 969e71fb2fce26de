import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/**
 * The review panel's preview in chromium (issue 16): the first render with
 * the preview of a 1 MB export, in fresh panels, and Show all of the whole
 * megabyte. Runs the browser test that measures it
 * (test/e2e/webview/panel.spec.mjs), which records its numbers
 * (test/e2e/webview/benchRecord.mjs). Needs `node build.mjs` and playwright-core
 * with chromium (`node test/e2e/setup.mjs`); says so instead of installing them.
 */
const ROOT = resolve(__dirname, '..', '..');
const PREVIEW_RENDER_BAR_MS = 50;
/** The part of the test's name that --grep selects it by. */
const TEST_NAME = "a 1 MB export's preview renders";

const recordSchema = z.object({
  kind: z.literal('webviewPreview'),
  initRenderMs: z.array(z.number()).min(1),
  showAllRenderMs: z.object({ rendered: z.number(), raw: z.number() }),
});

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function browserInstalled(): Promise<boolean> {
  const setup = (await import(pathToFileURL(join(ROOT, 'test', 'e2e', 'setup.mjs')).href)) as { hostPaths: () => { playwrightCore: string; chromium: string } };
  const paths = setup.hostPaths();
  return existsSync(paths.playwrightCore) && existsSync(paths.chromium);
}

export async function benchWebviewPreview(): Promise<string[]> {
  if (!(await browserInstalled())) {
    return ['Review panel preview in chromium: not measured — playwright-core or chromium is not installed here; `node test/e2e/setup.mjs` installs them.'];
  }
  const dir = await mkdtemp(join(tmpdir(), 'devguide-bench-webview-'));
  const file = join(dir, 'records.jsonl');
  try {
    const output: string[] = [];
    const exitCode = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, [join(ROOT, 'test', 'e2e', 'webview', 'run.mjs'), '--grep', TEST_NAME], {
        cwd: ROOT,
        env: { ...process.env, DEVGUIDE_E2E_BENCH_FILE: file },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('error', fail);
      child.on('exit', done);
    });
    const text = await readFile(file, 'utf8').catch(() => '');
    const records = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => recordSchema.parse(JSON.parse(line)));
    const record = records.at(-1);
    if (!record) throw new Error(`the panel's 1 MB preview test recorded nothing (exit ${exitCode}):\n${output.join('').split('\n').slice(-20).join('\n')}`);
    const ours = median(record.initRenderMs);
    return [
      `Review panel in chromium, first render with the preview of a 1 MB export (its first lines), fresh panels: median ${ours.toFixed(1)} ms ` +
        `(${record.initRenderMs.map((ms) => ms.toFixed(1)).join(', ')} ms; bar: ≤ ${PREVIEW_RENDER_BAR_MS} ms): ${ours <= PREVIEW_RENDER_BAR_MS ? 'meets the bar' : 'MISSES the bar'}. ` +
        `Show all of the whole 1 MB: rendered Markdown ${record.showAllRenderMs.rendered.toFixed(0)} ms, raw ${record.showAllRenderMs.raw.toFixed(0)} ms.`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
