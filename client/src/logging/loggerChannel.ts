import type * as vscode from 'vscode';
import type { Logger } from './logger';

/**
 * The "DevGuide Export" log channel as vscode-languageclient gets it: every
 * line it writes — its own, the server's window/logMessage, the server's
 * stdout/stderr, message traces — goes through the Logger, so known secrets
 * are scrubbed (a trace of devguide/getSecret holds one) and test hooks see
 * the lines. Stack frames are dropped: the log says what failed, not where.
 * The channel itself stays the extension's (dispose is a no-op here).
 */
export function loggerChannel(channel: vscode.LogOutputChannel, logger: Logger): vscode.LogOutputChannel {
  const line = (message: string | Error, args: readonly unknown[]): string =>
    withoutStackFrames([typeof message === 'string' ? message : message.message, ...args.map(String)].join(' '));
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return channel.logLevel;
    },
    onDidChangeLogLevel: channel.onDidChangeLogLevel,
    trace: (message, ...args) => logger.trace(line(message, args)),
    debug: (message, ...args) => logger.debug(line(message, args)),
    info: (message, ...args) => logger.info(line(message, args)),
    warn: (message, ...args) => logger.warn(line(message, args)),
    error: (message, ...args) => logger.error(line(message, args)),
    append: (value) => logger.info(line(value, [])),
    appendLine: (value) => logger.info(line(value, [])),
    replace: (value) => {
      channel.clear();
      logger.info(line(value, []));
    },
    clear: () => channel.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      if (typeof columnOrPreserveFocus === 'number') channel.show(columnOrPreserveFocus, preserveFocus);
      else channel.show(columnOrPreserveFocus);
    },
    hide: () => channel.hide(),
    dispose: () => undefined,
  };
}

/** Removes the "    at …" lines of a stack trace from a log text. */
export function withoutStackFrames(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^\s+at\s/.test(l))
    .join('\n')
    .trimEnd();
}
