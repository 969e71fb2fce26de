/**
 * The limits and name rules of an export request, in one place for every
 * side that checks one: the server's protocol schemas, the CLI, the
 * extension's prompts and the review panel. No imports: the webview bundle
 * takes these too.
 */

export const EXPORT_LIMITS = {
  filename: 1024,
  title: 1000,
  author: 200,
  tags: 100,
  tag: 100,
  metaEntries: 50,
  metaKey: 64,
  metaValue: 1000,
  url: 2048,
  /** Ids of sessions, messages, blocks, jobs and transactions. */
  id: 200,
  ids: 10_000,
  /** A template reference: an id, or (CLI) the path of a .hbs file. */
  templateRef: 1024,
} as const;

/** Template and destination ids: 1–64 letters, digits, "_", "." or "-", starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ID_RULE = 'ids are 1–64 letters, digits, "_", "." or "-", starting with a letter or digit';

/** Keys of custom metadata fields. */
export const META_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The five pipeline stages, in order; the first four run for a preview. One vocabulary everywhere. */
export const STAGES = ['assemble', 'transform', 'validate', 'preview', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

/** The steps of the publish stage: the destination's write, then the Bin's commit. */
export const PUBLISH_STEPS = ['write', 'commit'] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
