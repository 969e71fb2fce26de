import type { Logger } from '../logging/logger';
import { secretKey } from './credentialFields';

/**
 * Credentials for destinations: SecretStorage first; for GitHub, the signed-in
 * GitHub account (VS Code's built-in authentication provider) when no token
 * is stored. The vscode APIs come in through two small seams so unit tests
 * can drive every path (code-server has no GitHub provider at all).
 */

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface GitHubSession {
  accessToken: string;
  accountLabel: string;
}

/** vscode.authentication.getSession('github', ['repo'], …) behind a seam. */
export interface GitHubSessions {
  /** `interactive: false` must never show UI (silent); true may ask the user to sign in. */
  getSession(interactive: boolean): Promise<GitHubSession | undefined>;
}

/** How long a silent GitHub session lookup may take before the token path is used. */
export const SILENT_SESSION_TIMEOUT_MS = 3_000;

export class Credentials {
  constructor(
    private readonly store: SecretStore,
    private readonly github: GitHubSessions,
    private readonly logger: Logger,
  ) {}

  async set(destinationId: string, field: string, value: string): Promise<void> {
    this.logger.protectSecret(value);
    await this.store.store(secretKey(destinationId, field), value);
    this.logger.info(`Credential "${field}" of destination "${destinationId}" stored in SecretStorage.`);
  }

  async clear(destinationId: string, field: string): Promise<boolean> {
    const had = (await this.store.get(secretKey(destinationId, field))) !== undefined;
    await this.store.delete(secretKey(destinationId, field));
    if (had) this.logger.info(`Credential "${field}" of destination "${destinationId}" removed from SecretStorage.`);
    return had;
  }

  async has(destinationId: string, field: string): Promise<boolean> {
    return (await this.store.get(secretKey(destinationId, field))) !== undefined;
  }

  /**
   * The answer to the server's devguide/getSecret: the stored value, else for
   * a GitHub token the signed-in account's session (never prompting), else
   * null. Logs that a credential was asked for, never its value.
   */
  async resolve(destinationId: string, field: string, destinationType: string | undefined): Promise<string | null> {
    const stored = await this.store.get(secretKey(destinationId, field));
    if (stored !== undefined) {
      this.logger.protectSecret(stored);
      this.logger.info(`Credential "${field}" of "${destinationId}" requested: answered from SecretStorage.`);
      return stored;
    }
    if (destinationType === 'github' && field === 'token') {
      const session = await withTimeout(this.github.getSession(false).catch(() => undefined), SILENT_SESSION_TIMEOUT_MS);
      if (session) {
        this.logger.protectSecret(session.accessToken);
        this.logger.info(`Credential "token" of "${destinationId}" requested: answered with the GitHub account ${session.accountLabel}.`);
        return session.accessToken;
      }
    }
    this.logger.info(`Credential "${field}" of "${destinationId}" requested: none stored.`);
    return null;
  }

  /**
   * Signs in with the GitHub account for a GitHub destination. On success the
   * stored token (if any) is removed so the session is what gets used.
   * Returns undefined when the provider is missing or the user declined.
   */
  async useGitHubAccount(destinationId: string): Promise<GitHubSession | undefined> {
    let session: GitHubSession | undefined;
    try {
      session = await this.github.getSession(true);
    } catch (error) {
      this.logger.warn(`GitHub sign-in is not available: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (!session) return undefined;
    this.logger.protectSecret(session.accessToken);
    await this.store.delete(secretKey(destinationId, 'token'));
    this.logger.info(`Destination "${destinationId}" uses the GitHub account ${session.accountLabel}.`);
    return session;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
