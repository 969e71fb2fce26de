import type { TemplateSummary } from '../../../server/src/protocol';
import type { ListedDestination } from './exportPrompts';

/**
 * The defaults an export starts from, so Export Selection goes straight to
 * the review panel (where they can be changed); a picker is needed only
 * where these give nothing. Pure: the preferred ids come from the settings.
 */

/** The preferred template (devguideExport.defaultTemplate) when it is listed and can be used. */
export function defaultTemplateOf(templates: readonly TemplateSummary[], preferredId: string): string | undefined {
  const preferred = templates.find((t) => t.id === preferredId);
  return preferred?.enabled && preferred.valid ? preferred.id : undefined;
}

/**
 * The preferred destination (devguideExport.defaultDestination) when it is
 * listed and enabled; otherwise the only enabled one, if there is exactly one.
 */
export function defaultDestinationOf<D extends Pick<ListedDestination, 'id' | 'enabled'>>(destinations: readonly D[], preferredId: string): D | undefined {
  const preferred = destinations.find((d) => d.id === preferredId);
  if (preferred?.enabled) return preferred;
  const enabled = destinations.filter((d) => d.enabled);
  return enabled.length === 1 ? enabled[0] : undefined;
}
