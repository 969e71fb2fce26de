/**
 * Issue 14's bars, against a local MariaDB: `jobs list --limit 50` over a
 * team store of 100,000 jobs (one page and its count, as the CLI and the
 * history view ask) ≤ 100 ms; recording a job's three store writes (queued,
 * running, completed) ≤ 20 ms.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from '../../server/src/store/types';
import { openTidbStore } from '../../server/src/store/tidb/openTidbStore';
import { JOB_COLUMNS, toSqlTime } from '../../server/src/store/tidb/storeSql';
import { MARIADBD, startMariaDb } from '../support/mariadb';

const JOBS = 100_000;
const LIST_BAR_MS = 100;
const WRITES_BAR_MS = 20;
const RUNS = 30;
const TYPES = ['local', 'github', 'tidb', 'drive'] as const;

function job(i: number, base: number): JobRecord {
  const created = new Date(base + i * 1_000).toISOString();
  return {
    job_id: `job_${String(i).padStart(6, '0')}`,
    status: i % 17 === 0 ? 'failed' : 'completed',
    source: '/transcripts/session.jsonl',
    session_id: `session-${i % 500}`,
    message_ids: ['m1', 'm2', 'm3'],
    template_id: 'markdown',
    destination_id: `dest-${i % 7}`,
    destination_type: TYPES[i % TYPES.length] as string,
    actor: `member-${i % 12}`,
    filename: `export-${i}.md`,
    title: `Export ${i}`,
    retry_count: 0,
    created_at: created,
    started_at: created,
    completed_at: created,
    owner: { pid: 1000 + (i % 50), host: `host-${i % 5}`, started_at: created },
  };
}

/** Rows as the store writes them (the same columns), inserted 2,000 a statement. */
function rowOf(record: JobRecord): unknown[] {
  return [
    record.job_id,
    record.status,
    record.destination_id,
    record.destination_type,
    record.template_id,
    record.filename,
    record.actor,
    null,
    toSqlTime(record.created_at),
    toSqlTime(record.started_at as string),
    toSqlTime(record.completed_at as string),
    record.owner?.host,
    record.owner?.pid,
    record.owner?.started_at,
    toSqlTime(record.created_at),
    JSON.stringify(record),
  ];
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] as number, p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] as number };
};

export async function benchTeamStore(): Promise<string[]> {
  if (!existsSync(MARIADBD)) return [`Team store: not measured (${MARIADBD} is missing; .ci/run installs mariadb-server).`];
  const server = await startMariaDb();
  const dir = await mkdtemp(join(tmpdir(), 'devguide-bench-store-'));
  try {
    const db = await server.newDatabase('bench_store');
    const store = await openTidbStore(
      { type: 'tidb', host: server.host, port: server.port, user: db.user, database: db.database, tls: false },
      { getSecret: async () => db.password, baseDir: dir },
    );
    try {
      await store.migrate();
      const connection = await db.connect();
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      for (let start = 0; start < JOBS; start += 2_000) {
        const rows = Array.from({ length: Math.min(2_000, JOBS - start) }, (_, k) => rowOf(job(start + k, base)));
        await connection.query(`INSERT INTO export_jobs (job_id, ${JOB_COLUMNS.join(', ')}) VALUES ?`, [rows]);
      }
      await connection.query('ANALYZE TABLE export_jobs');
      await connection.end();

      // jobs list --limit 50: the newest page and the total, as Jobs.list asks the store.
      const list = async () => {
        const started = performance.now();
        const [page, total] = await Promise.all([store.listJobs({ limit: 50, offset: 0 }), store.countJobs({})]);
        const elapsed = performance.now() - started;
        if (page.length !== 50 || total < JOBS) throw new Error('bench: unexpected page');
        return elapsed;
      };
      await list();
      const listSamples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) listSamples.push(await list());
      const failedDay = async () => {
        const started = performance.now();
        await Promise.all([store.listJobs({ status: 'failed', since: new Date(base + (JOBS - 86_400) * 1_000).toISOString(), limit: 50 }), store.countJobs({ status: 'failed', since: new Date(base + (JOBS - 86_400) * 1_000).toISOString() })]);
        return performance.now() - started;
      };
      const byDest = async () => {
        const started = performance.now();
        await Promise.all([store.listJobs({ destinationId: 'dest-3', limit: 50 }), store.countJobs({ destinationId: 'dest-3' })]);
        return performance.now() - started;
      };
      const destSamples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) destSamples.push(await byDest());
      const byType = async () => {
        const started = performance.now();
        await Promise.all([store.listJobs({ destinationType: 'tidb', limit: 50 }), store.countJobs({ destinationType: 'tidb' }), store.jobStats({})]);
        return performance.now() - started;
      };
      const typeSamples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) typeSamples.push(await byType());
      const failedSamples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) failedSamples.push(await failedDay());

      // A job's three writes: queued (create), running, completed.
      const writeSamples: number[] = [];
      for (let run = 0; run < RUNS + 1; run += 1) {
        const record = { ...job(JOBS + run, base), status: 'queued' as const, owner: undefined };
        delete (record as Partial<JobRecord>).owner;
        const started = performance.now();
        await store.createJob(record);
        await store.updateJob(record.job_id, { status: 'running', started_at: new Date().toISOString() });
        await store.updateJob(record.job_id, { status: 'completed', completed_at: new Date().toISOString(), duration_ms: 1 });
        if (run > 0) writeSamples.push(performance.now() - started);
      }
      const l = stats(listSamples);
      const f = stats(failedSamples);
      const w = stats(writeSamples);
      const d = stats(destSamples);
      const ty = stats(typeSamples);
      return [
        `Team store (local MariaDB) of ${JOBS.toLocaleString('en-US')} jobs, jobs list --limit 50 (the page and its total): median ${l.median.toFixed(1)} / p95 ${l.p95.toFixed(1)} ms over ${RUNS} (bar ≤ ${LIST_BAR_MS} ms: ${l.median <= LIST_BAR_MS ? 'meets' : 'MISSES'} it); --failed-within 24h: median ${f.median.toFixed(1)} ms; --dest ID: median ${d.median.toFixed(1)} / p95 ${d.p95.toFixed(1)} ms; --type TYPE with --stats: median ${ty.median.toFixed(1)} / p95 ${ty.p95.toFixed(1)} ms.`,
        `Team store, a job's three writes (queued, running, completed): median ${w.median.toFixed(1)} / p95 ${w.p95.toFixed(1)} ms over ${RUNS} (bar ≤ ${WRITES_BAR_MS} ms: ${w.median <= WRITES_BAR_MS ? 'meets' : 'MISSES'} it).`,
      ];
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// Run alone: node --import tsx test/bench/teamStore.bench.ts
if (process.argv[1]?.endsWith('teamStore.bench.ts')) {
  void benchTeamStore().then((lines) => console.log(lines.join('\n')));
}
