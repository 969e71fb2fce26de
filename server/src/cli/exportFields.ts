import { z } from 'zod';

/**
 * The export fields that a CLI flag (`--session`, `--dest`, …) and a batch
 * plan entry spell the same way: plain strings. The ones they spell
 * differently (id lists, tags, metadata) each schema declares itself.
 */
export const plainExportFields = {
  session: z.string().min(1).optional(),
  template: z.string().min(1).optional(),
  dest: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  filename: z.string().min(1).optional(),
  title: z.string().optional(),
  author: z.string().optional(),
};
