import * as vscode from 'vscode';
import type { CmdFactory, Ctx } from '../context';
import { checkCredentialValue, type SecretField } from '../credentials/credentialFields';
import { setCredential, type CredentialPrompts, type SetCredentialOutcome } from '../credentials/setCredentialFlow';
import { listDestinations, type ListedDestination } from '../ui/exportPrompts';
import { settings } from '../settings';
import { sourceCredentialId } from '../transcript/databaseSources';
import { clearCredentialArgs, parseArgs, setCredentialArgs } from './args';

/**
 * Set / Clear Destination Credential: SecretStorage, keyed by destination id
 * and field; the fields are those the server lists for the destination.
 */

type CredentialDestination = ListedDestination & { secretFields: SecretField[] };

const prompts: CredentialPrompts = {
  async pickGitHubMethod(name) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(github) Sign in with GitHub', detail: 'Use your GitHub account (recommended): VS Code keeps and refreshes the session.', method: 'account' as const },
        { label: '$(key) Enter a personal access token', detail: 'Kept in VS Code\'s SecretStorage, never in settings.', method: 'token' as const },
      ],
      { title: `DevGuide Export: Credential for ${name}` },
    );
    return picked?.method;
  },
  askValue(field, name) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: `DevGuide Export: ${field.label} for ${name}`,
        prompt: `${field.prompt} Kept in VS Code's SecretStorage.`,
        placeHolder: field.placeHolder,
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => checkCredentialValue(field, value),
      }),
    );
  },
  warn(message) {
    void vscode.window.showWarningMessage(message);
  },
};

/** The password of a database source (devguideExport.sources), stored as `source:<id>`. */
const SOURCE_PASSWORD: SecretField = { field: 'password', label: 'Database password', prompt: 'The password of the database user of this source.', placeHolder: 'password' };

/** The team store's database password (devguideExport.store {type: "tidb"}), the credential `store`/`password`. */
const STORE_PASSWORD: SecretField = { field: 'password', label: 'Database password', prompt: 'The password of the team store\'s database user.', placeHolder: 'password' };

function sourceCredentials(): CredentialDestination[] {
  const sources = settings.sources().map((s) => ({ id: sourceCredentialId(s.id), type: 'tidb', name: `${s.name} (source)`, secretFields: [SOURCE_PASSWORD], workspaceDefined: false, enabled: true }));
  const store = settings.teamStore();
  return store ? [...sources, { id: 'store', type: 'tidb', name: `Team store (${store})`, secretFields: [STORE_PASSWORD], workspaceDefined: false, enabled: true }] : sources;
}

/**
 * The server's destinations — or none when it cannot list them now: with a
 * team store whose password is not set yet, listing (which reads the team's
 * shared destinations) fails, and the store's own password must still be
 * offered here.
 */
async function serverDestinations(ctx: Ctx): Promise<Awaited<ReturnType<typeof listDestinations>>> {
  try {
    return await listDestinations(ctx);
  } catch (thrown) {
    if (!settings.teamStore()) throw thrown;
    return [];
  }
}

/** The destination (or database source, `source:<id>`) named by id, or one picked among those that take a credential. */
async function chooseDestination(ctx: Ctx, destinationId: string | undefined, purpose: string): Promise<CredentialDestination | undefined> {
  // A destination Restricted Mode hides from the server has no known fields.
  const all = [...(await serverDestinations(ctx)).map((d) => ({ ...d, secretFields: d.secretFields ?? [] })), ...sourceCredentials()];
  if (destinationId) {
    const found = all.find((d) => d.id === destinationId);
    if (!found) void vscode.window.showErrorMessage(`There is no destination "${destinationId}".`);
    return found;
  }
  const candidates = all.filter((d) => d.secretFields.length > 0);
  if (candidates.length === 0) {
    const open = 'Open Settings';
    const choice = await vscode.window.showInformationMessage(
      'None of the destinations takes a credential: local folders need none.',
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'devguideExport.destinations');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((d) => ({ label: d.name, description: `${d.id} · ${d.type}`, destination: d })),
    { title: `DevGuide Export: ${purpose}`, placeHolder: 'Choose a destination' },
  );
  return picked?.destination;
}

export const setDestinationCredential: CmdFactory = (ctx) => async (arg?: unknown): Promise<SetCredentialOutcome> => {
  const args = parseArgs(setCredentialArgs, arg, 'Set Destination Credential');
  const destination = await chooseDestination(ctx, args.destinationId, 'Set Destination Credential');
  if (!destination) return { status: 'cancelled' };
  const outcome = await setCredential(destination, ctx.credentials, prompts, {
    ...(args.field ? { field: args.field } : {}),
    ...(args.value !== undefined ? { value: args.value } : {}),
    ...(args.method ? { method: args.method } : {}),
  });
  switch (outcome.status) {
    case 'stored':
      void vscode.window.showInformationMessage(`Credential for ${destination.name} stored in SecretStorage.`);
      break;
    case 'github-account':
      void vscode.window.showInformationMessage(`${destination.name} will use the GitHub account ${outcome.account}.`);
      break;
    case 'unsupported':
      void vscode.window.showErrorMessage(outcome.message);
      break;
    case 'cancelled':
      break;
  }
  return outcome;
};

export const clearDestinationCredential: CmdFactory = (ctx) => async (arg?: unknown): Promise<{ status: 'cleared' | 'none' | 'cancelled'; fields?: string[] }> => {
  const args = parseArgs(clearCredentialArgs, arg, 'Clear Destination Credential');
  const destination = await chooseDestination(ctx, args.destinationId, 'Clear Destination Credential');
  if (!destination) return { status: 'cancelled' };
  const fields = args.field ? [args.field] : destination.secretFields.map((f) => f.field);
  const cleared: string[] = [];
  for (const field of fields) if (await ctx.credentials.clear(destination.id, field)) cleared.push(field);
  void vscode.window.showInformationMessage(
    cleared.length > 0 ? `Credential for ${destination.name} removed from SecretStorage.` : `No credential was stored for ${destination.name}.`,
  );
  return cleared.length > 0 ? { status: 'cleared', fields: cleared } : { status: 'none' };
};
