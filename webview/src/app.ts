/**
 * The review panel's controller: holds the Model, turns host events into
 * model changes and button presses into requests, and re-renders.
 *
 * Field edits: Accept is disabled the moment a field changes (the preview
 * on screen no longer matches the fields), and the change is sent after a
 * 250 ms pause in typing. Each send carries a revision number; the host
 * echoes it with the preview, so a late answer to an older edit is ignored.
 */
import { byId, h, replaceChildren } from './dom';
import { Messenger, type HostEvent, type VsCodeApi } from './messaging';
import { acceptBlocker, isUpdating, type Actions, type Model } from './model';
import type { InitMessage, PageTiming, PanelError, PanelFields, ReplyMessage, WebviewRequest } from './protocol';
import { readViewState, type ViewState } from './state';
import { renderActions } from './views/actions';
import { renderMetadata, renderStatistics } from './views/details';
import { FieldsForm } from './views/fields';
import { renderBanners, renderHeader, statusText } from './views/header';
import { renderPhase } from './views/phase';
import { renderPreview } from './views/preview';
import { renderImpact, renderValidation, renderWarnings } from './views/problems';
import { renderSource } from './views/source';

export const FIELD_DEBOUNCE_MS = 250;

export class App {
  private model: Model | null = null;
  private readonly messenger: Messenger;
  private viewState: ViewState;
  private readonly fields: FieldsForm;
  private revisionCounter = 0;
  private filenameEdited = false;
  private pendingFields: Partial<PanelFields> = {};
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private previewKey = '';
  private renderedPhase: string | null = null;
  private scrollRestored = false;
  private renderReported = false;
  private readyAtMs = 0;
  private initAtMs = 0;
  private readonly slots: Record<'header' | 'banners' | 'warnings' | 'phase' | 'preview' | 'source' | 'statistics' | 'validation' | 'impact' | 'metadata' | 'actions' | 'status', HTMLElement>;

  constructor(
    private readonly api: VsCodeApi,
    root: HTMLElement,
  ) {
    this.viewState = readViewState(api.getState());
    this.messenger = new Messenger(api, (event) => this.onEvent(event), (problem) => this.onInvalid(problem));
    this.fields = new FieldsForm(this.actions);

    const slot = (id: string, tag: 'div' | 'section' = 'div') => h(tag, { attrs: { id: `slot-${id}` } });
    this.slots = {
      header: slot('header'),
      banners: slot('banners'),
      warnings: slot('warnings'),
      phase: slot('phase'),
      preview: slot('preview'),
      source: slot('source'),
      statistics: slot('statistics'),
      validation: slot('validation'),
      impact: slot('impact'),
      metadata: slot('metadata'),
      actions: slot('actions'),
      status: h('div', { class: 'status muted', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } }),
    };
    replaceChildren(
      root,
      h(
        'div',
        { class: 'loading', attrs: { id: 'loading' } },
        h('vscode-progress-ring', { attrs: { 'aria-label': 'Loading the preview' } }),
        h('span', null, 'Loading the preview…'),
      ),
      this.slots.header,
      this.slots.banners,
      this.slots.phase,
      this.slots.warnings,
      h(
        'div',
        { class: 'columns' },
        h('main', { class: 'main-column', attrs: { 'aria-label': 'Preview' } }, this.slots.preview),
        h('aside', { class: 'side-column', attrs: { 'aria-label': 'Details' } }, this.fields.element, this.slots.source, this.slots.statistics, this.slots.validation, this.slots.impact, this.slots.metadata),
      ),
      h('footer', { class: 'footer' }, this.slots.actions, this.slots.status),
    );
    root.classList.add('pending');

    let scrollTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('scroll', () => {
      clearTimeout(scrollTimer);
      scrollTimer = setTimeout(() => this.saveViewState({ scrollY: Math.round(window.scrollY) }), 150);
    });

    // The handshake: the host answers with `init`.
    this.readyAtMs = performance.now();
    void this.messenger.request({ type: 'ready' });
  }

  // ------------------------------------------------------------ host events

  private onEvent(event: HostEvent): void {
    switch (event.type) {
      case 'init':
        // The state primed while the page loaded, then again for its `ready`: keep what is on screen.
        if (this.model && event.preview.transaction_id === this.model.preview.transaction_id && event.revision <= this.model.revision) return;
        this.init(event);
        return;
      case 'previewUpdated': {
        const model = this.model;
        if (!model || event.revision < model.revision) return;
        const changedTx = model.preview.transaction_id !== event.preview.transaction_id;
        model.preview = event.preview;
        model.revision = event.revision;
        model.previewError = null;
        model.notice = null;
        if (event.revision >= model.sentRevision) model.redacting = false;
        if (changedTx) model.fullContent = null;
        if (!this.filenameEdited) {
          model.fields.filename = event.preview.filename;
          this.fields.showFilename(event.preview.filename);
        }
        this.render();
        if (changedTx && this.viewState.expanded) void this.fetchAll();
        return;
      }
      case 'previewFailed': {
        const model = this.model;
        if (!model || event.revision < model.revision) return;
        model.previewError = event.error;
        model.revision = event.revision;
        if (event.revision >= model.sentRevision) model.redacting = false;
        this.render();
        return;
      }
      case 'mode':
        if (!this.model) return;
        this.model.mode = event.mode;
        this.render();
        // The new button renders its shadow DOM (and takes focus) after this task.
        if (event.mode === 'review') requestAnimationFrame(() => document.getElementById('accept')?.focus());
        return;
      case 'progress':
        if (!this.model) return;
        this.model.phase = { kind: 'running', stage: event.stage, message: event.message };
        this.render();
        return;
      case 'result':
        if (!this.model) return;
        this.model.phase = event.error ? { kind: 'done', job: event.job, error: event.error } : { kind: 'done', job: event.job };
        this.model.busy = null;
        this.render();
        return;
    }
  }

  private init(message: InitMessage): void {
    performance.mark('devguide:init-received');
    if (!this.renderReported) this.initAtMs = performance.now();
    const previous = this.model;
    this.revisionCounter = Math.max(this.revisionCounter, message.revision);
    clearTimeout(this.debounce);
    this.pendingFields = {};
    this.filenameEdited = previous ? this.filenameEdited : message.fields.filename !== message.preview.filename;
    this.model = {
      preview: message.preview,
      templates: message.templates,
      destinations: message.destinations,
      fields: message.fields,
      source: message.source ?? null,
      revision: message.revision,
      sentRevision: message.revision,
      redacting: false,
      previewError: message.previewError ?? null,
      phase: message.phase,
      mode: message.mode ?? 'review',
      view: this.viewState.view,
      fullContent: null,
      loadingAll: false,
      notice: null,
      busy: null,
    };
    this.previewKey = '';
    document.getElementById('app')?.classList.remove('pending');
    this.render();
    performance.mark('devguide:init-rendered');
    const measure = performance.measure('devguide:init', 'devguide:init-received', 'devguide:init-rendered');
    document.body.dataset['initRenderMs'] = measure.duration.toFixed(1);
    if (!this.renderReported) {
      // Tell the host once the first state is on screen (it logs the time from the command).
      this.renderReported = true;
      requestAnimationFrame(() => void this.messenger.request({ type: 'rendered', timing: pageTiming(this.readyAtMs, this.initAtMs, performance.now()) }));
    }
    if (!this.scrollRestored) {
      this.scrollRestored = true;
      if (this.viewState.scrollY > 0) requestAnimationFrame(() => window.scrollTo(0, this.viewState.scrollY));
    }
    if (this.viewState.expanded && message.preview.more_lines > 0) void this.fetchAll();
  }

  private onInvalid(problem: string): void {
    console.error(`DevGuide review panel: ignored a malformed message from the extension (${problem}).`);
    if (!this.model) return;
    this.model.notice = { code: 'PANEL_ERROR', message: 'The extension sent a message this panel does not understand.', recoverable: false };
    this.render();
  }

  // ------------------------------------------------------------ actions

  private readonly actions: Actions = {
    accept: () => {
      const model = this.model;
      if (!model || acceptBlocker(model) !== null) return;
      void this.run('accept', { type: 'accept', transactionId: model.preview.transaction_id }, () => {
        if (model.phase.kind === 'review') model.phase = { kind: 'running', stage: 'publish', message: 'Publishing…' };
      });
    },
    reject: () => {
      const model = this.model;
      if (model) void this.run('reject', { type: 'reject' });
    },
    startReview: () => {
      // The host answers with a `mode` event.
      if (this.model?.mode === 'preview') void this.run('startReview', { type: 'startReview' });
    },
    viewDiff: () => {
      const model = this.model;
      if (model) void this.run('viewDiff', { type: 'viewDiff', transactionId: model.preview.transaction_id });
    },
    viewContent: () => {
      const model = this.model;
      if (model) void this.run('viewContent', { type: 'viewContent', transactionId: model.preview.transaction_id });
    },
    redact: () => {
      const model = this.model;
      if (!model || model.redacting) return;
      model.redacting = true;
      this.render();
      void this.messenger.request({ type: 'redact', transactionId: model.preview.transaction_id }).then((reply) => {
        if (reply.ok) return;
        model.redacting = false;
        this.showNotice(reply);
      });
    },
    retry: () => {
      if (this.model) void this.run('retry', { type: 'retry' });
    },
    openResult: () => {
      if (this.model) void this.run('openResult', { type: 'openResult' });
    },
    showAll: () => {
      const model = this.model;
      if (!model) return;
      if (model.fullContent !== null) {
        model.fullContent = null;
        this.saveViewState({ expanded: false });
        this.render();
        return;
      }
      this.saveViewState({ expanded: true });
      void this.fetchAll();
    },
    setView: (view) => {
      if (!this.model || this.model.view === view) return;
      this.model.view = view;
      this.saveViewState({ view });
      this.render();
      document.getElementById(`view-${view}`)?.focus();
    },
    openLink: (url) => {
      void this.messenger.request({ type: 'openLink', url }).then((reply) => this.showNotice(reply));
    },
    editFields: (fields, immediate) => {
      const model = this.model;
      if (!model || model.phase.kind !== 'review') return;
      if (fields.filename !== undefined) this.filenameEdited = true;
      model.fields = { ...model.fields, ...fields };
      this.pendingFields = { ...this.pendingFields, ...fields };
      model.sentRevision = ++this.revisionCounter;
      clearTimeout(this.debounce);
      if (immediate) this.flushFields();
      else this.debounce = setTimeout(() => this.flushFields(), FIELD_DEBOUNCE_MS);
      this.render();
    },
  };

  private flushFields(): void {
    const model = this.model;
    if (!model) return;
    const fields = this.pendingFields;
    this.pendingFields = {};
    const revision = this.revisionCounter;
    void this.messenger.request({ type: 'updateFields', revision, fields }).then((reply) => {
      if (reply.ok) return;
      // Refused outright (e.g. a value over a limit): no preview will come for it.
      if (model.sentRevision === revision) model.sentRevision = model.revision;
      this.showNotice(reply);
    });
  }

  private async fetchAll(): Promise<void> {
    const model = this.model;
    if (!model || model.loadingAll) return;
    const transactionId = model.preview.transaction_id;
    model.loadingAll = true;
    this.render();
    const reply = await this.messenger.request({ type: 'showAll', transactionId });
    model.loadingAll = false;
    if (reply.ok && reply.content !== undefined && model.preview.transaction_id === transactionId) {
      model.fullContent = reply.content;
      const start = performance.now();
      this.render();
      document.body.dataset['showAllRenderMs'] = (performance.now() - start).toFixed(1);
      return;
    }
    this.showNotice(reply);
  }

  /** Sends a button's request; the buttons wait while it is in flight. */
  private async run(busy: string, request: WebviewRequest, onOk?: () => void): Promise<void> {
    const model = this.model;
    if (!model || model.busy) return;
    model.busy = busy;
    model.notice = null;
    this.render();
    const reply = await this.messenger.request(request);
    model.busy = null;
    if (reply.ok) onOk?.();
    this.showNotice(reply);
  }

  private showNotice(reply: ReplyMessage): void {
    if (!this.model) return;
    if (!reply.ok) this.model.notice = reply.error ?? noticeFallback;
    this.render();
  }

  private saveViewState(patch: Partial<ViewState>): void {
    this.viewState = { ...this.viewState, ...patch };
    this.api.setState(this.viewState);
  }

  // ------------------------------------------------------------ rendering

  private render(): void {
    const model = this.model;
    if (!model) return;
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';

    replaceChildren(this.slots.header, renderHeader(model));
    replaceChildren(this.slots.banners, renderBanners(model, this.actions));
    replaceChildren(this.slots.phase, renderPhase(model, this.actions));
    replaceChildren(this.slots.warnings, renderWarnings(model, this.actions));
    const previewKey = JSON.stringify([model.preview.transaction_id, model.revision, model.view, model.fullContent !== null, model.loadingAll]);
    if (previewKey !== this.previewKey) {
      this.previewKey = previewKey;
      replaceChildren(this.slots.preview, renderPreview(model, this.actions));
    }
    this.slots.preview.classList.toggle('stale', isUpdating(model));
    this.fields.sync(model);
    replaceChildren(this.slots.source, renderSource(model));
    replaceChildren(this.slots.statistics, renderStatistics(model));
    replaceChildren(this.slots.validation, renderValidation(model));
    replaceChildren(this.slots.impact, renderImpact(model));
    replaceChildren(this.slots.metadata, renderMetadata(model));
    replaceChildren(this.slots.actions, renderActions(model, this.actions));
    const status = statusText(model);
    if (this.slots.status.textContent !== status) this.slots.status.textContent = status;
    document.body.dataset['phase'] = model.phase.kind;

    // Re-rendered buttons are new nodes: keep keyboard focus where it was —
    // unless the phase changed (Accept is gone): then go to the progress or result.
    const phaseChanged = this.renderedPhase !== null && this.renderedPhase !== model.phase.kind;
    this.renderedPhase = model.phase.kind;
    if (phaseChanged && model.phase.kind !== 'review') {
      document.getElementById(model.phase.kind === 'running' ? 'progress' : 'result')?.focus();
    } else if (focusedId && document.activeElement !== document.getElementById(focusedId)) {
      document.getElementById(focusedId)?.focus();
    }
  }
}

const noticeFallback: PanelError = { code: 'PANEL_ERROR', message: 'The request failed.', recoverable: false };

export function start(api: VsCodeApi): App {
  return new App(api, byId('app', HTMLElement));
}

/** The page's own timeline of its first render (see PageTiming). */
function pageTiming(readyAtMs: number, initAtMs: number, paintedAtMs: number): PageTiming {
  const span = (suffix: string): [number, number] | undefined => {
    const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.split('?')[0]?.endsWith(suffix));
    return entry ? [entry.startTime, entry.responseEnd] : undefined;
  };
  const scriptMs = span('/webview.js');
  const styleMs = span('/webview.css');
  return {
    timeOrigin: performance.timeOrigin,
    ...(scriptMs ? { scriptMs } : {}),
    ...(styleMs ? { styleMs } : {}),
    readyAtMs,
    initAtMs,
    paintedAtMs,
  };
}
