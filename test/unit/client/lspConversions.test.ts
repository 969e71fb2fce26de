import assert from 'node:assert/strict';
import {
  completionInsert,
  completionItemsOf,
  configurationValues,
  diagnosticCode,
  diagnosticMessage,
  documentationOf,
  hoverParts,
  logLevelOf,
  matchesSelector,
  messageSeverityOf,
  syncOptionsOf,
  toLspContentChanges,
  toLspRange,
  toLspTriggerKind,
  toPlainJson,
  toVsCompletionKind,
  toVsCompletionTags,
  toVsDiagnosticTags,
  toVsSeverity,
} from '../../../client/src/server/lspConversions';
import { RestartPolicy } from '../../../client/src/server/restartPolicy';

const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe('client: LSP ↔ VS Code conversions', () => {
  it('maps LSP diagnostic severities 1..4 to VS Code Error..Hint (0..3); absent is an error', () => {
    assert.deepEqual([1, 2, 3, 4].map(toVsSeverity), [0, 1, 2, 3]);
    assert.equal(toVsSeverity(undefined), 0);
  });

  it('maps completion kinds to VS Code kind − 1, an unknown one to Text', () => {
    assert.equal(toVsCompletionKind(1), 0, 'Text');
    assert.equal(toVsCompletionKind(3), 2, 'Function');
    assert.equal(toVsCompletionKind(10), 9, 'Property');
    assert.equal(toVsCompletionKind(25), 24, 'TypeParameter');
    assert.equal(toVsCompletionKind(99), 0);
    assert.equal(toVsCompletionKind(undefined), undefined);
  });

  it('keeps known tags only, and treats `deprecated: true` as the Deprecated tag', () => {
    assert.deepEqual(toVsDiagnosticTags([1, 2, 7]), [1, 2]);
    assert.equal(toVsDiagnosticTags([7]), undefined);
    assert.deepEqual(toVsCompletionTags({ deprecated: true }), [1]);
    assert.deepEqual(toVsCompletionTags({ tags: [1] }), [1]);
    assert.equal(toVsCompletionTags({}), undefined);
  });

  it('maps VS Code trigger kinds (0..2) to LSP (1..3)', () => {
    assert.deepEqual([0, 1, 2].map(toLspTriggerKind), [1, 2, 3]);
  });

  it('maps message types to log levels and notification kinds', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(logLevelOf), ['error', 'warn', 'info', 'info', 'debug']);
    assert.deepEqual([1, 2, 3, 4].map(messageSeverityOf), ['error', 'warning', 'information', 'information']);
  });

  it('gives a diagnostic code with its description as {value, target}', () => {
    assert.equal(diagnosticCode({ code: 'unknown-key' }), 'unknown-key');
    assert.equal(diagnosticCode({ code: 42 }), 42);
    assert.equal(diagnosticCode({}), undefined);
    assert.deepEqual(diagnosticCode({ code: 'x', codeDescription: { href: 'https://example.com/x' } }), { value: 'x', target: 'https://example.com/x' });
    assert.equal(diagnosticMessage({ kind: 'markdown', value: '**bold**' }), '**bold**');
  });

  it('splits hover contents into Markdown, plain text and code blocks', () => {
    assert.deepEqual(hoverParts({ kind: 'markdown', value: '# Title' }), [{ markdown: '# Title' }]);
    assert.deepEqual(hoverParts({ kind: 'plaintext', value: '<b>' }), [{ text: '<b>' }]);
    assert.deepEqual(hoverParts('plain *md*'), [{ markdown: 'plain *md*' }]);
    assert.deepEqual(hoverParts(['a', { language: 'yaml', value: 'k: v' }]), [{ markdown: 'a' }, { code: 'k: v', language: 'yaml' }]);
  });

  it('keeps plain documentation a string and makes Markdown a Markdown part', () => {
    assert.equal(documentationOf('text'), 'text');
    assert.equal(documentationOf({ kind: 'plaintext', value: 'text' }), 'text');
    assert.deepEqual(documentationOf({ kind: 'markdown', value: '`code`' }), { markdown: '`code`' });
    assert.equal(documentationOf(undefined), undefined);
  });

  it('reads both completion result shapes and applies a list’s item defaults', () => {
    assert.deepEqual(completionItemsOf(null), { items: [], isIncomplete: false });
    assert.deepEqual(completionItemsOf([{ label: 'a' }]), { items: [{ label: 'a' }], isIncomplete: false });
    const list = completionItemsOf({
      isIncomplete: true,
      itemDefaults: { editRange: range(0, 2, 0, 4), commitCharacters: ['.'], insertTextFormat: 2 },
      items: [{ label: 'title' }, { label: 'tags', insertText: 'tags$0', commitCharacters: [] }],
    });
    assert.equal(list.isIncomplete, true);
    assert.deepEqual(list.items[0], { label: 'title', commitCharacters: ['.'], insertTextFormat: 2, textEdit: { newText: 'title', range: range(0, 2, 0, 4) } });
    assert.deepEqual(list.items[1]?.textEdit, { newText: 'tags$0', range: range(0, 2, 0, 4) });
    assert.deepEqual(list.items[1]?.commitCharacters, [], 'an item’s own value wins');
  });

  it('says what a completion inserts, where, and whether it is a snippet', () => {
    assert.deepEqual(completionInsert({}), { text: undefined, snippet: false, range: undefined });
    assert.deepEqual(completionInsert({ insertText: 'each', insertTextFormat: 1 }), { text: 'each', snippet: false, range: undefined });
    assert.deepEqual(completionInsert({ textEdit: { range: range(1, 3, 1, 5), newText: 'title' } }), { text: 'title', snippet: false, range: range(1, 3, 1, 5) });
    assert.deepEqual(completionInsert({ insertTextFormat: 2, textEdit: { newText: '${1:x}', insert: range(0, 0, 0, 1), replace: range(0, 0, 0, 3) } }), {
      text: '${1:x}',
      snippet: true,
      range: { inserting: range(0, 0, 0, 1), replacing: range(0, 0, 0, 3) },
    });
  });

  it('matches documents against the template selector by scheme and language', () => {
    const selector = [
      { scheme: 'file', language: 'devguide-template' },
      { scheme: 'file', language: 'handlebars' },
    ];
    const doc = (scheme: string, languageId: string) => ({ uri: { scheme }, languageId });
    assert.ok(matchesSelector(doc('file', 'devguide-template'), selector));
    assert.ok(matchesSelector(doc('file', 'handlebars'), selector));
    assert.ok(!matchesSelector(doc('untitled', 'handlebars'), selector), 'not saved anywhere: the server cannot tell if it is a template');
    assert.ok(!matchesSelector(doc('git', 'devguide-template'), selector));
    assert.ok(!matchesSelector(doc('file', 'markdown'), selector));
  });

  it('reads the server’s sync options in both forms', () => {
    assert.deepEqual(syncOptionsOf(2), { openClose: true, change: 2 });
    assert.deepEqual(syncOptionsOf(0), { openClose: false, change: 0 });
    assert.deepEqual(syncOptionsOf({ openClose: true, change: 1 }), { openClose: true, change: 1 });
    assert.deepEqual(syncOptionsOf({}), { openClose: false, change: 0 });
    assert.deepEqual(syncOptionsOf(undefined), { openClose: false, change: 0 });
  });

  it('copies ranges and content changes field by field (a vscode.Range serialises as an array)', () => {
    class ArrayRange {
      constructor(
        readonly start: { line: number; character: number },
        readonly end: { line: number; character: number },
      ) {}
      toJSON() {
        return [this.start, this.end];
      }
    }
    const vsRange = new ArrayRange({ line: 2, character: 4 }, { line: 2, character: 9 });
    assert.deepEqual(JSON.parse(JSON.stringify(toLspRange(vsRange))), range(2, 4, 2, 9));
    assert.deepEqual(toLspContentChanges([{ range: vsRange, rangeLength: 5, text: 'title' }]), [{ range: range(2, 4, 2, 9), rangeLength: 5, text: 'title' }]);
  });

  it('answers workspace/configuration with plain JSON per section, null without one', () => {
    const asked: string[] = [];
    const values = configurationValues([{ section: 'devguideExport' }, {}, { section: 'missing', scopeUri: 'file:///w' }], (section, scopeUri) => {
      asked.push(`${section}@${scopeUri ?? ''}`);
      if (section === 'devguideExport') return { templatesDir: 'tpl', destinations: [{ id: 'local', type: 'local' }], limits: { maxRetries: 3 }, skip: undefined };
      return undefined;
    });
    assert.deepEqual(values, [{ templatesDir: 'tpl', destinations: [{ id: 'local', type: 'local' }], limits: { maxRetries: 3 } }, null, null]);
    assert.deepEqual(asked, ['devguideExport@', 'missing@file:///w']);
    assert.deepEqual(toPlainJson({ f: () => 1, n: Number.NaN, a: [undefined, 1] }), { n: null, a: [null, 1] });
  });
});

describe('client: language server restart policy', () => {
  it('allows 3 restarts within 3 minutes, then refuses until the oldest is older than that', () => {
    let now = 0;
    const policy = new RestartPolicy(3, 180_000, () => now);
    assert.ok(policy.shouldRestart());
    now = 1_000;
    assert.ok(policy.shouldRestart());
    now = 2_000;
    assert.ok(policy.shouldRestart());
    now = 3_000;
    assert.ok(!policy.shouldRestart(), 'a fourth crash within 3 minutes');
    now = 180_000;
    assert.ok(policy.shouldRestart(), 'the first restart has aged out');
  });
});
