import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * A LanguageClient that never shows its own error notifications: they carry
 * the error's stack (and a "Go to output" of their own). Everything it
 * reports still goes to the log; what it insists on showing ('force': the
 * server could not be started, say) goes to `tell`, as its message alone.
 */
export class QuietLanguageClient extends LanguageClient {
  private tell: ((message: string) => void) | undefined;

  constructor(id: string, name: string, serverOptions: ServerOptions, clientOptions: LanguageClientOptions, tell: (message: string) => void) {
    super(id, name, serverOptions, clientOptions);
    this.tell = tell;
  }

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, false);
    // Called during super() too, before `tell` is set.
    if (showNotification === 'force') this.tell?.(message);
  }
}
