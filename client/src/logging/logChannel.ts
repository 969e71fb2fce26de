import type * as vscode from 'vscode';
import type { LogLevel, LogSink } from './logger';

/** The "DevGuide Export" LogOutputChannel as a sink of the Logger. */

export function channelSink(channel: vscode.LogOutputChannel): LogSink {
  return {
    write(level: LogLevel, message: string) {
      channel[level](message);
    },
  };
}
