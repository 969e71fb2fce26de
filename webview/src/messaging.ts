/**
 * Request/reply over the webview's postMessage (DESIGN.md §9): every request
 * gets an id and a promise that the host's `reply` with that id settles.
 * Everything the host sends is checked with zod before anyone sees it.
 */
import {
  parseHostMessage,
  type HostMessage,
  type PanelError,
  type ReplyMessage,
  type WebviewMessage,
  type WebviewRequest,
} from './protocol';

/** What `acquireVsCodeApi()` returns (VS Code's webview API), typed for this panel. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export type HostEvent = Exclude<HostMessage, ReplyMessage>;

/** A reply that never came (the host went away, or a bug). */
const TIMEOUT_MS = 20_000;

export class Messenger {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: ReplyMessage) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly api: VsCodeApi,
    private readonly onEvent: (event: HostEvent) => void,
    private readonly onInvalid: (problem: string) => void,
  ) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  /** Sends a request; resolves with the host's reply (never rejects). */
  request(request: WebviewRequest): Promise<ReplyMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ type: 'reply', id, ok: false, error: timeoutError(request.type) });
      }, TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      this.api.postMessage({ ...request, id } as WebviewMessage);
    });
  }

  private receive(data: unknown): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      this.onInvalid(parsed.problem);
      return;
    }
    const message = parsed.value;
    if (message.type !== 'reply') {
      this.onEvent(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return; // timed out already
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    waiting.resolve(message);
  }
}

function timeoutError(type: string): PanelError {
  return { code: 'PANEL_ERROR', message: `The extension did not answer "${type}".`, recoverable: true };
}
