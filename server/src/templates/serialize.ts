import YAML from 'yaml';

/**
 * Serialisers behind the yaml/json/xml helpers. Pure string functions; every
 * hot path is one regex pass so a megabyte of content stays cheap.
 */

/**
 * YAML for front matter. Written as YAML 1.1 so strings other front-matter
 * readers would retype (yes, on, 2024-01-01, 0777…) come out quoted; the
 * result reads back identically with the `yaml` package (YAML 1.2). No line
 * folding, no anchors.
 */
export function toYaml(value: unknown): string {
  if (value === undefined) return '';
  return YAML.stringify(value, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  });
}

export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent) ?? 'null';
}

/**
 * Characters XML 1.0 cannot carry at all, even as character references:
 * C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and unpaired surrogates.
 * They are removed (documented choice: XML output drops them).
 */
const XML_INVALID_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasLoneSurrogate(text: string): boolean {
  const isWellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof isWellFormed === 'function' ? !isWellFormed.call(text) : LONE_SURROGATE.test(text);
}

export function stripXmlInvalidChars(text: string): string {
  // Two quick scans first: almost all text has nothing to strip.
  if (!FORBIDDEN_CONTROLS.test(text) && !hasLoneSurrogate(text)) return text;
  return text.replace(XML_INVALID_CHARS, '');
}

const XML_INVALID_CHAR = new RegExp(XML_INVALID_CHARS.source);

/** The first character XML 1.0 forbids, with its UTF-16 code unit in hex. */
export function findXmlInvalidChar(text: string): { index: number; codeUnit: string } | undefined {
  // The same two quick scans as stripXmlInvalidChars: the full pattern (lookarounds at every offset) only when one finds something.
  if (!FORBIDDEN_CONTROLS.test(text) && !hasLoneSurrogate(text)) return undefined;
  const match = XML_INVALID_CHAR.exec(text);
  if (match === null) return undefined;
  return { index: match.index, codeUnit: match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') };
}

// CR is written as a character reference: parsers turn a literal CR (or
// CRLF) into LF, and the content must come back byte for byte.
const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

// Attribute values are whitespace-normalised by parsers: tab and LF too.
const ATTR_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, '\n': '&#xA;', '\t': '&#x9;' };

/** Text content for XML: escaped, invalid characters removed. */
export function escapeXmlText(text: string): string {
  return stripXmlInvalidChars(text).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** An attribute value for XML (inside double or single quotes). */
export function escapeXmlAttr(text: string): string {
  return stripXmlInvalidChars(text).replace(/[&<>"'\r\n\t]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

/** What Handlebars would print for a value: '' for null/undefined, else String(value). */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/**
 * Metadata as XML elements, whatever its keys: every key goes into a
 * `name` attribute, never into an element name.
 *
 *   <field name="my key">value</field>
 *   <field name="tags" type="array"><item>a</item></field>
 *   <field name="nested" type="object"><field name="k">v</field></field>
 *   <field name="count" type="number">3</field>
 *   <field name="gone" type="null"/>
 *
 * Strings carry no type attribute. One element per line, indented by
 * `indent` spaces per level starting at `baseIndent`.
 */
export function metadataToXml(metadata: unknown, options: { baseIndent?: number; indent?: number } = {}): string {
  const step = ' '.repeat(options.indent ?? 2);
  const lines: string[] = [];
  const base = ' '.repeat(options.baseIndent ?? 0);
  if (isPlainRecord(metadata)) {
    for (const [key, value] of Object.entries(metadata)) {
      writeValue(lines, `field name="${escapeXmlAttr(key)}"`, 'field', value, base, step);
    }
  }
  return lines.join('\n');
}

function writeValue(lines: string[], openTag: string, tagName: string, value: unknown, pad: string, step: string): void {
  if (value === null || value === undefined) {
    lines.push(`${pad}<${openTag} type="null"/>`);
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${pad}<${openTag} type="array"/>`);
      return;
    }
    lines.push(`${pad}<${openTag} type="array">`);
    for (const item of value) writeValue(lines, 'item', 'item', item, pad + step, step);
    lines.push(`${pad}</${tagName}>`);
  } else if (isPlainRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      lines.push(`${pad}<${openTag} type="object"/>`);
      return;
    }
    lines.push(`${pad}<${openTag} type="object">`);
    for (const [key, child] of entries) {
      writeValue(lines, `field name="${escapeXmlAttr(key)}"`, 'field', child, pad + step, step);
    }
    lines.push(`${pad}</${tagName}>`);
  } else {
    const type = typeof value === 'number' ? ' type="number"' : typeof value === 'boolean' ? ' type="boolean"' : '';
    lines.push(`${pad}<${openTag}${type}>${escapeXmlText(toText(value))}</${tagName}>`);
  }
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
