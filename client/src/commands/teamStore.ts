import * as vscode from 'vscode';
import * as z from 'zod/mini';
import {
  ApplyTeamChangeRequest,
  ListSharedDestinationsRequest,
  RejectReviewRequest,
  RemoveSharedDestinationRequest,
  ShareDestinationRequest,
  type SharedDestinationSummary,
} from '../../../server/src/protocol';
import { newMasterKeyText, parseMasterKey, STORE_KEY_SECRET } from '../../../server/src/team/crypto';
import type { CmdFactory, Ctx } from '../context';
import { toUserFacingError } from '../languageClient/serverErrors';
import { reviewDetail } from '../ui/format';
import { parseArgs } from './args';

/**
 * The team store's side of Manage Destinations (issue 14 part B): the
 * shared destinations (list, share one of your own, remove), and Set Team
 * Store Key — the master key every member keeps in SecretStorage, which
 * opens the shared destinations' sealed credentials. Rules and sealing are
 * the server's; this file asks and shows.
 */

const setKeyArgs = z.object({
  /** The key itself (tests, automation); else the person is asked. */
  value: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Make a new random key (the team's first member). */
  generate: z.optional(z.boolean()),
});

export type SetKeyOutcome = { status: 'stored'; generated: boolean; version: number } | { status: 'cancelled' };

/** Why a key text is refused (shown while typing), or undefined. */
export function keyProblem(text: string): string | undefined {
  try {
    parseMasterKey(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'Not a team store key.';
  }
}

export const setTeamStoreKey: CmdFactory = (ctx) => async (arg?: unknown): Promise<SetKeyOutcome> => {
  const args = parseArgs(setKeyArgs, arg, 'Set Team Store Key');
  let generate = args.generate === true;
  let value = args.value;
  if (value === undefined && !generate) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(key) Enter the team\'s key', detail: 'A team member gives it to you (a password manager, not chat or e-mail).', generate: false },
        { label: '$(sparkle) Generate a new key', detail: 'For the first member of a team: a random key, copied to the clipboard to share.', generate: true },
      ],
      { title: 'DevGuide Export: Team Store Key' },
    );
    if (!picked) return { status: 'cancelled' };
    generate = picked.generate;
  }
  if (generate) value = newMasterKeyText();
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: 'DevGuide Export: Team Store Key',
      prompt: 'The team store key (base64 of 32 bytes, optionally "VERSION:" first). Kept in VS Code\'s SecretStorage; it opens the shared destinations\' credentials.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() === '' ? undefined : keyProblem(text)),
    });
    if (!value) return { status: 'cancelled' };
  }
  const problem = keyProblem(value);
  if (problem) throw new Error(problem);
  await ctx.credentials.set(STORE_KEY_SECRET.id, STORE_KEY_SECRET.field, value.trim());
  const version = parseMasterKey(value).version;
  if (generate) {
    await vscode.env.clipboard.writeText(value);
    void vscode.window.showInformationMessage('A new team store key is stored in SecretStorage and copied to the clipboard: give it to your team through a password manager, then clear the clipboard.');
  } else {
    void vscode.window.showInformationMessage(`Team store key (version ${version}) stored in SecretStorage.`);
  }
  return { status: 'stored', generated: generate, version };
};

/** The shared destinations, or undefined when the settings name no team store. */
export async function listShared(ctx: Ctx): Promise<SharedDestinationSummary[] | undefined> {
  try {
    return await ctx.server.request(ListSharedDestinationsRequest.type, {});
  } catch (thrown) {
    const error = toUserFacingError(thrown);
    if (error.code === 'INVALID_INPUT') return undefined;
    throw thrown;
  }
}

export type ShareOutcome = { status: 'shared'; id: string; version: number } | { status: 'blocked'; code: string; message: string } | { status: 'cancelled' };

/**
 * Shares one of your settings' destinations: the Bin's review (high risk at
 * least), your Accept in a modal unless `accept`, then the team store. Its
 * credentials are the ones you stored for it; the server reads them from
 * SecretStorage and seals them.
 */
export async function shareDestination(ctx: Ctx, options: { destinationId?: string; accept?: boolean; replace?: boolean } = {}): Promise<ShareOutcome> {
  const entries = settingsEntries();
  const id =
    options.destinationId ??
    (
      await vscode.window.showQuickPick(
        entries.map((e) => ({ label: String(e['name'] ?? e['id']), description: `${String(e['id'])} · ${String(e['type'])}`, id: String(e['id']) })),
        { title: 'DevGuide Export: Share a destination with the team', placeHolder: entries.length > 0 ? 'Choose one of your destinations' : 'No destination in your settings to share' },
      )
    )?.id;
  if (!id) return { status: 'cancelled' };
  const config = entries.find((e) => e['id'] === id);
  if (!config) throw new Error(`There is no destination "${id}" in your settings.`);
  // Shared before: this is its new version (UpdateDestination), which only its owner or an admin may make.
  const replace = options.replace ?? ((await listShared(ctx)) ?? []).some((s) => s.id === id);
  const review = await ctx.server.request(ShareDestinationRequest.type, { config, replace });
  if (review.blocked) {
    const message = review.reason_message ?? 'The Bin blocked this change.';
    void vscode.window.showErrorMessage(`Sharing ${id} is blocked: ${message}`);
    return { status: 'blocked', code: review.reason ?? 'BIN_BLOCKED', message };
  }
  let explicit = options.accept === true;
  if (review.requires_accept && !explicit) {
    const choice = await vscode.window.showWarningMessage(`Share the destination "${id}" with the team?`, { modal: true, detail: reviewDetail(review) }, 'Accept');
    if (choice !== 'Accept') {
      await ctx.server.request(RejectReviewRequest.type, { transactionId: review.transaction_id, reason: 'not accepted' }).catch(() => undefined);
      return { status: 'cancelled' };
    }
    explicit = true;
  }
  const applied = await ctx.server.request(ApplyTeamChangeRequest.type, { transactionId: review.transaction_id, explicit });
  ctx.logger.info(`Destination "${id}" shared in the team store (version ${applied.version}).`);
  void vscode.window.showInformationMessage(`"${id}" is shared with the team (version ${applied.version}). Grant others access: devguide-export destinations grant ${id} USER write.`);
  return { status: 'shared', id: applied.id, version: applied.version };
}

export async function removeShared(ctx: Ctx, shared: SharedDestinationSummary, confirmed = false): Promise<{ status: 'removed' | 'cancelled' }> {
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(`Remove "${shared.id}" from the team store?`, { modal: true, detail: `Everyone loses it: owner ${shared.owner}, ${shared.access.length} grant(s).` }, 'Remove');
    if (choice !== 'Remove') return { status: 'cancelled' };
  }
  await ctx.server.request(RemoveSharedDestinationRequest.type, { destinationId: shared.id });
  void vscode.window.showInformationMessage(`"${shared.id}" was removed from the team store.`);
  return { status: 'removed' };
}

/** How a shared destination reads in Manage Destinations; `shadowed`: your settings' entry of that id is the one used here. */
export function sharedDetail(shared: SharedDestinationSummary, shadowed = false): string {
  const you = shared.can_administer ? 'you administer it' : shared.can_export ? 'you may export' : 'no access for you';
  const creds = shared.credential_fields.length > 0 ? `team credential: ${shared.credential_fields.join(', ')}` : 'your own credential';
  return `$(organization) Shared by ${shared.owner} · ${you} · ${creds}${shadowed ? ' · your entry used here' : ''}`;
}

/** The destination entries of the settings in effect, as written there (never secrets: the Bin refuses those). */
function settingsEntries(): Record<string, unknown>[] {
  const raw = vscode.workspace.getConfiguration('devguideExport').get<unknown>('destinations');
  return Array.isArray(raw) ? raw.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string') : [];
}
