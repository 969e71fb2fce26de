/**
 * Syntax colouring for XML and YAML output: a tokenizer that yields
 * `[class, text]` pairs, turned into <span>s with textContent. The text is
 * never parsed as markup, so a tag inside the exported XML is only coloured.
 */

export type TokenClass = 'tag' | 'attr' | 'string' | 'comment' | 'punct' | 'entity' | 'key' | 'number' | 'literal' | 'meta' | 'text';
export type Token = readonly [TokenClass, string];

/** Above this size colouring is skipped: plain text renders in a fraction of the time. */
export const HIGHLIGHT_LIMIT = 256 * 1024;

export function highlighted(tokens: Iterable<Token>): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const [kind, text] of tokens) {
    if (kind === 'text') {
      fragment.appendChild(document.createTextNode(text));
    } else {
      const span = document.createElement('span');
      span.className = `tok-${kind}`;
      span.textContent = text;
      fragment.appendChild(span);
    }
  }
  return fragment;
}

// ---------------------------------------------------------------- XML

const XML_SPECIALS: readonly (readonly [string, string, TokenClass])[] = [
  ['<!--', '-->', 'comment'],
  ['<![CDATA[', ']]>', 'string'],
  ['<?', '?>', 'meta'],
  ['<!', '>', 'meta'],
];

export function* xmlTokens(source: string): Generator<Token> {
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const amp = source.indexOf('&', i);
    const next = Math.min(lt < 0 ? source.length : lt, amp < 0 ? source.length : amp);
    if (next > i) yield ['text', source.slice(i, next)];
    i = next;
    if (i >= source.length) break;
    if (source[i] === '&') {
      const entity = /^&(?:#\d+|#x[\da-fA-F]+|\w+);/.exec(source.slice(i, i + 12));
      const text = entity?.[0] ?? '&';
      yield [entity ? 'entity' : 'text', text];
      i += text.length;
      continue;
    }
    const special = XML_SPECIALS.find(([open]) => source.startsWith(open, i));
    if (special) {
      const [, close, kind] = special;
      const end = source.indexOf(close, i + special[0].length);
      const stop = end < 0 ? source.length : end + close.length;
      yield [kind, source.slice(i, stop)];
      i = stop;
      continue;
    }
    i = yield* xmlTag(source, i);
  }
}

/** A start or end tag at `i` (the `<`); returns the index after it. */
function* xmlTag(source: string, start: number): Generator<Token, number> {
  const name = /^<\/?[\w:.-]*/.exec(source.slice(start, start + 256))?.[0] ?? '<';
  yield ['punct', name.startsWith('</') ? '</' : '<'];
  const tagName = name.slice(name.startsWith('</') ? 2 : 1);
  if (tagName) yield ['tag', tagName];
  let i = start + name.length;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '>' || (ch === '/' && source[i + 1] === '>')) {
      const close = ch === '>' ? '>' : '/>';
      yield ['punct', close];
      return i + close.length;
    }
    if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      const stop = end < 0 ? source.length : end + 1;
      yield ['string', source.slice(i, stop)];
      i = stop;
      continue;
    }
    if (ch === '=') {
      yield ['punct', '='];
      i += 1;
      continue;
    }
    if (ch === '<') return i; // a stray `<`: the tag never closed
    const word = /^[^\s=>"'/<]+/.exec(source.slice(i, i + 256))?.[0];
    if (word) {
      yield ['attr', word];
      i += word.length;
      continue;
    }
    yield ['text', ch];
    i += 1;
  }
  return i;
}

// ---------------------------------------------------------------- YAML

const YAML_LITERAL = /^(?:true|false|null|yes|no|on|off|~)$/i;
const YAML_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.inf|\.nan|0x[\da-fA-F]+|0o[0-7]+)$/;

export function* yamlTokens(source: string): Generator<Token> {
  const lines = source.split('\n');
  for (let n = 0; n < lines.length; n += 1) {
    yield* yamlLine(lines[n] ?? '');
    if (n < lines.length - 1) yield ['text', '\n'];
  }
}

function* yamlLine(line: string): Generator<Token> {
  if (/^(?:---|\.\.\.)\s*$/.test(line)) {
    yield ['meta', line];
    return;
  }
  const indent = /^[ \t]*(?:- +)*/.exec(line)?.[0] ?? '';
  if (indent) yield ['punct', indent];
  let rest = line.slice(indent.length);
  if (rest.startsWith('#')) {
    yield ['comment', rest];
    return;
  }
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#][^:#]*?)(\s*:)(?=\s|$)/.exec(rest);
  if (key) {
    yield ['key', key[1] ?? ''];
    yield ['punct', key[2] ?? ':'];
    rest = rest.slice(key[0].length);
  }
  yield* yamlValue(rest);
}

function* yamlValue(value: string): Generator<Token> {
  const comment = /(^|\s)#/.exec(value);
  const body = comment ? value.slice(0, comment.index + (comment[1] ?? '').length) : value;
  const trailing = comment ? value.slice(body.length) : '';
  const lead = /^\s*/.exec(body)?.[0] ?? '';
  const core = body.slice(lead.length).trimEnd();
  const tail = body.slice(lead.length + core.length);
  if (lead) yield ['text', lead];
  if (core) yield [yamlScalarClass(core), core];
  if (tail) yield ['text', tail];
  if (trailing) yield ['comment', trailing];
}

function yamlScalarClass(core: string): TokenClass {
  if (/^["']/.test(core)) return 'string';
  if (YAML_LITERAL.test(core)) return 'literal';
  if (YAML_NUMBER.test(core)) return 'number';
  if (/^[&*!][\w-]+/.test(core) || /^[|>][-+]?\d*$/.test(core) || /^[[{]/.test(core)) return 'meta';
  return 'string';
}

// ---------------------------------------------------------------- front matter

/** Splits `---\n…\n---\n` front matter from the body; `frontMatter` keeps both fence lines. */
export function splitFrontMatter(text: string): { frontMatter: string | null; body: string } {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { frontMatter: null, body: text };
  const close = lines.findIndex((line, n) => n > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
  if (close < 0) return { frontMatter: text, body: '' }; // truncated inside the front matter
  return { frontMatter: lines.slice(0, close + 1).join('\n'), body: lines.slice(close + 1).join('\n') };
}
