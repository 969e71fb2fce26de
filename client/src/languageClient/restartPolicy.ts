/**
 * Whether a language server that stopped unexpectedly is started again: at
 * most `maxRestarts` times within `windowMs`. A server that keeps crashing
 * is left stopped (and the person told) rather than restarted in a loop.
 * Pure: the clock is passed in.
 */
export class RestartPolicy {
  private readonly restarts: number[] = [];

  constructor(
    private readonly maxRestarts = 3,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call when the server stopped unexpectedly; true means start it again (and counts that restart). */
  shouldRestart(): boolean {
    const now = this.now();
    while (this.restarts.length > 0 && now - (this.restarts[0] as number) >= this.windowMs) this.restarts.shift();
    if (this.restarts.length >= this.maxRestarts) return false;
    this.restarts.push(now);
    return true;
  }
}
