import { ExportError } from '../errors';
import { MAX_CONTENT_LENGTH } from '../model';

/**
 * What one render may take. Output size alone is not enough: three nested
 * `{{#each}}` over 1,000 messages render nothing yet run a billion bodies.
 * So every block body run is a step, checked against a step budget and,
 * every 1,024 steps, a time budget; what bodies produce is checked against
 * an output budget as it grows (nested bodies count again inside their
 * parents, so the budget is a multiple of the content limit) — the render
 * stops as soon as one is spent, not after building gigabytes.
 */

export interface RenderLimits {
  maxSteps: number;
  maxMs: number;
  maxOutputChars: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  // 5,000 messages × a few blocks each is ≈ 20,000 steps; a hundred times that is still not a runaway.
  maxSteps: 2_000_000,
  maxMs: 2_000,
  maxOutputChars: 4 * MAX_CONTENT_LENGTH,
};

export class RenderBudget {
  private steps = 0;
  private output = 0;
  private readonly limits: RenderLimits;
  private readonly deadline: number;

  constructor(
    private readonly templateId: string,
    limits: Partial<RenderLimits> = {},
  ) {
    this.limits = { ...DEFAULT_RENDER_LIMITS, ...limits };
    this.deadline = performance.now() + this.limits.maxMs;
  }

  step(): void {
    this.steps += 1;
    if (this.steps > this.limits.maxSteps) this.stop(`it ran more than ${this.limits.maxSteps.toLocaleString('en-US')} block bodies (loops nested over large lists?)`);
    if ((this.steps & 1023) === 0 && performance.now() > this.deadline) this.stop(`it took longer than ${this.limits.maxMs.toLocaleString('en-US')} ms`);
  }

  produced(chars: number): void {
    this.output += chars;
    if (this.output > this.limits.maxOutputChars) {
      throw new ExportError('CONTENT_TOO_LARGE', `Template "${this.templateId}" was stopped while rendering: its output passed ${this.limits.maxOutputChars.toLocaleString('en-US')} characters. Select fewer messages, or loop less.`, {
        details: { templateId: this.templateId, limit: this.limits.maxOutputChars },
        recoverable: false,
      });
    }
  }

  private stop(why: string): never {
    throw new ExportError('TEMPLATE_RENDER_FAILED', `Template "${this.templateId}" was stopped while rendering: ${why}.`, {
      details: { templateId: this.templateId, steps: this.steps },
      recoverable: false,
    });
  }
}
