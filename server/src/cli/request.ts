import { resolve } from 'node:path';
import type { ExportRequest } from '../app/prepare';
import { checkedParams } from '../errors';
import { exportChoicesSchema } from '../protocol';
import { isDatabaseAddress } from '../sources/sql/address';
import type { ExportOptions } from './args';

/**
 * The export flags as the application's request, checked by the protocol's
 * own schema: the CLI and the extension obey the same limits and rules.
 */
export function exportRequestOf(file: string, options: ExportOptions, cwd: string, redact: boolean): ExportRequest {
  const template = options.template;
  const choices = checkedParams(
    exportChoicesSchema,
    {
      ...(options.session ? { sessionId: options.session } : {}),
      ...(options.messages ? { messageIds: options.messages } : {}),
      ...(options.blocks ? { blockIds: options.blocks } : {}),
      ...(template ? { template: template.endsWith('.hbs') ? resolve(cwd, template) : template } : {}),
      ...(options.dest ? { destination: options.dest } : {}),
      ...(options.filename ? { filename: options.filename } : {}),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.author ? { author: options.author } : {}),
      ...(options.tag.length > 0 ? { tags: options.tag } : {}),
      ...(options.meta.length > 0 ? { meta: Object.fromEntries(options.meta) } : {}),
      ...(redact ? { redact: true } : {}),
      ...(options['tool-output'] ? { toolOutput: options['tool-output'] } : {}),
    },
    'the export flags',
  );
  return {
    ...choices,
    source: { kind: 'file', path: isDatabaseAddress(file) ? file : resolve(cwd, file), ...(options.lines ? { lines: options.lines } : {}) },
    ...(options.out ? { outDir: resolve(cwd, options.out) } : {}),
  };
}
