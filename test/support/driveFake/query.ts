/**
 * Drive's search query language (files.list `q`) as Drive parses it:
 * terms `field operator value`, `'value' in field`, `field has {…}`, joined
 * with and / or / not and parentheses. A string is quoted with `'`; inside
 * it only `\'` and `\\` are escapes — anything else after a backslash, an
 * unterminated string, an unknown field or an operator a field does not
 * take makes the query invalid (Drive answers 400 "Invalid Value").
 *
 * Sources: developers.google.com/workspace/drive/api/guides/ref-search-terms
 * and search-files ("Escape single quotes with a backslash").
 */

export class InvalidQuery extends Error {}

export interface QueryFile {
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  starred: boolean;
  modifiedTime: string;
  createdTime: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  fullText: string;
}

type Token = { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'op'; value: string } | { kind: 'punct'; value: string };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= q.length) throw new InvalidQuery('unterminated string');
        const d = q[i] as string;
        if (d === '\\') {
          const next = q[i + 1];
          if (next !== "'" && next !== '\\') throw new InvalidQuery(`invalid escape \\${next ?? ''}`);
          value += next;
          i += 2;
          continue;
        }
        if (d === "'") {
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value });
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(q.slice(i));
    if (op) {
      tokens.push({ kind: 'op', value: op[1] as string });
      i += (op[1] as string).length;
      continue;
    }
    if ('(){}'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (!word) throw new InvalidQuery(`unexpected "${c}"`);
    tokens.push({ kind: 'word', value: word[0] });
    i += word[0].length;
  }
  return tokens;
}

type Predicate = (file: QueryFile) => boolean;

const STRING_FIELDS: Record<string, string[]> = { name: ['contains', '=', '!='], mimeType: ['contains', '=', '!='], fullText: ['contains'], visibility: ['=', '!='] };
const DATE_FIELDS = new Set(['modifiedTime', 'createdTime', 'viewedByMeTime']);
const BOOLEAN_FIELDS = new Set(['trashed', 'starred', 'sharedWithMe']);
const COLLECTION_FIELDS = new Set(['parents', 'owners', 'writers', 'readers']);
const HAS_FIELDS = new Set(['properties', 'appProperties']);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    if (this.tokens.length === 0) throw new InvalidQuery('empty query');
    const predicate = this.or();
    if (this.at < this.tokens.length) throw new InvalidQuery('unexpected token after the query');
    return predicate;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new InvalidQuery('unexpected end of the query');
    return token;
  }
  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.value.toLowerCase() === word) {
      this.at++;
      return true;
    }
    return false;
  }
  private expect(kind: Token['kind'], value?: string): Token {
    const token = this.next();
    if (token.kind !== kind || (value !== undefined && token.value !== value)) throw new InvalidQuery(`expected ${value ?? kind}`);
    return token;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.keyword('or')) parts.push(this.and());
    return parts.length === 1 ? (parts[0] as Predicate) : (f) => parts.some((p) => p(f));
  }
  private and(): Predicate {
    const parts = [this.not()];
    while (this.keyword('and')) parts.push(this.not());
    return parts.length === 1 ? (parts[0] as Predicate) : (f) => parts.every((p) => p(f));
  }
  private not(): Predicate {
    if (this.keyword('not')) {
      const inner = this.not();
      return (f) => !inner(f);
    }
    return this.primary();
  }
  private primary(): Predicate {
    const token = this.peek();
    if (token?.kind === 'punct' && token.value === '(') {
      this.at++;
      const inner = this.or();
      this.expect('punct', ')');
      return inner;
    }
    if (token?.kind === 'string') {
      // 'value' in parents
      this.at++;
      if (!this.keyword('in')) throw new InvalidQuery('a string must be followed by "in"');
      const field = this.expect('word').value;
      if (!COLLECTION_FIELDS.has(field)) throw new InvalidQuery(`"in" does not apply to ${field}`);
      const value = token.value;
      return (f) => (field === 'parents' ? f.parents.includes(value) : false);
    }
    const field = this.expect('word').value;
    if (HAS_FIELDS.has(field)) return this.has(field as 'properties' | 'appProperties');
    const operator = this.peek();
    let op: string;
    if (operator?.kind === 'op') op = this.next().value;
    else if (operator?.kind === 'word' && operator.value.toLowerCase() === 'contains') {
      this.at++;
      op = 'contains';
    } else throw new InvalidQuery(`expected an operator after ${field}`);
    const value = this.next();
    if (field in STRING_FIELDS) {
      if (!STRING_FIELDS[field]?.includes(op) || value.kind !== 'string') throw new InvalidQuery(`${field} ${op} is not supported`);
      const text = value.value;
      const read = (f: QueryFile) => (field === 'name' ? f.name : field === 'mimeType' ? f.mimeType : field === 'fullText' ? f.fullText : 'limited');
      // Drive matches `contains` case-insensitively (by word prefix for names; a substring is close enough here).
      if (op === 'contains') return (f) => read(f).toLowerCase().includes(text.toLowerCase());
      return op === '=' ? (f) => read(f) === text : (f) => read(f) !== text;
    }
    if (BOOLEAN_FIELDS.has(field)) {
      if ((op !== '=' && op !== '!=') || value.kind !== 'word' || !['true', 'false'].includes(value.value)) throw new InvalidQuery(`${field} takes = true|false`);
      const wanted = value.value === 'true';
      const read = (f: QueryFile) => (field === 'trashed' ? f.trashed : field === 'starred' ? f.starred : false);
      return op === '=' ? (f) => read(f) === wanted : (f) => read(f) !== wanted;
    }
    if (DATE_FIELDS.has(field)) {
      if (op === 'contains' || value.kind !== 'string' || Number.isNaN(Date.parse(value.value))) throw new InvalidQuery(`${field} takes a date`);
      const when = Date.parse(value.value);
      const read = (f: QueryFile) => Date.parse(field === 'createdTime' ? f.createdTime : f.modifiedTime);
      const compare: Record<string, (a: number) => boolean> = { '=': (a) => a === when, '!=': (a) => a !== when, '<': (a) => a < when, '<=': (a) => a <= when, '>': (a) => a > when, '>=': (a) => a >= when };
      const test = compare[op] as (a: number) => boolean;
      return (f) => test(read(f));
    }
    throw new InvalidQuery(`unknown field ${field}`);
  }

  /** `appProperties has { key='k' and value='v' }` */
  private has(field: 'properties' | 'appProperties'): Predicate {
    if (!this.keyword('has')) throw new InvalidQuery(`${field} takes "has"`);
    this.expect('punct', '{');
    if (!this.keyword('key')) throw new InvalidQuery('expected key=');
    this.expect('op', '=');
    const key = this.expect('string').value;
    if (!this.keyword('and') || !this.keyword('value')) throw new InvalidQuery('expected and value=');
    this.expect('op', '=');
    const value = this.expect('string').value;
    this.expect('punct', '}');
    return (f) => f[field][key] === value;
  }
}

/** The query as a predicate over files, or InvalidQuery. */
export function parseDriveQuery(q: string): Predicate {
  return new Parser(tokenize(q)).parse();
}
