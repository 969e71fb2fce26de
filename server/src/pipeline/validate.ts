import { ExportError } from '../errors';
import type { FormattedContent, ValidationIssue, ValidationResult } from '../model';
import { ALWAYS_REQUIRED_FIELDS } from '../templates/header';
import type { TemplateDefinition } from '../templates/types';
import { checkOutput, isMissing } from '../templates/validators';

/**
 * Stage 3: cleans the formatted content (NUL bytes removed, NFC), then
 * collects every problem at once — size, required metadata, exported_at,
 * and the output kind's own rules (see templates/validators.ts). Warnings
 * never make the result invalid.
 */

export interface ValidateOptions {
  maxContentLength: number;
}

export function cleanContent(content: string): { content: string; removedNul: number } {
  let removedNul = 0;
  const withoutNul = content.includes('\u0000')
    ? content.replace(/\u0000/g, () => {
        removedNul += 1;
        return '';
      })
    : content;
  return { content: withoutNul.normalize('NFC'), removedNul };
}

/** U+FFFD: what a decoder puts where the source's bytes were not valid UTF-8. */
function replacementCharacters(content: string): number {
  if (!content.includes('\ufffd')) return 0;
  let count = 0;
  for (let at = content.indexOf('\ufffd'); at !== -1; at = content.indexOf('\ufffd', at + 1)) count += 1;
  return count;
}

export function validate(formatted: FormattedContent, template: TemplateDefinition, options: ValidateOptions): ValidationResult {
  const { content, removedNul } = cleanContent(formatted.content);
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];

  if (removedNul > 0) {
    warnings.push({ code: 'CONTENT_CLEANED', message: `Removed ${removedNul} NUL character(s) from the output.` });
  }
  const replaced = replacementCharacters(content);
  if (replaced > 0) {
    warnings.push({
      code: 'CONTENT_CLEANED',
      message: `${replaced} character(s) of the source were not valid UTF-8 and read as "\ufffd" (U+FFFD): check the transcript's encoding.`,
    });
  }
  if (content.length > options.maxContentLength) {
    errors.push({
      code: 'CONTENT_TOO_LARGE',
      message: `The output has ${content.length.toLocaleString('en-US')} characters; the limit is ${options.maxContentLength.toLocaleString('en-US')}. Select fewer messages.`,
      field: 'content',
    });
  }

  const required = [...new Set([...ALWAYS_REQUIRED_FIELDS, ...template.requiredFields])];
  for (const field of required) {
    if (isMissing(Object.hasOwn(formatted.metadata, field) ? formatted.metadata[field] : undefined)) {
      errors.push({ code: 'SCHEMA_INVALID', message: `Metadata field "${field}" is required.`, field });
    }
  }
  const exportedAt = formatted.metadata['exported_at'];
  if (!isMissing(exportedAt) && !isIsoUtc(exportedAt)) {
    errors.push({
      code: 'SCHEMA_INVALID',
      message: `exported_at must be an ISO 8601 UTC time such as 2024-05-01T12:00:00.000Z, not ${JSON.stringify(exportedAt)}.`,
      field: 'exported_at',
    });
  }

  const output = checkOutput(content, template);
  errors.push(...output.errors);
  warnings.push(...output.warnings);

  return { valid: errors.length === 0, errors, warnings, content };
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

/** `YYYY-MM-DDTHH:mm:ss(.fraction)Z` naming a real instant (no 30 February, no hour 24). */
export function isIsoUtc(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = ISO_UTC.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The ExportError for a failed result: CONTENT_TOO_LARGE when that is the only problem, else VALIDATION_FAILED. */
export function validationError(result: ValidationResult): ExportError {
  const onlySize = result.errors.length > 0 && result.errors.every((e) => e.code === 'CONTENT_TOO_LARGE');
  const shown = result.errors.slice(0, 5).map((e) => e.message);
  const more = result.errors.length > shown.length ? ` (and ${result.errors.length - shown.length} more)` : '';
  const message = onlySize
    ? (result.errors[0]?.message ?? 'The output is too large.')
    : `The export did not pass validation: ${shown.join(' ')}${more}`;
  return new ExportError(onlySize ? 'CONTENT_TOO_LARGE' : 'VALIDATION_FAILED', message, {
    details: { errors: result.errors, warnings: result.warnings },
    recoverable: false,
  });
}

/** Throws validationError(result) unless the result is valid. */
export function assertValid(result: ValidationResult): void {
  if (!result.valid) throw validationError(result);
}
