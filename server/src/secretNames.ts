/**
 * Where the CLI reads a destination's credential: the environment variable
 * `DEVGUIDE_SECRET_<DESTINATION_ID>_<FIELD>`, upper case, non-alphanumerics
 * as `_`. Destinations name it in their "no credentials" messages.
 */
export function secretEnvName(destinationId: string, field: string): string {
  const part = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `DEVGUIDE_SECRET_${part(destinationId)}_${part(field)}`;
}
