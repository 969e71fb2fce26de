import type { Block, ChatMessage } from '../model';

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
  const block: Block = {
    id: draft.id,
    kind: draft.kind,
    content: draft.content,
    messageId: message.id,
    role: message.role,
    timestamp: message.createdAt,
    surface: message.surface,
  };
  if (message.agentId !== undefined) block.agentId = message.agentId;
  return block;
}

/** The message with every block stamped with its id, role, time, agent and surface. */
export function withBlockProvenance(message: MessageDraft): ChatMessage {
  return { ...message, blocks: message.blocks.map((draft) => blockOf(message, draft)) };
}
