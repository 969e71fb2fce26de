import { createDriveDestination } from '../../server/src/destinations/drive/destination';
import { driveDestinationSchema } from '../../server/src/destinations/driveDescriptor';
import { expectationOf } from '../../server/src/destinations/types';
import { startFakeDrive } from '../support/driveFake/server';

/**
 * Issue 15's speed bar, against the local stand-in for Drive and Google's
 * token endpoint (which checks each request's shape, so its own time is in
 * the numbers): the publish write of a 1 MB export — finding the file in
 * the folder, then a multipart upload — new files and updates alike.
 */

const PUBLISH_BAR_MS = 200;
const RUNS = 10;

const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;

export async function benchDrive(): Promise<string[]> {
  const fake = await startFakeDrive();
  try {
    const folder = fake.addFolder({ name: 'Bench' });
    const credentials = fake.tokens.authorizedUser();
    const config = driveDestinationSchema.parse({ id: 'wiki', type: 'drive', folderId: folder.id, rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl });
    const destination = createDriveDestination(config, { credentials: async () => credentials, credentialsEnvName: 'DEVGUIDE_SECRET_WIKI_OAUTH_CREDENTIALS' });
    const line = '- a line of an exported reasoning session, with `code` and **emphasis**\n';
    const megabyte = line.repeat(Math.ceil(1_000_000 / line.length)).slice(0, 1_000_000);
    const save = async (filename: string, content: string, jobId: string) =>
      destination.save({ filename, content, title: filename, metadata: {}, jobId, expected: expectationOf(await destination.fetchExisting(filename)) });

    await save('warm-up.md', megabyte, 'job_warmup');
    const created: number[] = [];
    const updated: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const expected = expectationOf(await destination.fetchExisting(`one-mb-${run}.md`));
      let start = performance.now();
      await destination.save({ filename: `one-mb-${run}.md`, content: megabyte, title: 'x', metadata: {}, jobId: `job_c${run}`, expected });
      created.push(performance.now() - start);
      const again = expectationOf(await destination.fetchExisting(`one-mb-${run}.md`));
      start = performance.now();
      await destination.save({ filename: `one-mb-${run}.md`, content: `${megabyte.slice(1)}!`, title: 'x', metadata: {}, jobId: `job_u${run}`, expected: again });
      updated.push(performance.now() - start);
    }
    const all = [...created, ...updated];
    const verdict = median(all) <= PUBLISH_BAR_MS ? 'meets' : 'MISSES';
    return [
      `Google Drive (local stand-in), publish write of a 1 MB export (find in the folder + multipart upload): median ${median(all).toFixed(1)} ms over ${all.length} ` +
        `(creates ${median(created).toFixed(1)}, updates ${median(updated).toFixed(1)} ms; bar: ≤ ${PUBLISH_BAR_MS} ms: ${verdict} it).`,
    ];
  } finally {
    await fake.close();
  }
}
