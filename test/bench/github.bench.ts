import { createGitHubDestination } from '../../server/src/destinations/github/destination';
import { githubDestinationSchema } from '../../server/src/destinations/githubDescriptor';
import type { Destination, SaveRequest } from '../../server/src/destinations/types';
import { startFakeGitHub, type FakeRepo } from '../support/githubFake';

/**
 * Issue 12's speed bars, against the local stand-in for GitHub (which also
 * checks every request against GitHub's OpenAPI description, so its own time
 * is in the numbers): the publish write of a 1 MB export (the contents API,
 * Octokit and its plugins included), and a batch of 50 files as one commit.
 */

const PUBLISH_BAR_MS = 200;
const BATCH_BAR_MS = 2000;
const RUNS = 10;

const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;
const fmt = (ms: number): string => ms.toFixed(1);

function request(filename: string, content: string, jobId: string): SaveRequest {
  return { filename, content, title: filename, metadata: {}, jobId, expected: { exists: false } };
}

/** A fresh stand-in on a new port: Octokit's write pacing (10 writes at once, then one a second, per API host) starts full. */
async function withFreshHost<T>(work: (destination: Destination, repo: FakeRepo) => Promise<T>): Promise<T> {
  const fake = await startFakeGitHub();
  try {
    const repo = fake.addRepo('acme/bench', { files: { 'README.md': '# Bench\n' } });
    const config = githubDestinationSchema.parse({ id: 'gh', type: 'github', repo: 'acme/bench', path: 'docs', baseUrl: fake.baseUrl });
    const result = await work(createGitHubDestination(config, { token: fake.token, workspaceRoot: process.cwd() }), repo);
    fake.assertNoViolations();
    return result;
  } finally {
    await fake.close();
  }
}

export async function benchGitHub(): Promise<string[]> {
  const line = '- a line of an exported reasoning session, with `code` and **emphasis**\n';
  const megabyte = line.repeat(Math.ceil(1_000_000 / line.length)).slice(0, 1_000_000);
  await withFreshHost((destination) => destination.save(request('warm-up.md', megabyte, 'job_warmup')));

  // Ten single writes: within the pacing's burst, as a person exporting now and then is.
  const publish = await withFreshHost(async (destination) => {
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      await destination.save(request(`one-mb-${run}.md`, megabyte, `job_onemb${run}`));
      samples.push(performance.now() - start);
    }
    return samples;
  });

  const batch: number[] = [];
  const commits: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    await withFreshHost(async (destination, repo) => {
      const files = Array.from({ length: 50 }, (_, i) => request(`batch-${i}.md`, `# File ${i}\n\n${line.repeat(40)}`, `job_b${run}x${i}`));
      const before = repo.history('main').length;
      const start = performance.now();
      await destination.saveBatch?.(files);
      batch.push(performance.now() - start);
      commits.push(repo.history('main').length - before);
    });
  }
  const verdict = (ms: number, bar: number) => (ms <= bar ? 'meets' : 'MISSES');
  const oneCommitEach = commits.every((c) => c === 1);
  return [
    `GitHub (local stand-in), publish write of a 1 MB export through the contents API: median ${fmt(median(publish))} ms over ${RUNS} (bar: ≤ ${PUBLISH_BAR_MS} ms: ${verdict(median(publish), PUBLISH_BAR_MS)} it).`,
    `GitHub (local stand-in), a batch of 50 files: median ${fmt(median(batch))} ms over 5, ${oneCommitEach ? 'one commit' : `commits ${commits.join(', ')}`} each (bar: ≤ ${BATCH_BAR_MS} ms and one commit: ${median(batch) <= BATCH_BAR_MS && oneCommitEach ? 'meets' : 'MISSES'} it). ` +
      'Past 10 writes in a row the client paces itself to one write a second per host, as GitHub asks; a batch makes 3.',
  ];
}
