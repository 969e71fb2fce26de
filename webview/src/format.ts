/** Small, locale-stable formatting for numbers, sizes and metadata values. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A metadata value as one line of text (objects as compact JSON, long values cut). */
export function formatValue(value: unknown, max = 300): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) text = '—';
  else if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) text = value.join(', ');
  else if (typeof value === 'object') text = safeJson(value);
  else text = String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const pluralRules = new Intl.PluralRules('en-US');

/**
 * "1 line" / "3 lines" / "0 lines": every count the panel writes beside a
 * noun goes through here, so the plural rule lives in one place.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${pluralRules.select(n) === 'one' ? one : many}`;
}

/** "line 3", "lines 3–9", "lines 3–9 and 20–25", "lines 3–9, 12 and 20–25". */
export function lineRanges(ranges: readonly { startLine: number; endLine: number }[]): string {
  const parts = ranges.map((r) => (r.endLine > r.startLine ? `${formatCount(r.startLine)}–${formatCount(r.endLine)}` : formatCount(r.startLine)));
  const single = ranges.length === 1 && ranges[0] !== undefined && ranges[0].endLine <= ranges[0].startLine;
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
  return `${single ? 'line' : 'lines'} ${list}`;
}

/** The last segment of a path (either separator). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
