import type { PanelDestination, PanelError, PanelFields, PanelMode, PanelPhase, PanelPreview, PanelSource, PanelTemplate } from './protocol';

/** Everything the panel shows; views are functions of it. */
export interface Model {
  preview: PanelPreview;
  templates: PanelTemplate[];
  destinations: PanelDestination[];
  fields: PanelFields;
  /** What was selected, when the host said (init's `source`). */
  source: PanelSource | null;
  /** The field revision `preview` was made from. */
  revision: number;
  /** The newest field revision sent to the host. */
  sentRevision: number;
  /** A redaction was asked for and its preview has not arrived. */
  redacting: boolean;
  previewError: PanelError | null;
  phase: PanelPhase;
  /** A preview (no Accept until Export…) or a review. */
  mode: PanelMode;
  view: 'rendered' | 'raw';
  /** The whole content of `preview`, once "Show all" fetched it. */
  fullContent: string | null;
  loadingAll: boolean;
  /** The outcome of the last button, when it needs saying (e.g. an Accept refused). */
  notice: PanelError | null;
  /** The request in flight from an action button; buttons wait for it. */
  busy: string | null;
}

/** True while the preview on screen is older than the fields (or a redaction is pending). */
export function isUpdating(model: Model): boolean {
  return model.redacting || model.revision < model.sentRevision;
}

/** Why Accept is disabled, or null when it may be pressed. */
export function acceptBlocker(model: Model): string | null {
  if (model.phase.kind !== 'review') return 'The export was already accepted.';
  if (model.mode === 'preview') return 'This is a preview: choose Export… to review it for publishing.';
  if (isUpdating(model)) return 'Wait for the preview to update.';
  if (model.previewError) return 'The last preview failed; fix the fields first.';
  if (model.preview.review.blocked) return 'The review blocked this export.';
  if (!model.preview.validation.valid) return 'Fix the validation errors first.';
  if (model.busy) return 'Working…';
  return null;
}

export interface Actions {
  accept(): void;
  reject(): void;
  /** Preview → review: Accept becomes available. */
  startReview(): void;
  viewDiff(): void;
  viewContent(): void;
  redact(): void;
  retry(): void;
  openResult(): void;
  showAll(): void;
  setView(view: 'rendered' | 'raw'): void;
  openLink(url: string): void;
  /** A field changed; text fields debounce, pickers send at once. */
  editFields(fields: Partial<PanelFields>, immediate: boolean): void;
}
