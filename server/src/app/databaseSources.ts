import { DatabaseTranscripts, type DatabaseCredentials } from '../sources/sql/databaseTranscripts';
import type { DatabaseAddress } from '../sources/sql/address';
import type { AppState } from './state';

/**
 * Database transcript sources with their credentials. A configured source
 * (`sources` in the settings / --config) that names the same server, port,
 * user and database lends its password (SecretStorage in VS Code, asked
 * for as `source:<id>`) and its TLS requirement; any other address asks as
 * `source:` — the CLI answers both from DEVGUIDE_SOURCE_PASSWORD. The
 * access is audited like a destination's.
 */

export const SOURCE_SECRET_PREFIX = 'source:';

export function sourceSecretId(sourceId: string | undefined): string {
  return `${SOURCE_SECRET_PREFIX}${sourceId ?? ''}`;
}

export function databaseTranscripts(state: () => AppState): DatabaseTranscripts {
  return new DatabaseTranscripts({
    workspaceRoot: state().env.workspaceRoot,
    timeoutMs: () => state().config.limits.defaultTimeoutMs,
    async credentialsFor(address: DatabaseAddress): Promise<DatabaseCredentials> {
      const configured = state().config.sources.find(
        (s) => s.host.toLowerCase() === address.host.toLowerCase() && s.port === address.port && s.user === address.user && s.database === address.database,
      );
      const password = await state().secret(sourceSecretId(configured?.id), 'password');
      return {
        password: password === '' ? undefined : password,
        // A configured CA file wins; else TLS when the address or the configured source asks for it.
        tls: typeof configured?.tls === 'object' ? configured.tls : address.tls || (configured?.tls ?? false),
        hint: configured
          ? `In VS Code, export from the source "${configured.name ?? configured.id}" again to be asked for its password; in the CLI set DEVGUIDE_SOURCE_PASSWORD.`
          : 'Set DEVGUIDE_SOURCE_PASSWORD.',
      };
    },
  });
}
