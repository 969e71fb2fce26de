import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HbsParseResult, copyTree, parseBody } from '../../../server/src/templates/ast';
import { topLevelLineStarts } from '../../../server/src/templates/bodyChunks';
import { clearParsedChunks, parseBodyIncremental } from '../../../server/src/templates/incrementalParse';
import { defaultBuiltinTemplatesDir } from '../../../server/src/templates/registry';
import { benchTemplate } from '../../bench/diagnostics.bench';
import { BUILTIN_IDS } from './fixtures';

/**
 * The incremental parse must give what Handlebars gives for the whole body:
 * the same nodes, positions, prototypes, and objects shared between nodes
 * the same way. Checked on real templates, on tricky constructs, and on
 * random bodies edited at random (so reused and moved chunks are covered).
 */

/** deepStrictEqual, plus: objects shared in `expected` are shared in `actual` the same way. */
function assertSameTree(actual: unknown, expected: unknown, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
  const pairs = new Map<object, object>();
  const walk = (a: unknown, e: unknown): void => {
    if (typeof e !== 'object' || e === null) return;
    const seen = pairs.get(e);
    if (seen !== undefined) {
      assert.equal(seen, a, `${message ?? ''}: an object shared in the one-piece parse is not shared the same way`);
      return;
    }
    pairs.set(e, a as object);
    for (const key of Object.keys(e)) walk((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key]);
  };
  walk(actual, expected);
}

function assertParsesLikeHandlebars(body: string, message = JSON.stringify(body)): HbsParseResult {
  const expected = parseBody(body);
  const actual = parseBodyIncremental(body);
  assertSameTree(actual, expected, message);
  return actual;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Well-formed pieces the cuts model. */
const PIECES = [
  'Plain text line',
  '',
  '   ',
  '# {{metadata.title}}',
  '{{upper role}} at {{date created_at "datetime"}}',
  '{{#each messages}}\n- {{role}}: {{content}}\n{{/each}}',
  '{{#each messages as |message index|}}{{index}} {{message.role}}{{/each}}',
  '{{#if metadata.tags}}\nTags: {{join metadata.tags ", "}}\n{{else if stats}}\nnone\n{{else}}\n-\n{{/if}}',
  '{{^messages}}\nnothing\n{{/messages}}',
  '{{#unless a}}x{{^}}y{{/unless}}',
  '{{!-- a comment with {{mustaches}}\nand a second line --}}',
  '{{!--}}',
  '{{! short comment }}',
  '{{~! trimmed comment ~}}',
  '{{helper "a }} string" \'and }} another\' key="v"}}',
  '{{helper "a string\non two lines"}}',
  '{{lookup this.[odd }} segment] "x"}}',
  '{{{content}}}',
  '{{~tight~}}',
  '{{& unescaped}}',
  '{{> partial}}',
  '{{#> layout}}\ninside\n{{/layout}}',
  '{{#*inline "name"}}x{{/inline}}',
  '{{* decorator}}',
  'tab\there',
  'ünïcödé ✓ {{title}}',
  'line with a\r\nCRLF break',
  'a lone\rcarriage return',
  '{{truncate (oneLine content) 120}}',
  '{{#with metadata}}\n{{title}}\n{{/with}}',
];

/** Valid, but parsed in one piece. */
const UNMODELLED_PIECES = ['\\{{escaped}} text', '\\\\{{real}} after a backslash', '{{{{raw}}}} {{not parsed}} {{{{/raw}}}}', 'a\u2028separator'];

/** Broken on purpose: the parse must fail exactly like the one-piece parse. */
const BROKEN_PIECES = ['{{#if open}}', '{{/each}}', '{{else}}', '{{unclosed', '{{x}}}', '{{{x}}', '{{x}}}}', '{{#a}}{{/b}}', '}} stray', '{{!-- never closed'];

function pick(next: () => number, pool: readonly string[]): string {
  return pool[Math.floor(next() * pool.length)] ?? '';
}

/** Mostly well-formed: a broken or unmodelled piece one time in ten. */
function randomPiece(next: () => number): string {
  const roll = next();
  return pick(next, roll < 0.05 ? UNMODELLED_PIECES : roll < 0.1 ? BROKEN_PIECES : PIECES);
}

function randomBody(next: () => number, pieces: number): string {
  const parts: string[] = [];
  for (let i = 0; i < pieces; i += 1) parts.push(pick(next, PIECES));
  if (next() < 0.2) parts.splice(Math.floor(next() * parts.length), 0, randomPiece(next));
  return parts.join(next() < 0.8 ? '\n' : '');
}

function randomEdit(next: () => number, body: string): string {
  const lines = body.split('\n');
  const at = Math.floor(next() * (lines.length + 1));
  const choice = next();
  if (choice < 0.3) lines.splice(at, 0, randomPiece(next));
  else if (choice < 0.5) lines.splice(at, 1);
  else if (choice < 0.8) lines[at] = `${lines[at] ?? ''} edited`;
  else lines[at] = randomPiece(next);
  return lines.join('\n');
}

describe('incremental template parse', () => {
  beforeEach(() => clearParsedChunks());

  it('gives the one-piece parse on the built-in templates and the bench template', () => {
    const texts = BUILTIN_IDS.map((id) => readFileSync(join(defaultBuiltinTemplatesDir(), `${id}.hbs`), 'utf8'));
    texts.push(benchTemplate(500).text, benchTemplate(2000).text);
    for (const text of texts) {
      assertParsesLikeHandlebars(text);
      assertParsesLikeHandlebars(text); // again, from reused chunks
      assertParsesLikeHandlebars(text.replace(/\n/g, '\r\n'));
    }
  });

  it('reuses chunks after an edit and moves the ones below a new line', () => {
    const { text } = benchTemplate(500);
    assertParsesLikeHandlebars(text);
    const edited = text.replace('This part lists', 'This part (edited) lists');
    assertParsesLikeHandlebars(edited);
    const moved = edited.replace('### Part 2', '### Part 2\n\nA new paragraph {{metadata.title}}\n');
    assertParsesLikeHandlebars(moved);
    assertParsesLikeHandlebars(text);
  });

  it('cuts only at line starts outside blocks, mustaches and comments', () => {
    const body = 'a\n{{#if x}}\nb\n{{/if}}\nc {{!-- d }}\ne --}}\nf {{g "h }}\ni" [k }}\nl]}}\nj {{! m\n}}\nn\n';
    const starts = topLevelLineStarts(body) ?? [];
    assert.deepEqual(
      starts.map((offset) => body.slice(offset).split('\n')[0]),
      ['a', '{{#if x}}', 'c {{!-- d }}', 'f {{g "h }}', 'j {{! m', 'n'],
    );
    assertParsesLikeHandlebars(body);
  });

  it('parses in one piece what the cuts do not model', () => {
    for (const body of ['a\n\\{{x}}\nb\n', 'a\n{{{{raw}}}}\n{{x}}\n{{{{/raw}}}}\n', 'a\u2028b\n{{x}}\nc\n', 'a\n{{#if x}}\nb\n']) {
      assertParsesLikeHandlebars(body);
    }
    assert.equal(topLevelLineStarts('a\n\\{{x}}\nb\n'), undefined);
    assert.equal(topLevelLineStarts('a\n{{{{raw}}}}{{{{/raw}}}}\n'), undefined);
  });

  it('reports syntax errors exactly like the one-piece parse', () => {
    for (const body of ['a\n{{#if x}}\nb\n', 'a\n{{/each}}\n', 'a\nb {{foo\nc\n', 'a\n{{#a}}\n{{/b}}\n', 'a\n{{else}}\nb\n']) {
      const result = assertParsesLikeHandlebars(body);
      assert.equal(result.ok, false, body);
    }
  });

  it('gives the one-piece parse on random bodies and random edits of them', () => {
    const next = random(20_240_611);
    for (let round = 0; round < 200; round += 1) {
      let body = randomBody(next, 1 + Math.floor(next() * 30));
      assertParsesLikeHandlebars(body, `round ${round}: ${JSON.stringify(body)}`);
      for (let edit = 0; edit < 4; edit += 1) {
        body = randomEdit(next, body);
        assertParsesLikeHandlebars(body, `round ${round}, edit ${edit}: ${JSON.stringify(body)}`);
      }
    }
  });

  it('copies a tree deeply, keeping prototypes and shared objects', () => {
    const parsed = parseBody('{{#if a}}x{{else if b}}y{{else}}z{{/if}}\n{{title}}\n');
    assert.ok(parsed.ok);
    const copy = copyTree(parsed.ast);
    assertSameTree(copy, parsed.ast);
    assert.notEqual(copy.body[0], parsed.ast.body[0]);
    assert.notEqual(copy.body[0]?.loc, parsed.ast.body[0]?.loc);
  });
});
