import type { SessionsResult } from '../../../server/src/protocol';

/**
 * The multi-select list of a session's messages and their blocks, and what
 * a choice in it means as an export selection. Pure (no `vscode`): the
 * QuickPick shows these items as they are.
 */

type Session = SessionsResult['sessions'][number];
type Message = Session['messages'][number];

export interface MessagePickItem {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  messageId: string;
  /** Set for a block row; absent for a whole-message row. */
  blockId?: string;
}

const ROLE_ICON: Readonly<Record<string, string>> = {
  user: '$(account)',
  assistant: '$(hubot)',
  system: '$(gear)',
  tool: '$(tools)',
};

const BLOCK_ICON: Readonly<Record<string, string>> = {
  text: '$(note)',
  code: '$(code)',
  thinking: '$(lightbulb)',
  tool_use: '$(tools)',
  tool_result: '$(output)',
};

/**
 * One row per message, then — for messages with more than one block — one
 * row per block, so a part of a long answer can be picked on its own.
 */
export function messagePickItems(session: Session, options: { pickAll?: boolean } = {}): MessagePickItem[] {
  const items: MessagePickItem[] = [];
  for (const message of session.messages) {
    const who = message.agent_id ? `${message.role} (${message.agent_id})` : message.role;
    items.push({
      label: `${ROLE_ICON[message.role] ?? '$(comment)'} ${who}: ${message.preview || '(empty)'}`,
      description: describeTime(message.created_at),
      ...(message.blocks.length > 1 ? { detail: `${message.blocks.length} blocks · ${message.id}` } : { detail: message.id }),
      ...(options.pickAll ? { picked: true } : {}),
      messageId: message.id,
    });
    if (message.blocks.length < 2) continue;
    for (const block of message.blocks) {
      items.push({
        label: `\u00a0\u00a0\u00a0\u00a0↳ ${BLOCK_ICON[block.kind] ?? '$(note)'} ${block.kind}: ${block.preview || '(empty)'}`,
        description: block.id,
        messageId: message.id,
        blockId: block.id,
      });
    }
  }
  return items;
}

export interface PickedSelection {
  messageIds: string[];
  /** Absent when whole messages only were picked. */
  blockIds?: string[];
}

/**
 * The server filters blocks across all chosen messages, so once any single
 * block is picked, a wholly picked message must list all of its blocks.
 * A message listed without blocks gets the one block the server gives it,
 * `<message id>#0`. Returns undefined when nothing was picked.
 */
export function selectionFromPicks(session: Session, picked: readonly Pick<MessagePickItem, 'messageId' | 'blockId'>[]): PickedSelection | undefined {
  const whole = new Set(picked.filter((p) => p.blockId === undefined).map((p) => p.messageId));
  const partial = picked.filter((p) => p.blockId !== undefined && !whole.has(p.messageId));
  const chosen = new Set([...whole, ...partial.map((p) => p.messageId)]);
  const messageIds = session.messages.filter((m) => chosen.has(m.id)).map((m) => m.id);
  if (messageIds.length === 0) return undefined;
  if (partial.length === 0) return { messageIds };
  const blockIds: string[] = [];
  for (const message of session.messages) {
    if (whole.has(message.id)) blockIds.push(...allBlockIds(message));
    else blockIds.push(...partial.filter((p) => p.messageId === message.id).map((p) => p.blockId as string));
  }
  return { messageIds, blockIds };
}

function allBlockIds(message: Message): string[] {
  return message.blocks.length > 0 ? message.blocks.map((b) => b.id) : [`${message.id}#0`];
}

function describeTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').slice(0, 16);
}
