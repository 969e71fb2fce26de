/** vscode-elements controls, created the same way everywhere. */
import { h } from '../dom';

export interface ButtonOptions {
  id?: string;
  secondary?: boolean;
  disabled?: boolean;
  /** Read by screen readers instead of the label (e.g. "Remove field tags"). */
  ariaLabel?: string;
  /** Why it is disabled, or what it does: a tooltip, and the accessible description. */
  title?: string;
  /** The id of the element that says more (e.g. why it is disabled). */
  describedBy?: string | undefined;
  onClick: () => void;
}

export function button(label: string, options: ButtonOptions): HTMLElement {
  const element = h('vscode-button', {
    attrs: {
      id: options.id,
      secondary: options.secondary === true,
      disabled: options.disabled === true,
      'aria-disabled': options.disabled === true ? 'true' : undefined,
      'aria-label': options.ariaLabel,
      title: options.title,
      'aria-describedby': options.describedBy,
    },
  }, label);
  element.addEventListener('click', () => {
    // A disabled vscode-button still receives pointer clicks on its host element.
    if (!element.hasAttribute('disabled')) options.onClick();
  });
  return element;
}

/** A section with a heading, for the side column. */
export function section(id: string, heading: string, ...children: (Node | null | false)[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h('section', { class: 'card', attrs: { id, 'aria-labelledby': headingId } }, h('h2', { attrs: { id: headingId } }, heading), ...children);
}

/** A `code` pill (error, warning and rule codes). */
export function codePill(code: string, kind: 'error' | 'warning' | 'info' = 'info'): HTMLElement {
  return h('code', { class: `code-pill ${kind}` }, code);
}
