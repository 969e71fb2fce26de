import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../../../server/src/clock';
import type { AuditEvent, JobRecord } from '../../../server/src/store/types';

export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'devguide-store-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/** Starts at `start` and moves one millisecond per reading, so every record gets a distinct time. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date(t++), monotonic: () => t };
}

export function makeJob(id: string, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    job_id: id,
    status: 'queued',
    source: '/transcripts/session.jsonl',
    session_id: 'session-1',
    message_ids: ['m1', 'm2'],
    template_id: 'markdown',
    destination_id: 'local',
    filename: `${id}.md`,
    title: `Job ${id}`,
    retry_count: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeAudit(id: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    event_id: id,
    timestamp: '2026-01-01T00:00:00.000Z',
    action: 'export.publish',
    resource: 'local:exports/a.md',
    status: 'success',
    actor: 'tester',
    metadata: {},
    ...overrides,
  };
}

/** The pid of a process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  if (pid === undefined) throw new Error('the child process got no pid');
  return pid;
}
