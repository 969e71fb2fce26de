/**
 * Active content that would run if the output were rendered as HTML (seed
 * §9.3): script, iframe, object and embed tags, javascript:/vbscript: and
 * data:text/html URLs, inline event handler attributes. This module only
 * finds them; how severe a finding is (warning or block) is the caller's
 * policy, helped by `inCode`.
 */
import { LineIndex } from './secretScan';

export type DangerPatternId =
  | 'script-tag'
  | 'iframe-tag'
  | 'object-embed-tag'
  | 'event-handler-attribute'
  | 'javascript-url'
  | 'vbscript-url'
  | 'data-html-url';

export interface DangerFinding {
  patternId: DangerPatternId;
  description: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units of the line. */
  column: number;
  /**
   * Inside a Markdown fenced code block or inline code span (approximate):
   * shown as text by a Markdown renderer, live only in raw HTML output.
   */
  inCode: boolean;
}

interface DangerPattern {
  id: DangerPatternId;
  description: string;
  /** Flags `g`, `i` and `d`; a named group `at` marks where the finding is reported. */
  regex: RegExp;
  accept?: (content: string, match: RegExpExecArray) => boolean;
}

/**
 * Browsers drop tabs and newlines inside a URL scheme and decode character
 * references in attributes, so `java&#x09;script&colon;` still runs. Each
 * letter may be literal or a numeric reference, with such junk in between.
 */
function obfuscatableScheme(word: string): string {
  const junk = '(?:[\\t\\n\\r]|&#0{0,8}(?:9|10|13);?|&#x0{0,8}(?:9|a|d);?|&tab;|&newline;){0,8}';
  const letters = [...word].map((ch) => {
    const code = ch.charCodeAt(0);
    return `(?:${ch}|&#0{0,8}${code};?|&#x0{0,8}${code.toString(16)};?)`;
  });
  const colon = '(?::|&#0{0,8}58;?|&#x0{0,8}3a;?|&colon;)';
  return `(?<![A-Za-z0-9+.-])${letters.join(junk)}${junk}${colon}`;
}

/**
 * Plain `javascript:` followed by a space is usually prose ("JavaScript: the
 * good parts"); it counts only where a URL is expected. Obfuscated forms or a
 * scheme glued to its payload always count.
 */
function schemeIsUrl(plainScheme: string) {
  return (content: string, match: RegExpExecArray): boolean => {
    if (match[0].toLowerCase() !== plainScheme) return true;
    const next = content.charAt(match.index + match[0].length);
    if (next !== '' && !/\s/.test(next)) return true;
    const before = content.slice(Math.max(0, match.index - 16), match.index).replace(/[ \t]+$/, '');
    return /(?:[=(<"']|\]:)$/.test(before);
  };
}

const PATTERNS: readonly DangerPattern[] = [
  { id: 'script-tag', description: '<script> tag', regex: /<script(?![A-Za-z0-9_-])/gid },
  { id: 'iframe-tag', description: '<iframe> tag', regex: /<iframe(?![A-Za-z0-9_-])/gid },
  { id: 'object-embed-tag', description: '<object> or <embed> tag', regex: /<(?:object|embed)(?![A-Za-z0-9_-])/gid },
  {
    id: 'event-handler-attribute',
    description: 'Inline event handler attribute (on…=) in an HTML tag',
    regex: /<[A-Za-z][A-Za-z0-9:-]{0,40}(?:[\s/][^<>]{0,2000}?)?[\s/"'](?<at>on[a-z]{3,30})[ \t\r\n]{0,8}=/gid,
  },
  {
    id: 'javascript-url',
    description: 'javascript: URL',
    regex: new RegExp(obfuscatableScheme('javascript'), 'gid'),
    accept: schemeIsUrl('javascript:'),
  },
  {
    id: 'vbscript-url',
    description: 'vbscript: URL',
    regex: new RegExp(obfuscatableScheme('vbscript'), 'gid'),
    accept: schemeIsUrl('vbscript:'),
  },
  {
    id: 'data-html-url',
    description: 'data: URL carrying HTML',
    regex: /(?<![A-Za-z0-9+.-])data:[ \t]{0,8}(?:text\/html|application\/xhtml\+xml)/gid,
  },
];

/** Line numbers (1-based) inside ``` or ~~~ fences, fences included. */
function fencedLines(content: string): Set<number> {
  const inside = new Set<number>();
  let fence: string | undefined;
  content.split('\n').forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      inside.add(index + 1);
    } else if (fence !== undefined) {
      inside.add(index + 1);
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = undefined;
    }
  });
  return inside;
}

/** An odd number of backticks before the position on its line means an open code span. */
function inCodeSpan(content: string, offset: number, column: number): boolean {
  const lineBefore = content.slice(offset - column + 1, offset);
  return ((lineBefore.match(/`/g)?.length ?? 0) & 1) === 1;
}

export function scanDangerousPatterns(content: string): DangerFinding[] {
  const hits: { pattern: DangerPattern; offset: number }[] = [];
  for (const pattern of PATTERNS) {
    const regex = pattern.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(content); match !== null; match = regex.exec(content)) {
      if (pattern.accept !== undefined && !pattern.accept(content, match)) continue;
      hits.push({ pattern, offset: match.indices?.groups?.['at']?.[0] ?? match.index });
    }
  }
  if (hits.length === 0) return [];
  const lines = new LineIndex(content);
  const fenced = fencedLines(content);
  return hits
    .sort((a, b) => a.offset - b.offset)
    .map(({ pattern, offset }) => {
      const { line, column } = lines.positionOf(offset);
      return {
        patternId: pattern.id,
        description: pattern.description,
        line,
        column,
        inCode: fenced.has(line) || inCodeSpan(content, offset, column),
      };
    });
}
