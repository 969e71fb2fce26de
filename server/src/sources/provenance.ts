import type { Block, BlockKind, ChatMessage } from '../model';

/**
 * Blocks carry their message's provenance (DESIGN.md §3): parsers read a
 * block's id, kind and content first, and stamp the rest once the message
 * is complete (its role or time may depend on later lines).
 */

/** A block as a parser reads it, before its message is known. */
export type BlockDraft = Pick<Block, 'id' | 'kind' | 'content'>;

/** A message whose blocks are still drafts. */
export type MessageDraft = Omit<ChatMessage, 'blocks'> & { blocks: BlockDraft[] };

export function blockOf(message: Omit<ChatMessage, 'blocks'>, draft: BlockDraft): Block {
  return makeBlock(message, draft.id, draft.kind, draft.content);
}

/** blockOf without the draft object, for parsers that read thousands of rows. */
export function makeBlock(message: Omit<ChatMessage, 'blocks'>, id: string, kind: BlockKind, content: string): Block {
  const block: Block = { id, kind, content, messageId: message.id, role: message.role, timestamp: message.createdAt, surface: message.surface };
  if (message.agentId !== undefined) block.agentId = message.agentId;
  return block;
}

/** The message with every block stamped with its id, role, time, agent and surface. */
export function withBlockProvenance(message: MessageDraft): ChatMessage {
  return { ...message, blocks: message.blocks.map((draft) => blockOf(message, draft)) };
}
