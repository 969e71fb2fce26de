import * as vscode from 'vscode';
import type { LogLevel, LogSink, Logger } from './logger';

/**
 * The "DevGuide Export" LogOutputChannel, and a stand-in for it that the
 * LanguageClient writes to (server log messages and protocol traces), so
 * those lines pass through the Logger — and its secret scrubbing — too.
 */

export function channelSink(channel: vscode.LogOutputChannel): LogSink {
  return {
    write(level: LogLevel, message: string) {
      channel[level](message);
    },
  };
}

export function loggingChannel(channel: vscode.LogOutputChannel, logger: Logger): vscode.LogOutputChannel {
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return channel.logLevel;
    },
    onDidChangeLogLevel: channel.onDidChangeLogLevel,
    trace: (message: string) => logger.trace(message),
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => logger.warn(message),
    error: (error: string | Error) => logger.error(typeof error === 'string' ? error : error.message),
    append: (value: string) => logger.info(value),
    appendLine: (value: string) => logger.info(value),
    replace: (value: string) => logger.info(value),
    clear: () => channel.clear(),
    show: (columnOrPreserve?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      if (typeof columnOrPreserve === 'boolean' || columnOrPreserve === undefined) channel.show(columnOrPreserve);
      else channel.show(columnOrPreserve, preserveFocus);
    },
    hide: () => channel.hide(),
    // The real channel belongs to the extension and is disposed with it.
    dispose: () => undefined,
  };
}
