import * as vscode from 'vscode';
import type { GitHubSessions } from './credentials';

/** VS Code's built-in GitHub authentication provider, with the "repo" scope. */
export const vscodeGitHubSessions: GitHubSessions = {
  async getSession(interactive) {
    const session = await vscode.authentication.getSession('github', ['repo'], interactive ? { createIfNone: true } : { silent: true });
    return session ? { accessToken: session.accessToken, accountLabel: session.account.label } : undefined;
  },
};
