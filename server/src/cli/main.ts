import { ExportError, toExportError, type ErrorCode } from '../errors';
import { HELP_TEXT, parseCommandLine, UsageError, type Command } from './args';
import { checkTemplates, EXIT, runAppCommand, type CliIo } from './commands';
import { errorJson } from './output';
import { createCliApp, type CliEnvironment } from './runtime';
import { redactedIo } from './redactedOutput';
import { isTeamCommand, runTeamCommand } from './teamCommands';
import { terminalSafe } from './terminalText';

/**
 * The headless CLI: the same application layer as the language server,
 * in-process. Errors are one line (or a JSON object), never a stack.
 */

export { EXIT, type CliIo };

const VERSION = '0.1.0';

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

async function run(command: Exclude<Command, { name: 'help' | 'version' }>, io: CliIo, environment: CliEnvironment): Promise<number> {
  if (command.name === 'templates-check') return checkTemplates(command.files, io, environment.cwd, command.global.json);
  const { app, close } = await createCliApp(command.global, environment);
  try {
    return isTeamCommand(command) ? await runTeamCommand(command, app, io, environment) : await runAppCommand(command, app, io, environment.cwd);
  } finally {
    await close();
  }
}

export async function main(argv: string[], rawIo: CliIo, environment: CliEnvironment): Promise<number> {
  // `--json` asks for JSON even when the command line itself is wrong.
  const io = redactedIo(rawIo, argv.includes('--json'));
  try {
    return await runCommandLine(argv, io, environment);
  } finally {
    await io.flushed();
  }
}

async function runCommandLine(argv: string[], io: CliIo, environment: CliEnvironment): Promise<number> {
  const wantsJson = argv.includes('--json');
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      if (wantsJson) io.stdout(`${JSON.stringify(errorJson({ code: 'INVALID_INPUT', message: error.message, recoverable: false }), null, 2)}\n`);
      else io.stderr(`usage error: ${error.message}\nRun "devguide-export help" for usage.\n`);
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
    return await run(command, io, environment);
  } catch (thrown) {
    const error = toExportError(thrown);
    if (command.global.json) io.stdout(`${JSON.stringify(errorJson(error.toInfo()), null, 2)}\n`);
    else io.stderr(`error ${error.code}: ${error.message}\n`);
    if (error.code === 'BIN_BLOCKED') return EXIT.review;
    return INPUT_ERRORS.has(error.code) ? EXIT.usage : EXIT.failed;
  }
}

// Run when executed (node dist/cli.js …), not when imported by tests.
if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: end quietly, not with an EPIPE stack.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  main(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stderrIsTty: process.stderr.isTTY === true,
      liveLine: (text, final) => process.stderr.write(`\r\x1b[2K${terminalSafe(text)}${final ? '\n' : ''}`),
    },
    { cwd: process.cwd(), env: process.env },
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error INTERNAL_ERROR: ${error instanceof ExportError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
