import type { PageTiming } from '../../../webview/src/protocol';

/**
 * Where the time from the command to the panel's first render went (issue
 * 5's bar: ≤ 300 ms for a 1 MB export), as one log line. Host times are
 * `performance.now()` of the extension host; the page's times are on its
 * own clock and are placed on the host's through both time origins (the
 * same wall clock when the browser runs on this machine, as in code-server
 * here or desktop VS Code).
 */

export interface HostTimes {
  /** performance.timeOrigin of the extension host. */
  timeOrigin: number;
  commandAt: number;
  panelCreatedAt: number;
  previewReadyAt: number;
  /** When the host got the page's `ready` (undefined: it never said it). */
  readyReceivedAt?: number;
  /** When the host got the page's `rendered`. */
  renderedReceivedAt: number;
}

export function describeFirstRender(filename: string, host: HostTimes, page: PageTiming): string {
  const sinceCommand = (at: number) => at - host.commandAt;
  // A page time (ms since its navigation start) → ms since the command, on the host's clock.
  const fromPage = (pageMs: number) => page.timeOrigin + pageMs - host.timeOrigin - host.commandAt;
  const ms = (value: number) => `${Math.round(value)}`;
  const span = (name: string, range: readonly [number, number] | undefined) =>
    range ? `, ${name} ${ms(fromPage(range[0]))}–${ms(fromPage(range[1]))}` : '';
  const pageStart = fromPage(0);
  const created = sinceCommand(host.panelCreatedAt);
  return (
    `Review panel for ${filename}: first render with its preview ${ms(sinceCommand(host.renderedReceivedAt))} ms after the command started ` +
    `(ms since the command: panel created ${ms(created)}, preview ready ${ms(sinceCommand(host.previewReadyAt))}, ` +
    `page loading from ${ms(pageStart)} (VS Code's webview frame: ${ms(pageStart - created)} ms)` +
    span('script', page.scriptMs) +
    span('style', page.styleMs) +
    `, script ready ${ms(fromPage(page.readyAtMs))}` +
    (host.readyReceivedAt === undefined ? '' : ` (host got it ${ms(sinceCommand(host.readyReceivedAt))})`) +
    `, init in page ${ms(fromPage(page.initAtMs))}, painted ${ms(fromPage(page.paintedAtMs))}).`
  );
}
