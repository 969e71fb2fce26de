import assert from 'node:assert/strict';
import type { SessionsResult } from '../../../server/src/protocol';
import { messagePickItems, selectionFromPicks } from '../../../client/src/transcript/messagePicks';

type Session = SessionsResult['sessions'][number];

const session: Session = {
  id: 'sess_demo',
  title: 'Demo',
  messages: [
    { id: 'msg_1', role: 'user', created_at: '2026-01-02T15:29:00Z', agent_id: null, surface: 'reasoning', line: 1, preview: 'Plan the export', blocks: [] },
    {
      id: 'msg_2',
      role: 'assistant',
      created_at: '2026-01-02T15:30:00Z',
      agent_id: 'planner',
      surface: 'reasoning',
      line: 2,
      preview: 'Direct commits…',
      blocks: [
        { id: 'blk_2a', kind: 'text', preview: 'Direct commits' },
        { id: 'blk_2b', kind: 'text', preview: 'Pull requests' },
      ],
    },
    { id: 'msg_3', role: 'assistant', created_at: 'not a time', agent_id: null, surface: 'outputs', preview: '', blocks: [{ id: 'only', kind: 'code', preview: 'x' }] },
  ],
};

describe('client: message and block picks', () => {
  it('lists each message, and the blocks of messages with more than one', () => {
    const items = messagePickItems(session);
    assert.deepEqual(
      items.map((i) => [i.messageId, i.blockId]),
      [['msg_1', undefined], ['msg_2', undefined], ['msg_2', 'blk_2a'], ['msg_2', 'blk_2b'], ['msg_3', undefined]],
    );
    assert.match(items[1]!.label, /assistant \(planner\): Direct commits/);
    assert.equal(items[0]!.description, '2026-01-02 15:29');
    assert.equal(items[4]!.description, 'not a time');
    assert.match(items[4]!.label, /\(empty\)/);
    assert.ok(items.every((i) => i.picked === undefined));
    assert.ok(messagePickItems(session, { pickAll: true }).filter((i) => i.blockId === undefined).every((i) => i.picked));
  });

  it('whole messages only: message ids in session order, no block filter', () => {
    assert.deepEqual(selectionFromPicks(session, [{ messageId: 'msg_2' }, { messageId: 'msg_1' }]), { messageIds: ['msg_1', 'msg_2'] });
  });

  it('a single block: its message, and a block filter that keeps every block of wholly picked messages', () => {
    assert.deepEqual(selectionFromPicks(session, [{ messageId: 'msg_1' }, { messageId: 'msg_2', blockId: 'blk_2b' }]), {
      messageIds: ['msg_1', 'msg_2'],
      blockIds: ['msg_1#0', 'blk_2b'],
    });
  });

  it('a block of a message that is also picked whole adds nothing', () => {
    assert.deepEqual(selectionFromPicks(session, [{ messageId: 'msg_2' }, { messageId: 'msg_2', blockId: 'blk_2a' }]), { messageIds: ['msg_2'] });
  });

  it('nothing picked → undefined', () => {
    assert.equal(selectionFromPicks(session, []), undefined);
  });
});
