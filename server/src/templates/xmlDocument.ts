/**
 * The parts of XML 1.0 well-formedness that fast-xml-parser's XMLValidator
 * leaves unchecked (it checks tags, attributes and their nesting, not the
 * document around them):
 * - exactly one root element (§2.1 `document ::= prolog element Misc*`);
 * - outside it only comments, processing instructions and whitespace; the
 *   XML declaration only at the very start; one DOCTYPE, before the root (§2.8);
 * - entity references to declared entities (WFC: Entity Declared: without a
 *   DOCTYPE only the five predefined ones) and character references to
 *   characters XML allows (WFC: Legal Character);
 * - no `<` in attribute values (WFC: No < in Attribute Values), no `]]>` in
 *   text (§2.4), no `--` inside comments (§2.5).
 *
 * Meant to run once XMLValidator has accepted the text: tags are then known
 * to be balanced and well-formed, so one forward scan is enough.
 */

export interface XmlProblem {
  /** Offset in the text where the problem starts. */
  index: number;
  message: string;
}

const PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'apos', 'quot']);
const NOT_XML_SPACE = /[^ \t\r\n]/;
const TAG_NAME = /[^\s/>]+/y;

export function xmlDocumentProblem(text: string): XmlProblem | undefined {
  return new DocumentScan(text).run();
}

class DocumentScan {
  private depth = 0;
  private roots = 0;
  private doctype = false;
  private readonly ampersands: Finder;
  private readonly cdataEnds: Finder;

  constructor(private readonly text: string) {
    this.ampersands = new Finder(text, '&');
    this.cdataEnds = new Finder(text, ']]>');
  }

  run(): XmlProblem | undefined {
    const { text } = this;
    const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let i = start;
    while (i < text.length) {
      const lt = text.indexOf('<', i);
      const textEnd = lt === -1 ? text.length : lt;
      if (textEnd > i) {
        const problem = this.depth === 0 ? outsideText(text, i, textEnd) : this.contentText(i, textEnd);
        if (problem !== undefined) return problem;
      }
      if (lt === -1) break;
      const step = this.markup(lt, start);
      if ('message' in step) return step;
      i = step.next;
    }
    if (this.roots === 0) return { index: text.length, message: 'the document has no root element' };
    return undefined;
  }

  /** The markup starting at `i` (a `<`): where the scan goes on, or what is wrong with it. */
  private markup(i: number, documentStart: number): { next: number } | XmlProblem {
    const { text } = this;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return { index: i, message: 'a comment is never closed' };
      const dashes = text.indexOf('--', i + 4);
      if (dashes < end) return { index: dashes, message: '"--" inside a comment (XML comments cannot contain two hyphens in a row)' };
      return { next: end + 3 };
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return { index: i, message: 'a processing instruction is never closed' };
      const target = /^[^\s?]*/.exec(text.slice(i + 2, Math.min(end, i + 66)))?.[0] ?? '';
      if (target.toLowerCase() === 'xml' && i !== documentStart) {
        return { index: i, message: 'the XML declaration is allowed only at the very start of the document' };
      }
      return { next: end + 2 };
    }
    if (text.startsWith('<![CDATA[', i)) {
      if (this.depth === 0) return { index: i, message: 'a CDATA section outside the root element' };
      const end = text.indexOf(']]>', i + 9);
      if (end === -1) return { index: i, message: 'a CDATA section is never closed' };
      return { next: end + 3 };
    }
    if (text.startsWith('<!', i)) {
      if (this.roots > 0) return { index: i, message: 'the DOCTYPE must come before the root element' };
      if (this.doctype) return { index: i, message: 'a document has only one DOCTYPE' };
      this.doctype = true;
      return { next: doctypeEnd(text, i) };
    }
    if (text[i + 1] === '/') {
      this.depth -= 1;
      const end = text.indexOf('>', i);
      return { next: end === -1 ? text.length : end + 1 };
    }
    return this.startTag(i);
  }

  private startTag(i: number): { next: number } | XmlProblem {
    const { text } = this;
    TAG_NAME.lastIndex = i + 1;
    const name = TAG_NAME.exec(text)?.[0] ?? '';
    if (this.depth === 0) {
      this.roots += 1;
      if (this.roots > 1) return { index: i, message: `a second root element <${name}>; an XML document has exactly one root element` };
    }
    // Attribute values may hold ">": skip quoted runs while looking for the tag's end.
    let j = i + 1 + name.length;
    for (;;) {
      const close = text.indexOf('>', j);
      if (close === -1) return { next: text.length };
      const quote = nextQuote(text, j, close);
      if (quote === -1) {
        if (text[close - 1] !== '/') this.depth += 1;
        return { next: close + 1 };
      }
      const quoteEnd = text.indexOf(text[quote] as string, quote + 1);
      if (quoteEnd === -1) return { next: text.length };
      const lt = text.indexOf('<', quote + 1);
      if (lt !== -1 && lt < quoteEnd) {
        const attribute = /([^\s=]+)\s*=\s*$/.exec(text.slice(Math.max(j, quote - 200), quote))?.[1] ?? '';
        return { index: lt, message: `"<" in the value of attribute "${attribute}" (write &lt;)` };
      }
      const reference = this.referenceProblem(quote + 1, quoteEnd);
      if (reference !== undefined) return reference;
      j = quoteEnd + 1;
    }
  }

  private contentText(start: number, end: number): XmlProblem | undefined {
    const cdataEnd = this.cdataEnds.next(start);
    if (cdataEnd !== -1 && cdataEnd < end) return { index: cdataEnd, message: '"]]>" in text (write ]]&gt;)' };
    return this.referenceProblem(start, end);
  }

  /** Entity and character references in text[start, end). */
  private referenceProblem(start: number, end: number): XmlProblem | undefined {
    const { text } = this;
    for (let amp = this.ampersands.next(start); amp !== -1 && amp < end; amp = this.ampersands.next(amp + 1)) {
      const semicolon = text.indexOf(';', amp);
      const name = semicolon === -1 || semicolon > end || semicolon - amp > 64 ? undefined : text.slice(amp + 1, semicolon);
      if (name === undefined || name === '') {
        return { index: amp, message: '"&" that starts no entity or character reference (write &amp;)' };
      }
      if (name.startsWith('#')) {
        if (!isLegalCharReference(name)) return { index: amp, message: `the character reference "&${name};" names no character XML 1.0 allows` };
      } else if (!PREDEFINED_ENTITIES.has(name) && !this.doctype) {
        return {
          index: amp,
          message: `an undeclared entity "&${name};": without a DOCTYPE declaring it, only &amp; &lt; &gt; &apos; &quot; and character references (such as &#160;) are allowed`,
        };
      }
    }
    return undefined;
  }
}

/** Only whitespace may sit between the top-level constructs. */
function outsideText(text: string, start: number, end: number): XmlProblem | undefined {
  const offset = text.slice(start, end).search(NOT_XML_SPACE);
  return offset === -1 ? undefined : { index: start + offset, message: 'text outside the root element' };
}

function nextQuote(text: string, from: number, before: number): number {
  for (let k = from; k < before; k += 1) {
    const c = text.charCodeAt(k);
    if (c === 34 || c === 39) return k;
  }
  return -1;
}

/** After `<!DOCTYPE …>`, stepping over quoted strings, comments and the internal subset `[…]`. */
function doctypeEnd(text: string, start: number): number {
  let inSubset = false;
  for (let k = start + 2; k < text.length; k += 1) {
    const c = text[k];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, k + 1);
      if (close === -1) return text.length;
      k = close;
    } else if (text.startsWith('<!--', k)) {
      const close = text.indexOf('-->', k + 4);
      if (close === -1) return text.length;
      k = close + 2;
    } else if (c === '[') {
      inSubset = true;
    } else if (c === ']') {
      inSubset = false;
    } else if (c === '>' && !inSubset) {
      return k + 1;
    }
  }
  return text.length;
}

function isLegalCharReference(name: string): boolean {
  const hex = /^#x([0-9a-fA-F]{1,8})$/.exec(name);
  const decimal = /^#([0-9]{1,10})$/.exec(name);
  const code = hex?.[1] !== undefined ? Number.parseInt(hex[1], 16) : decimal?.[1] !== undefined ? Number.parseInt(decimal[1], 10) : undefined;
  if (code === undefined) return false;
  return (
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Next occurrence of a fixed string at or after an offset, for a scan that
 * only moves forward: the last answer is reused while it is still ahead, so
 * the whole scan reads the text once instead of once per text run.
 */
class Finder {
  private at = -2;

  constructor(
    private readonly text: string,
    private readonly needle: string,
  ) {}

  next(from: number): number {
    if (this.at === -1) return -1;
    if (this.at < from) this.at = this.text.indexOf(this.needle, from);
    return this.at;
  }
}
