/**
 * The editable fields: filename, template, destination, title, author, tags
 * and custom metadata. Built once and kept (re-creating inputs would lose
 * focus and the caret); `sync` copies the model in without touching a field
 * the person is typing in.
 */
import { h } from '../dom';
import type { Actions, Model } from '../model';
import type { ToolOutputMode } from '../../../server/src/protocolLimits';
import { LIMITS, META_KEY_PATTERN, type PanelDestination, type PanelFields, type PanelTemplate } from '../protocol';
import { button } from './controls';

type TextField = HTMLElement & { value: string; invalid: boolean; disabled: boolean };
type Select = HTMLElement & { value: string; disabled: boolean };

interface MetaRow {
  element: HTMLElement;
  key: TextField;
  value: TextField;
}

export class FieldsForm {
  readonly element: HTMLElement;
  private readonly filename: TextField;
  private readonly template: Select;
  private readonly destination: Select;
  private readonly title: TextField;
  private readonly author: TextField;
  private readonly tags: TextField;
  private readonly toolOutput: Select;
  private readonly metaList: HTMLElement;
  private readonly addMeta: HTMLElement;
  private metaRows: MetaRow[] = [];
  private optionsKey = '';
  private nextRow = 1;
  private disabled = false;

  constructor(private readonly actions: Actions) {
    this.filename = textField('field-filename', 'Filename', LIMITS.filename);
    this.template = select('field-template', 'Template');
    this.destination = select('field-destination', 'Destination');
    this.title = textField('field-title', 'Title', LIMITS.title);
    this.author = textField('field-author', 'Author', LIMITS.author, 'Optional');
    this.tags = textField('field-tags', 'Tags', LIMITS.tags * (LIMITS.tag + 2), 'Comma-separated, e.g. design, auth');
    this.toolOutput = select('field-tool-output', 'Tool output');
    fillOptions(this.toolOutput, TOOL_OUTPUT_OPTIONS);

    const onText = (read: () => Partial<PanelFields>) => () => this.actions.editFields(read(), false);
    this.filename.addEventListener('input', onText(() => ({ filename: this.filename.value })));
    this.title.addEventListener('input', onText(() => ({ title: this.title.value })));
    this.author.addEventListener('input', onText(() => ({ author: this.author.value })));
    this.tags.addEventListener('input', onText(() => ({ tags: splitTags(this.tags.value) })));
    this.template.addEventListener('change', () => this.actions.editFields({ template: this.template.value }, true));
    this.destination.addEventListener('change', () => this.actions.editFields({ destination: this.destination.value }, true));
    this.toolOutput.addEventListener('change', () => {
      const mode = TOOL_OUTPUT_OPTIONS.find((o) => o.value === this.toolOutput.value)?.value;
      if (mode) this.actions.editFields({ toolOutput: mode }, true);
    });

    this.metaList = h('div', { class: 'meta-list', attrs: { id: 'meta-list', role: 'list', 'aria-label': 'Custom metadata' } });
    this.addMeta = button('Add field', {
      id: 'meta-add',
      secondary: true,
      title: 'Add a custom metadata field',
      onClick: () => {
        const row = this.addRow('', '');
        row.key.focus();
      },
    });

    this.element = h(
      'section',
      { class: 'card fields', attrs: { id: 'fields', 'aria-labelledby': 'fields-heading' } },
      h('h2', { attrs: { id: 'fields-heading' } }, 'Export'),
      labelled(this.filename, 'Filename'),
      h('div', { class: 'field-pair' }, labelled(this.template, 'Template'), labelled(this.destination, 'Destination')),
      labelled(this.title, 'Title'),
      h('div', { class: 'field-pair' }, labelled(this.author, 'Author'), labelled(this.tags, 'Tags')),
      labelled(this.toolOutput, 'Tool output'),
      h(
        'div',
        { class: 'field meta' },
        h('span', { class: 'field-label', attrs: { id: 'meta-label' } }, 'Custom metadata'),
        this.metaList,
        this.addMeta,
      ),
    );
  }

  /** Copies the model's fields and choices in. */
  sync(model: Model): void {
    this.syncOptions(model.templates, model.destinations, model.fields);
    setText(this.filename, model.fields.filename);
    setText(this.title, model.fields.title);
    setText(this.author, model.fields.author);
    if (splitTags(this.tags.value).join(',') !== model.fields.tags.join(',')) setText(this.tags, model.fields.tags.join(', '));
    setSelect(this.template, model.fields.template);
    setSelect(this.destination, model.fields.destination);
    setSelect(this.toolOutput, model.fields.toolOutput);
    this.syncMeta(model.fields.meta);
    this.setDisabled(model.phase.kind !== 'review');
  }

  /** The server picked a filename (the person has not typed one): show it. */
  showFilename(filename: string): void {
    setText(this.filename, filename);
  }

  private setDisabled(disabled: boolean): void {
    if (disabled === this.disabled) return;
    this.disabled = disabled;
    for (const control of [this.filename, this.template, this.destination, this.title, this.author, this.tags, this.toolOutput, ...this.metaRows.flatMap((r) => [r.key, r.value])]) {
      control.disabled = disabled;
    }
    this.element.classList.toggle('disabled', disabled);
    this.addMeta.toggleAttribute('disabled', disabled);
  }

  private syncOptions(templates: PanelTemplate[], destinations: PanelDestination[], fields: PanelFields): void {
    const key = JSON.stringify([templates, destinations, fields.template, fields.destination]);
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    const templateOptions = templates.map((t) => ({
      value: t.id,
      label: `${t.name}${t.source === 'workspace' ? ' (workspace)' : t.source === 'team' ? ' (team)' : ''}`,
      description: t.valid ? `${templateOrigin(t)} template · ${t.output} output` : `Has errors: ${t.problem ?? 'see the template file'}`,
      disabled: !t.valid,
    }));
    const destinationOptions = destinations.map((d) => ({
      value: d.id,
      label: `${d.name} (${d.type})`,
      description: d.enabled ? d.id : (d.reason ?? 'Unavailable'),
      disabled: !d.enabled,
    }));
    // The current choice stays listed even if the lists no longer have it.
    if (fields.template && !templates.some((t) => t.id === fields.template)) {
      templateOptions.unshift({ value: fields.template, label: fields.template, description: 'Not in the template list', disabled: false });
    }
    if (fields.destination && !destinations.some((d) => d.id === fields.destination)) {
      destinationOptions.unshift({ value: fields.destination, label: fields.destination, description: 'Not in the destination list', disabled: false });
    }
    fillOptions(this.template, templateOptions);
    fillOptions(this.destination, destinationOptions);
  }

  private syncMeta(meta: Record<string, string>): void {
    const current = this.readMeta();
    const focused = this.metaRows.some((r) => isFocused(r.key) || isFocused(r.value));
    if (focused || JSON.stringify(current.valid) === JSON.stringify(meta)) return;
    for (const row of this.metaRows) row.element.remove();
    this.metaRows = [];
    for (const [key, value] of Object.entries(meta)) this.addRow(key, value);
  }

  private addRow(keyText: string, valueText: string): MetaRow {
    const n = this.nextRow++;
    const key = textField(`meta-key-${n}`, 'Name', LIMITS.metaKey, 'name');
    const value = textField(`meta-value-${n}`, 'Value', LIMITS.metaValue, 'value');
    key.value = keyText;
    value.value = valueText;
    key.setAttribute('aria-label', `Custom field ${n} name`);
    value.setAttribute('aria-label', `Custom field ${n} value`);
    const remove = button('Remove', {
      secondary: true,
      ariaLabel: `Remove custom field ${n}`,
      onClick: () => {
        element.remove();
        this.metaRows = this.metaRows.filter((r) => r.element !== element);
        this.emitMeta();
      },
    });
    const element = h('div', { class: 'meta-row', attrs: { role: 'listitem' } }, key, value, remove);
    const row: MetaRow = { element, key, value };
    key.addEventListener('input', () => this.emitMeta());
    value.addEventListener('input', () => this.emitMeta());
    this.metaRows.push(row);
    this.metaList.appendChild(element);
    return row;
  }

  /** Sends the rows whose names are valid; marks the others. */
  private emitMeta(): void {
    const { valid } = this.readMeta();
    this.actions.editFields({ meta: valid }, false);
  }

  private readMeta(): { valid: Record<string, string> } {
    const valid: Record<string, string> = {};
    const seen = new Set<string>();
    for (const row of this.metaRows) {
      const name = row.key.value.trim();
      const ok = name === '' || (META_KEY_PATTERN.test(name) && !seen.has(name) && seen.size < LIMITS.metaEntries);
      row.key.invalid = !ok;
      row.key.title = ok ? '' : 'Letters, digits, "_", "." or "-", starting with a letter or "_"; each name once.';
      if (ok && name !== '') {
        seen.add(name);
        valid[name] = row.value.value;
      }
    }
    return { valid };
  }
}

function textField(id: string, label: string, maxLength: number, placeholder?: string): TextField {
  return h('vscode-textfield', { attrs: { id, label, 'aria-label': label, maxlength: maxLength, placeholder } }) as TextField;
}

function select(id: string, label: string): Select {
  return h('vscode-single-select', { attrs: { id, 'aria-label': label } }) as Select;
}

function labelled(control: HTMLElement, label: string): HTMLElement {
  return h('div', { class: 'field' }, h('vscode-label', { attrs: { for: control.id } }, label), control);
}

/** How tool calls and results read (the `toolOutput.mode` setting, per export). */
const TOOL_OUTPUT_OPTIONS = [
  { value: 'summary', label: 'Summarised', description: 'A call as its name and input; a result as its first lines', disabled: false },
  { value: 'full', label: 'In full', description: 'Every call and result as it was', disabled: false },
  { value: 'none', label: 'Left out', description: 'No tool calls or results', disabled: false },
] as const satisfies readonly (OptionSpec & { value: ToolOutputMode })[];

interface OptionSpec {
  value: string;
  label: string;
  description: string;
  disabled: boolean;
}

function fillOptions(target: HTMLElement, options: readonly OptionSpec[]): void {
  target.replaceChildren(
    ...options.map((o) => h('vscode-option', { attrs: { value: o.value, description: o.description, disabled: o.disabled } }, o.label)),
  );
}

function isFocused(element: HTMLElement): boolean {
  return document.activeElement === element || element.matches(':focus-within');
}

function setText(field: TextField, value: string): void {
  if (!isFocused(field) && field.value !== value) field.value = value;
}

function setSelect(field: Select, value: string): void {
  if (field.value === value) return;
  field.value = value;
  // Options are read on slotchange, after this task: set it again then.
  queueMicrotask(() => {
    if (field.value !== value) field.value = value;
  });
  requestAnimationFrame(() => {
    if (field.value !== value) field.value = value;
  });
}

export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim().slice(0, LIMITS.tag))
    .filter((t) => t !== '')
    .slice(0, LIMITS.tags);
}

/** Where a template comes from, as the picker says it. */
function templateOrigin(t: PanelTemplate): string {
  if (t.source === 'team') return `Team${t.createdBy ? ` (by ${t.createdBy})` : ''}`;
  return t.source === 'workspace' ? 'Workspace' : 'Built-in';
}
