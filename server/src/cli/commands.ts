import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { batchEntriesFromPlan, runBatch, type BatchProgress, type BatchResult } from '../app/batch';
import type { App } from '../app/compose';
import type { ExportOutcome } from '../app/exports';
import { ExportError } from '../errors';
import { isDatabaseAddress } from '../sources/sql/address';
import { checkTemplateFiles } from '../templates/check';
import type { Command, GlobalOptions } from './args';
import type { TeamCommand } from './teamArgs';
import { errorJson, formatBytes, jobDetailsText, jobLine, previewText, reviewLines } from './output';
import { exportRequestOf } from './request';

/**
 * Each CLI command: flags → the application layer → the result's JSON
 * (`--json`) or text. Exit codes: 0 done; 1 export failed; 2 usage or input
 * error; 3 review required or blocked.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, review: 3 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (live progress line). */
  stderrIsTty: boolean;
  /** Draws the live progress line in place on a terminal (the CLI's own control sequences; `text` is made safe). */
  liveLine?: (text: string, final: boolean) => void;
}

type AppCommand = Exclude<Command, { name: 'help' | 'version' | 'templates-check' } | TeamCommand<GlobalOptions>>;

export async function runAppCommand(command: AppCommand, app: App, io: CliIo, cwd: string): Promise<number> {
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  const json = command.global.json;
  switch (command.name) {
    case 'sessions': {
      const sessions = await app.transcripts.listSessions(isDatabaseAddress(command.file) ? command.file : resolve(cwd, command.file), command.session);
      if (json) print(sessions);
      else io.stdout(sessionsText(command.file, sessions));
      return EXIT.ok;
    }
    case 'preview': {
      const preview = await app.exports.previewOnly(exportRequestOf(command.file, command.options, cwd, command.global.redact));
      if (json) print(preview);
      else io.stdout(previewText(preview));
      // Not passing the review's checks is the review's answer (3), as for export.
      return preview.validation.passed && !preview.review.blocked ? EXIT.ok : EXIT.review;
    }
    case 'export': {
      const request = exportRequestOf(command.file, command.options, cwd, command.global.redact);
      return reportExport(await app.exports.exportNow(request, { yes: command.global.yes, force: command.global.force }), io, json);
    }
    case 'batch':
      return reportBatch(await batch(app, command, io, cwd), io, json);
    case 'templates-list': {
      const templates = await app.catalog.templates();
      if (json) print({ templates });
      else for (const t of templates) io.stdout(`${t.id.padEnd(16)} ${t.output.padEnd(17)} ${t.source.padEnd(9)} ${t.name}${t.valid ? '' : `  (invalid: ${t.problem})`}\n`);
      return EXIT.ok;
    }
    case 'jobs-list': {
      const filter = {
        ...(command.status ? { status: command.status } : {}),
        ...(command.destination ? { destinationId: command.destination } : {}),
        ...(command.destinationType ? { destinationType: command.destinationType } : {}),
        ...(command.since ? { since: command.since } : {}),
      };
      if (command.stats) {
        const stats = await app.jobs.stats(filter);
        if (json) print({ stats });
        else if (stats.length === 0) io.stdout('No export jobs match.\n');
        else {
          io.stdout(`${'destination type'.padEnd(18)} ${'status'.padEnd(12)} count\n`);
          for (const s of stats) io.stdout(`${s.destination_type.padEnd(18)} ${s.status.padEnd(12)} ${s.count}\n`);
        }
        return EXIT.ok;
      }
      const list = await app.jobs.list({ ...filter, limit: command.limit, offset: command.offset });
      if (json) print(list);
      else if (list.jobs.length === 0) io.stdout('No export jobs yet.\n');
      else for (const job of list.jobs) io.stdout(`${jobLine(job)}\n`);
      return EXIT.ok;
    }
    case 'jobs-show': {
      const details = await app.jobs.get(command.id);
      if (json) print(details);
      else io.stdout(jobDetailsText(details));
      return EXIT.ok;
    }
    case 'jobs-rollback':
      return rollback(app, command.id, command.global.yes, io, json);
    case 'store-import': {
      const result = await app.storeImport.fromFileStore(command.from);
      if (json) print(result);
      else {
        const { imported: i, read: r } = result;
        io.stdout(`Imported from ${result.from}: ${i.jobs} of ${r.jobs} jobs, ${i.audit} of ${r.audit} audit events, ${i.security} of ${r.security} security events (the rest were in the team store already).\n`);
      }
      return EXIT.ok;
    }
    case 'db-migrate': {
      const results = await app.migrations.run(command.destination);
      if (json) print({ destinations: results });
      else {
        for (const r of results) {
          const what = r.applied.length === 0 ? 'up to date' : `applied ${r.applied.map((m) => `${m.version} (${m.description})`).join(', ')}`;
          io.stdout(`${r.destination_id}: ${r.resource} ${what}\n`);
        }
      }
      return EXIT.ok;
    }
  }
}

export async function checkTemplates(files: string[], io: CliIo, cwd: string, json: boolean): Promise<number> {
  const results = await checkTemplateFiles(files.map((f) => resolve(cwd, f)));
  const errors = results.reduce((n, r) => n + r.issues.filter((i) => i.severity === 'error').length, 0);
  if (json) io.stdout(`${JSON.stringify({ files: results, errors }, null, 2)}\n`);
  else {
    for (const r of results) {
      if (r.issues.length === 0) io.stdout(`${r.file}: ok\n`);
      for (const i of r.issues) io.stdout(`${r.file}:${i.range.start.line + 1}:${i.range.start.character + 1}: ${i.severity} ${i.code}: ${i.message}\n`);
    }
  }
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

/** The export's JSON (seed §10.1: the job, with its review, statistics and validation) or its text. */
function reportExport(outcome: ExportOutcome, io: CliIo, json: boolean): number {
  const { preview } = outcome;
  const exitCode = exitOf(outcome);
  if (json) {
    const base =
      'job' in outcome
        ? { ...outcome.job }
        : { job_id: null, status: outcome.status, template_id: preview.template_id, destination_id: preview.destination_id, session_id: preview.session_id, filename: preview.filename };
    io.stdout(`${JSON.stringify({ ...base, review: preview.review, statistics: preview.statistics, validation: preview.validation, ...(outcome.error ? { error: outcome.error } : {}) }, null, 2)}\n`);
    return exitCode;
  }
  if (outcome.status === 'unchanged') {
    io.stdout(`Unchanged: ${preview.filename} already holds this output (only the export time differs); nothing written. --force writes it anyway.\n`);
  } else if (outcome.status === 'completed') {
    for (const w of preview.review.warnings) io.stderr(`  ! ${w.code}: ${w.message}\n`);
    const s = preview.statistics;
    const { job } = outcome;
    io.stdout(`Exported "${job.title}" → ${job.output_location ?? job.filename} (${job.action ?? preview.review.action}, ${formatBytes(s.file_size_bytes)}, ~${s.token_count} tokens, job ${job.job_id})\n`);
  } else if (outcome.status === 'failed') {
    io.stderr(`error ${outcome.error.code}: ${outcome.error.message} (job ${outcome.job.job_id})\n`);
  } else {
    for (const line of reviewLines(preview.review)) io.stderr(`${line}\n`);
    io.stderr(outcome.status === 'review_required' ? 'Review required: re-run with --yes to accept.\n' : `error ${outcome.error.code}: ${outcome.error.message}\n`);
  }
  return exitCode;
}

/**
 * Exit codes (README, "Exit codes"): 0 done (or nothing to write); 1 the
 * publish failed; 2 the command could not start (flags, files, ids); 3 the
 * export was reviewed and not let through — blocked for any reason (the
 * Bin, a limit such as CONTENT_TOO_LARGE, invalid output) or waiting for --yes.
 */
function exitOf(outcome: ExportOutcome): number {
  switch (outcome.status) {
    case 'completed':
    case 'unchanged':
      return EXIT.ok;
    case 'failed':
      return EXIT.failed;
    case 'review_required':
      return EXIT.review;
    case 'blocked':
      return EXIT.review;
  }
}

async function batch(app: App, command: Extract<Command, { name: 'batch' }>, io: CliIo, cwd: string): Promise<BatchResult> {
  const planPath = resolve(cwd, command.plan);
  let raw: unknown;
  try {
    const text = await readFile(planPath, 'utf8');
    raw = extname(planPath).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ExportError('INVALID_INPUT', `Cannot read batch plan ${command.plan}: ${error instanceof Error ? error.message.split('\n')[0] : 'error'}`, {
      recoverable: false,
    });
  }
  const progress = (p: BatchProgress) => {
    const text = `${p.phase === 'review' ? 'Reviewing' : 'Publishing'} ${p.done}/${p.total}`;
    if (io.stderrIsTty && io.liveLine) io.liveLine(text, p.done === p.total);
    else io.stderr(`${text}${p.item ? ` ${p.item.status} ${p.item.filename ?? p.item.source}` : ''}\n`);
  };
  return runBatch(app, batchEntriesFromPlan(raw, planPath), {
    acceptAll: command.global.yes,
    concurrency: command.concurrency,
    onProgress: progress,
    onReview: (reviews) => {
      if (command.global.json) return;
      io.stderr(`Batch review: ${reviews.length} export(s)\n`);
      for (const { index, review } of reviews) for (const line of reviewLines(review)) io.stderr(`  [${index}] ${line}\n`);
    },
  });
}

function reportBatch(result: BatchResult, io: CliIo, json: boolean): number {
  if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const r of result.results) {
      io.stdout(`[${r.index}] ${r.status.padEnd(15)} ${r.output_location ?? r.filename ?? r.source}${r.error ? `  ${r.error.code}: ${r.error.message}` : ''}\n`);
    }
    io.stdout(`Batch ${result.batch_id}: ${result.successful}/${result.total} exported, ${result.failed} not\n`);
  }
  if (result.failed === 0) return EXIT.ok;
  const onlyReview = result.results.every((r) => r.status === 'completed' || r.status === 'review_required' || r.status === 'blocked');
  return onlyReview ? EXIT.review : EXIT.failed;
}

async function rollback(app: App, jobId: string, yes: boolean, io: CliIo, json: boolean): Promise<number> {
  const job = await app.jobs.get(jobId);
  if (!yes) {
    const message = `Rolling back ${job.output_location ?? job.filename} (${job.action === 'UPDATE' ? 'restores the previous content' : 'deletes the exported file'}) needs --yes.`;
    if (json) io.stdout(`${JSON.stringify({ ...errorJson({ code: 'REVIEW_REQUIRED', message, recoverable: true }), job }, null, 2)}\n`);
    else io.stderr(`${message}\n`);
    return EXIT.review;
  }
  const updated = await app.jobs.rollback(jobId);
  if (json) io.stdout(`${JSON.stringify(updated, null, 2)}\n`);
  else io.stdout(`Rolled back ${updated.job_id}: ${updated.output_location ?? updated.filename}\n`);
  return EXIT.ok;
}

function sessionsText(file: string, summary: Awaited<ReturnType<App['transcripts']['listSessions']>>): string {
  const lines = [`${file}: ${summary.format}, ${summary.sessions.length} session(s)`];
  for (const s of summary.sessions) {
    const span = s.first_at && s.last_at ? `  ${s.first_at} – ${s.last_at}` : '';
    lines.push(`  ${s.id}  ${s.message_count ?? s.messages.length} message(s)${s.title ? `  "${s.title}"` : ''}${span}`);
    for (const m of s.messages) lines.push(`    ${m.id}  ${m.role.padEnd(9)} ${m.created_at}  ${m.blocks.map((b) => `${b.id}:${b.kind}`).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
