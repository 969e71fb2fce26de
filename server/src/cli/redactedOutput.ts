import { withoutSecrets } from '../governance/secretFreeRecords';
import type { CliIo } from './commands';
import { terminalSafe } from './terminalText';

/**
 * Everything the CLI prints passes the secret scan first (nothing it prints
 * repeats a token, issue 11 item 4). The scan is async (secretlint's API),
 * while commands write synchronously: writes are queued and run in order, and
 * `flushed()` resolves once all are out. Text for a terminal also loses the
 * control characters of user data (terminalText.ts); JSON.stringify already
 * escapes them in --json output.
 */
export interface RedactedIo extends CliIo {
  flushed(): Promise<void>;
}

export function redactedIo(io: CliIo, json: boolean): RedactedIo {
  let queue: Promise<void> = Promise.resolve();
  const later = (write: () => Promise<void>) => {
    queue = queue.then(write);
  };
  const forTerminal = (text: string) => (json ? text : terminalSafe(text));
  const liveLine = io.liveLine;
  return {
    stderrIsTty: io.stderrIsTty,
    stdout: (text) => later(async () => io.stdout(json ? await withoutSecrets(text) : terminalSafe(await withoutSecrets(text)))),
    stderr: (text) => later(async () => io.stderr(terminalSafe(await withoutSecrets(text)))),
    ...(liveLine ? { liveLine: (text: string, final: boolean) => later(async () => liveLine(forTerminal(await withoutSecrets(text)), final)) } : {}),
    flushed: () => queue,
  };
}
