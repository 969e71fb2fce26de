import { Window } from 'happy-dom';

/**
 * A happy-dom window whose `document` the webview code sees as the global
 * one (it calls `document.createElement`), for the duration of a suite.
 * `install()` in `before`, `uninstall()` in `after`.
 */
export class DomEnvironment {
  readonly window = new Window({ url: 'https://panel.invalid/' });
  private previous: PropertyDescriptor | undefined;

  get document(): Document {
    return this.window.document as unknown as Document;
  }

  install(): void {
    this.previous = Object.getOwnPropertyDescriptor(globalThis, 'document');
    Object.defineProperty(globalThis, 'document', { value: this.document, configurable: true, writable: true });
  }

  async uninstall(): Promise<void> {
    if (this.previous) Object.defineProperty(globalThis, 'document', this.previous);
    else Reflect.deleteProperty(globalThis, 'document');
    await this.window.happyDOM.close();
  }
}
