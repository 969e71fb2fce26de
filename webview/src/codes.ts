/**
 * What each code the panel can show means to a person: a short title, a
 * plain explanation, and what to do about it. The server's own message (with
 * the specifics: which field, which line) is shown beside these.
 *
 * Codes come from validation (server/src/pipeline/validate.ts,
 * templates/validators.ts), the Bin (bin/exportRules.ts, changeRules.ts),
 * job errors (server/src/errors.ts) and the panel itself.
 */

export interface CodeHelp {
  title: string;
  message: string;
  action: string;
}

const HELP: Readonly<Record<string, CodeHelp>> = {
  // --- validation errors
  CONTENT_TOO_LARGE: {
    title: 'Export too large',
    message: 'The formatted output is over the size limit.',
    action: 'Select fewer messages or blocks, or raise devguideExport.limits.',
  },
  SCHEMA_INVALID: {
    title: 'Missing or invalid metadata',
    message: 'A metadata field the template requires is missing or malformed.',
    action: 'Fill in the field named in the message (for example the title) in the panel.',
  },
  FRONTMATTER_MISSING: {
    title: 'No front matter',
    message: 'This template must start with YAML front matter between two "---" lines.',
    action: 'Fix the template, or pick another template.',
  },
  FRONTMATTER_INVALID: {
    title: 'Invalid front matter',
    message: 'The YAML front matter does not parse or is not closed.',
    action: 'Fix the template, or check the title and tags for characters that break YAML.',
  },
  XML_MALFORMED: {
    title: 'XML is not well-formed',
    message: 'The output is not well-formed XML.',
    action: 'Fix the template; values must be XML-escaped ({{…}}, not {{{…}}}).',
  },
  SECTION_MISSING: {
    title: 'Required section missing',
    message: 'The template requires a heading the output does not have.',
    action: 'Fix the template, or include the messages that produce that section.',
  },
  VALIDATION_FAILED: {
    title: 'Validation failed',
    message: 'The output did not pass the template’s checks.',
    action: 'Fix the errors listed under Validation.',
  },
  // --- validation warnings
  CONTENT_CLEANED: {
    title: 'Content cleaned',
    message: 'Invisible control characters were removed from the output.',
    action: 'Nothing to do; review the output if exactness matters.',
  },
  CONTENT_EMPTY: {
    title: 'Empty output',
    message: 'The export has no body.',
    action: 'Check the selection and the template.',
  },
  // --- the Bin
  SECRET_DETECTED: {
    title: 'Possible secret',
    message: 'Something that looks like a credential is in the content.',
    action: 'Redact it, or remove those messages from the selection.',
  },
  SECRET_IN_FIELD: {
    title: 'Possible secret in a field',
    message: 'The file name, title, author, a tag or a metadata field looks like it holds a credential. It would be written into the file name and the export history, where it cannot be redacted.',
    action: 'Change that field and preview again.',
  },
  DANGEROUS_PATTERN: {
    title: 'Active content',
    message: 'The content holds HTML or script that could run where the file is shown.',
    action: 'Check that it is meant to be there; exports rendered as HTML are blocked.',
  },
  DESTINATION_NOTICE: {
    title: 'Destination notice',
    message: 'The destination has something to say about this export.',
    action: 'Read it before accepting.',
  },
  OVERWRITES_CONTENT: {
    title: 'Overwrites existing content',
    message: 'This export updates a file that already exists.',
    action: 'Use View Diff to see what changes.',
  },
  SHARED_TEMPLATE: {
    title: 'Shared template',
    message: 'Everyone using this workspace will run this template.',
    action: 'Review it as you would review code.',
  },
  SHARED_DESTINATION: {
    title: 'Shared destination',
    message: 'This destination is defined in workspace settings.',
    action: 'Check where it points before accepting.',
  },
  UNTRUSTED_WORKSPACE: {
    title: 'Workspace not trusted',
    message: 'Workspace templates and destinations run only in a trusted workspace.',
    action: 'Trust the workspace, or pick a built-in template and a destination from your user settings.',
  },
  PERMISSION_DENIED: {
    title: 'Not allowed',
    message: 'You may not export to this destination, or it refused the write.',
    action: 'Pick another destination, or ask its owner for access.',
  },
  BIN_BLOCKED: {
    title: 'Blocked by the review',
    message: 'The Bin refused this export.',
    action: 'Read the reason, change the export, and review again.',
  },
  REVIEW_REQUIRED: {
    title: 'Review required',
    message: 'This export needs an explicit Accept.',
    action: 'Accept it in this panel.',
  },
  // --- job and request errors
  INVALID_INPUT: { title: 'Invalid input', message: 'A value was not accepted.', action: 'Check the fields and try again.' },
  UNKNOWN_FORMAT: { title: 'Unknown transcript format', message: 'The source is not a transcript format DevGuide reads.', action: 'Export from a supported transcript, or select text instead.' },
  SESSION_NOT_FOUND: { title: 'Session not found', message: 'The chat session is no longer in the source.', action: 'Reopen the transcript and select again.' },
  MESSAGE_NOT_FOUND: { title: 'Message not found', message: 'A selected message is no longer in the source.', action: 'Reopen the transcript and select again.' },
  EMPTY_SELECTION: { title: 'Nothing selected', message: 'The selection is empty.', action: 'Select messages or text, then export again.' },
  TEMPLATE_NOT_FOUND: { title: 'Template not found', message: 'The chosen template does not exist (any more).', action: 'Pick another template.' },
  TEMPLATE_INVALID: { title: 'Template has errors', message: 'The template file has errors.', action: 'Open the template and fix the problems shown there.' },
  TEMPLATE_RENDER_FAILED: { title: 'Template failed', message: 'The template failed while rendering.', action: 'Fix the template, or pick another one.' },
  DESTINATION_NOT_FOUND: { title: 'Destination not found', message: 'The chosen destination is not configured.', action: 'Pick another destination, or add it in settings.' },
  DESTINATION_CONFIG_INVALID: { title: 'Destination misconfigured', message: 'The destination’s settings are invalid.', action: 'Fix it in settings (DevGuide: Configure Destination).' },
  CONNECTION_FAILED: { title: 'Could not connect', message: 'The destination could not be reached.', action: 'Check the network, then retry.' },
  AUTH_EXPIRED: { title: 'Sign-in expired', message: 'The destination rejected the credentials.', action: 'Set the credential again, then retry.' },
  RATE_LIMITED: { title: 'Rate limited', message: 'The destination asked to slow down.', action: 'Wait a moment, then retry.' },
  CONFLICT: { title: 'Changed meanwhile', message: 'The target changed since the preview.', action: 'Retry: you will review the new difference first.' },
  WRITE_FAILED: { title: 'Write failed', message: 'The destination could not save the file.', action: 'Check space and permissions, then retry.' },
  TIMEOUT: { title: 'Timed out', message: 'The destination did not answer in time.', action: 'Retry.' },
  MAX_RETRIES_EXCEEDED: { title: 'Gave up after retries', message: 'Every attempt failed.', action: 'Check the destination, then retry later.' },
  JOB_NOT_FOUND: { title: 'Job not found', message: 'The export job is no longer in the history.', action: 'Start the export again.' },
  ROLLBACK_FAILED: { title: 'Rollback failed', message: 'The partial export could not be undone.', action: 'Check the destination by hand.' },
  INTERRUPTED: { title: 'Interrupted', message: 'The export stopped before it finished.', action: 'Retry.' },
  CANCELLED: { title: 'Cancelled', message: 'The export was cancelled.', action: 'Export again when ready.' },
  STORE_FAILED: { title: 'History not saved', message: 'The export history could not be written.', action: 'Retry; check disk space.' },
  INTERNAL_ERROR: { title: 'Unexpected error', message: 'Something went wrong inside DevGuide Export.', action: 'Retry; if it persists, see the DevGuide Export output channel.' },
  // --- the panel itself
  STALE_PREVIEW: { title: 'Preview changed', message: 'A newer preview replaced the one you acted on.', action: 'Review the new preview, then try again.' },
  PANEL_ERROR: { title: 'Panel error', message: 'The panel and the extension disagreed about a message.', action: 'Close the panel and export again.' },
};

const FALLBACK: CodeHelp = {
  title: 'Problem',
  message: 'DevGuide Export reported a problem.',
  action: 'Read the message for details.',
};

export function helpFor(code: string | null | undefined): CodeHelp {
  if (!code) return FALLBACK;
  return Object.hasOwn(HELP, code) ? (HELP[code] as CodeHelp) : { ...FALLBACK, title: humanize(code) };
}

/** SOME_CODE → "Some code": a readable title for codes the table does not know yet. */
function humanize(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const KNOWN_CODES: readonly string[] = Object.keys(HELP);
