import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { reviewToJson } from './bin/review';
import { HELP_TEXT, parseCommandLine, UsageError, type Command, type ExportOptions } from './cli/args';
import { errorJson, exportJson, formatBytes, jobLine, previewJson, reviewLines } from './cli/output';
import { createCliService, type CliEnvironment } from './cli/runtime';
import { ExportError, toExportError, type ErrorCode } from './errors';
import { batchEntriesFromPlan, runBatch, type BatchProgress } from './pipeline/batch';
import { wasPublished, type ExportRequest, type ExportService } from './service';
import { parseTranscriptBytes, toSessionsJson } from './sources';
import type { Store } from './store/types';
import { checkTemplateFiles } from './templates/check';

/**
 * The headless CLI: the same core as the language server, in-process.
 * Exit codes: 0 done; 1 export failed; 2 usage or input error; 3 review
 * required or blocked. Errors are one line (or a JSON object), never a stack.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, review: 3 } as const;

/** Codes that mean the input (flags, files, ids) was wrong, not the export. */
const INPUT_ERRORS = new Set<ErrorCode>([
  'INVALID_INPUT',
  'UNKNOWN_FORMAT',
  'SESSION_NOT_FOUND',
  'MESSAGE_NOT_FOUND',
  'EMPTY_SELECTION',
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_INVALID',
  'SCHEMA_INVALID',
  'VALIDATION_FAILED',
  'CONTENT_TOO_LARGE',
  'DESTINATION_NOT_FOUND',
  'DESTINATION_CONFIG_INVALID',
  'JOB_NOT_FOUND',
  'UNTRUSTED_WORKSPACE',
]);

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (live progress line). */
  stderrIsTty: boolean;
}

const VERSION = '0.1.0';

function toRequest(file: string, options: ExportOptions, cwd: string): ExportRequest {
  const meta: Record<string, string> = {};
  for (const [key, value] of options.meta) meta[key] = value;
  const template = options.template;
  return {
    source: resolve(cwd, file),
    ...(options.session ? { sessionId: options.session } : {}),
    ...(options.messages ? { messageIds: options.messages } : {}),
    ...(options.blocks ? { blockIds: options.blocks } : {}),
    ...(template ? { template: template.endsWith('.hbs') ? resolve(cwd, template) : template } : {}),
    ...(options.dest ? { destination: options.dest } : {}),
    ...(options.out ? { outDir: resolve(cwd, options.out) } : {}),
    ...(options.filename ? { filename: options.filename } : {}),
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.author ? { author: options.author } : {}),
    ...(options.tag.length > 0 ? { tags: options.tag } : {}),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

async function withService<T>(
  global: { config?: string; store?: string },
  environment: CliEnvironment,
  work: (service: ExportService, store: Store) => Promise<T>,
): Promise<T> {
  const { service, store } = await createCliService(global, environment);
  try {
    return await work(service, store);
  } finally {
    await store.close();
  }
}

async function runCommand(command: Exclude<Command, { name: 'help' | 'version' }>, io: CliIo, environment: CliEnvironment): Promise<number> {
  const json = command.global.json;
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

  switch (command.name) {
    case 'sessions': {
      const path = resolve(environment.cwd, command.file);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        throw new ExportError('INVALID_INPUT', `Cannot read transcript ${command.file}.`, { recoverable: false });
      }
      const parsed = parseTranscriptBytes(bytes, command.file);
      const summary = toSessionsJson(parsed);
      if (json) print(summary);
      else {
        io.stdout(`${command.file}: ${summary.format}, ${summary.sessions.length} session(s)\n`);
        for (const s of summary.sessions) {
          io.stdout(`  ${s.id}  ${s.messages.length} message(s)${s.title ? `  "${s.title}"` : ''}\n`);
          for (const m of s.messages) {
            io.stdout(`    ${m.id}  ${m.role.padEnd(9)} ${m.created_at}  ${m.blocks.map((b) => `${b.id}:${b.kind}`).join(' ')}\n`);
          }
        }
      }
      return EXIT.ok;
    }

    case 'preview':
      return withService(command.global, environment, async (service) => {
        const request = toRequest(command.file, command.options, environment.cwd);
        if (command.global.redact) request.redact = true;
        const { prepared, review } = await service.previewExport(request);
        if (!review.blocked) await service.reject(review.transaction_id, 'preview only');
        if (json) print(previewJson(prepared, review));
        else {
          const p = prepared.preview;
          io.stdout(`${p.previewLines.join('\n')}\n`);
          if (p.moreLines > 0) io.stdout(`… ${p.moreLines} more lines\n`);
          io.stdout(`\n${prepared.filename}: ${formatBytes(p.statistics.file_size_bytes)}, ${p.statistics.line_count} lines, ~${p.statistics.token_count} tokens`);
          io.stdout(p.isUpdate ? `, UPDATE (+${p.diff?.additions ?? 0} −${p.diff?.deletions ?? 0})\n` : ', CREATE\n');
          for (const e of prepared.validation.errors) io.stdout(`  ✖ ${e.code}: ${e.message}\n`);
          for (const line of reviewLines(reviewToJson(review))) io.stdout(`${line}\n`);
        }
        return prepared.validation.valid ? EXIT.ok : EXIT.usage;
      });

    case 'export':
      return withService(command.global, environment, async (service) => {
        const request = toRequest(command.file, command.options, environment.cwd);
        if (command.global.redact) request.redact = true;
        const outcome = await service.export(request, { yes: command.global.yes });
        const review = reviewToJson(outcome.review);
        if (outcome.status === 'blocked') {
          const validationBlock = review.reason === 'CONTENT_TOO_LARGE' || review.reason === 'VALIDATION_FAILED';
          const code: ErrorCode = validationBlock ? (review.reason as ErrorCode) : 'BIN_BLOCKED';
          const error = new ExportError(code, review.reason_message ?? 'Blocked by the Bin.', {
            details: { reason: review.reason, errors: outcome.prepared.validation.errors },
            recoverable: false,
          }).toInfo();
          if (json) print(exportJson(outcome, error));
          else {
            for (const line of reviewLines(review)) io.stderr(`${line}\n`);
            io.stderr(`error ${code}: ${error.message}\n`);
          }
          return validationBlock ? EXIT.usage : EXIT.review;
        }
        if (outcome.status === 'review_required') {
          const error = new ExportError('REVIEW_REQUIRED', 'This export needs an explicit Accept: review it, then re-run with --yes.', {
            details: { risk_level: review.risk_level, action: review.action },
            recoverable: true,
          }).toInfo();
          if (json) print(exportJson(outcome, error));
          else {
            for (const line of reviewLines(review)) io.stderr(`${line}\n`);
            io.stderr('Review required: re-run with --yes to accept.\n');
          }
          return EXIT.review;
        }
        if (!wasPublished(outcome)) return EXIT.review;
        const { job } = outcome.run;
        if (outcome.status === 'failed') {
          const error = outcome.run.error?.toInfo() ?? { code: 'INTERNAL_ERROR' as const, message: 'export failed', recoverable: false };
          if (json) print(exportJson(outcome, error));
          else io.stderr(`error ${error.code}: ${error.message} (job ${job.job_id})\n`);
          return EXIT.failed;
        }
        if (json) print(exportJson(outcome));
        else {
          for (const w of review.warnings) io.stderr(`  ! ${w.code}: ${w.message}\n`);
          const stats = outcome.prepared.preview.statistics;
          io.stdout(
            `Exported "${outcome.prepared.title}" → ${job.output_location ?? job.filename} (${job.action ?? review.action}, ${formatBytes(stats.file_size_bytes)}, ~${stats.token_count} tokens, job ${job.job_id})\n`,
          );
        }
        return EXIT.ok;
      });

    case 'batch':
      return withService(command.global, environment, async (service) => {
        const planPath = resolve(environment.cwd, command.plan);
        let raw: unknown;
        try {
          const text = await readFile(planPath, 'utf8');
          raw = extname(planPath).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
        } catch (error) {
          throw new ExportError('INVALID_INPUT', `Cannot read batch plan ${command.plan}: ${error instanceof Error ? error.message.split('\n')[0] : 'error'}`, {
            recoverable: false,
          });
        }
        const entries = batchEntriesFromPlan(raw, planPath);
        const progress = (p: BatchProgress) => {
          const text = `${p.phase === 'review' ? 'Reviewing' : 'Publishing'} ${p.done}/${p.total}`;
          if (io.stderrIsTty) io.stderr(`\r\x1b[2K${text}${p.done === p.total ? '\n' : ''}`);
          else io.stderr(`${text}${p.item ? ` ${p.item.status} ${p.item.filename ?? p.item.source}` : ''}\n`);
        };
        const result = await runBatch(service, entries, {
          acceptAll: command.global.yes,
          concurrency: command.concurrency,
          onProgress: progress,
          onReview: (reviews) => {
            if (json) return;
            io.stderr(`Batch review: ${reviews.length} export(s)\n`);
            for (const { index, review } of reviews) {
              for (const line of reviewLines(reviewToJson(review))) io.stderr(`  [${index}] ${line}\n`);
            }
          },
        });
        if (json) print(result);
        else {
          for (const r of result.results) {
            io.stdout(`[${r.index}] ${r.status.padEnd(15)} ${r.output_location ?? r.filename ?? r.source}${r.error ? `  ${r.error.code}: ${r.error.message}` : ''}\n`);
          }
          io.stdout(`Batch ${result.batch_id}: ${result.successful}/${result.total} exported, ${result.failed} not\n`);
        }
        if (result.failed === 0) return EXIT.ok;
        const onlyReview = result.results.every((r) => r.status === 'completed' || r.status === 'review_required' || r.status === 'blocked');
        return onlyReview ? EXIT.review : EXIT.failed;
      });

    case 'templates-list':
      return withService(command.global, environment, async (service) => {
        const templates = await service.templates.list();
        if (json) print({ templates });
        else for (const t of templates) io.stdout(`${t.id.padEnd(16)} ${t.output.padEnd(17)} ${t.source.padEnd(9)} ${t.name}${t.valid ? '' : `  (invalid: ${t.problem})`}\n`);
        return EXIT.ok;
      });

    case 'templates-check': {
      const results = await checkTemplateFiles(command.files.map((f) => resolve(environment.cwd, f)));
      const errors = results.reduce((n, r) => n + r.issues.filter((i) => i.severity === 'error').length, 0);
      if (json) print({ files: results, errors });
      else {
        for (const r of results) {
          if (r.issues.length === 0) io.stdout(`${r.file}: ok\n`);
          for (const i of r.issues) {
            io.stdout(`${r.file}:${i.range.start.line + 1}:${i.range.start.character + 1}: ${i.severity} ${i.code}: ${i.message}\n`);
          }
        }
      }
      return errors > 0 ? EXIT.usage : EXIT.ok;
    }

    case 'jobs-list':
      return withService(command.global, environment, async (service) => {
        const jobs = await service.listJobs({
          ...(command.status ? { status: command.status } : {}),
          limit: command.limit,
          offset: command.offset,
        });
        if (json) print({ jobs, limit: command.limit, offset: command.offset });
        else if (jobs.length === 0) io.stdout('No export jobs yet.\n');
        else for (const job of jobs) io.stdout(`${jobLine(job)}\n`);
        return EXIT.ok;
      });

    case 'jobs-show':
      return withService(command.global, environment, async (service) => {
        const { job, audit } = await service.getJob(command.id);
        if (json) print({ ...job, audit_events: audit });
        else {
          io.stdout(`${jobLine(job)}\n`);
          for (const [key, value] of Object.entries(job)) io.stdout(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`);
          io.stdout('  audit:\n');
          for (const e of audit) io.stdout(`    ${e.timestamp}  ${e.action}  ${e.status}  ${e.resource}\n`);
        }
        return EXIT.ok;
      });

    case 'jobs-rollback':
      return withService(command.global, environment, async (service) => {
        const { job } = await service.getJob(command.id);
        if (!command.global.yes) {
          const message = `Rolling back ${job.output_location ?? job.filename} (${job.action === 'UPDATE' ? 'restores the previous content' : 'deletes the exported file'}) needs --yes.`;
          if (json) print({ ...errorJson({ code: 'REVIEW_REQUIRED', message, recoverable: true }), job });
          else io.stderr(`${message}\n`);
          return EXIT.review;
        }
        const updated = await service.rollbackJob(command.id);
        if (json) print(updated);
        else io.stdout(`Rolled back ${updated.job_id}: ${updated.output_location ?? updated.filename}\n`);
        return EXIT.ok;
      });
  }
}

export async function main(argv: string[], io: CliIo, environment: CliEnvironment): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`usage error: ${error.message}\nRun "devguide-export help" for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (command.name === 'help') {
    io.stdout(HELP_TEXT);
    return EXIT.ok;
  }
  if (command.name === 'version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  try {
    return await runCommand(command, io, environment);
  } catch (thrown) {
    const error = toExportError(thrown);
    if (command.global.json) io.stdout(`${JSON.stringify(errorJson(error.toInfo()), null, 2)}\n`);
    else io.stderr(`error ${error.code}: ${error.message}\n`);
    return INPUT_ERRORS.has(error.code) ? EXIT.usage : EXIT.failed;
  }
}

// Run when executed (node dist/cli.js …), not when imported by tests.
if (require.main === module) {
  main(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrIsTty: process.stderr.isTTY === true,
    },
    { cwd: process.cwd(), env: process.env },
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error INTERNAL_ERROR: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
