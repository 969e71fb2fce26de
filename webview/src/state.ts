/**
 * What the webview keeps across being hidden and shown again (VS Code
 * discards a hidden webview's page since retainContextWhenHidden is off).
 * The host re-sends the export's state with `init`; this is only the
 * panel's own view state: which view, expanded or not, the scroll position.
 */
import * as z from 'zod/mini';

const viewStateSchema = z.object({
  view: z.enum(['rendered', 'raw']),
  /** "Show all" was on: fetch the whole content again after a reload. */
  expanded: z.boolean(),
  scrollY: z.number(),
});
export type ViewState = z.infer<typeof viewStateSchema>;

export const DEFAULT_VIEW_STATE: ViewState = { view: 'rendered', expanded: false, scrollY: 0 };

/** The saved state, or the default when there is none or it is from another version. */
export function readViewState(saved: unknown): ViewState {
  const parsed = viewStateSchema.safeParse(saved);
  return parsed.success ? parsed.data : { ...DEFAULT_VIEW_STATE };
}
