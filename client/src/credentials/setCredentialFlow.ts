import { checkCredentialValue, type SecretField } from './credentialFields';
import type { Credentials } from './credentials';

/**
 * "Set Destination Credential" as steps over small UI seams (no `vscode`):
 * for GitHub the signed-in account is offered first and a personal access
 * token second; other types ask for their field's value. The fields are the
 * destination's own, as the server lists them.
 */

export interface CredentialPrompts {
  pickGitHubMethod(destinationName: string): Promise<'account' | 'token' | undefined>;
  askValue(field: SecretField, destinationName: string): Promise<string | undefined>;
  warn(message: string): void;
}

export interface CredentialPreset {
  field?: string;
  value?: string;
  method?: 'account' | 'token';
}

export type SetCredentialOutcome =
  | { status: 'stored'; field: string }
  | { status: 'github-account'; account: string }
  | { status: 'cancelled' }
  | { status: 'unsupported'; message: string };

export async function setCredential(
  destination: { id: string; type: string; name: string; secretFields: readonly SecretField[] },
  credentials: Credentials,
  prompts: CredentialPrompts,
  preset: CredentialPreset = {},
): Promise<SetCredentialOutcome> {
  const fields = destination.secretFields;
  const field = preset.field ? fields.find((f) => f.field === preset.field) : fields[0];
  if (!field) {
    return {
      status: 'unsupported',
      message: preset.field
        ? `A ${destination.type} destination has no credential "${preset.field}".`
        : `A ${destination.type} destination needs no credential.`,
    };
  }

  if (destination.type === 'github' && field.field === 'token' && preset.value === undefined) {
    const method = preset.method ?? (await prompts.pickGitHubMethod(destination.name));
    if (method === undefined) return { status: 'cancelled' };
    if (method === 'account') {
      const session = await credentials.useGitHubAccount(destination.id);
      if (session) return { status: 'github-account', account: session.accountLabel };
      prompts.warn('Signing in with GitHub is not available here or was cancelled. Enter a personal access token instead.');
    }
  }

  const value = preset.value ?? (await prompts.askValue(field, destination.name));
  if (value === undefined) return { status: 'cancelled' };
  const problem = checkCredentialValue(field, value);
  if (problem) return { status: 'unsupported', message: problem };
  await credentials.set(destination.id, field.field, value.trim());
  return { status: 'stored', field: field.field };
}
