// Previews, jobs and requests shaped like the language server's answers
// (server/src/protocol.ts PreviewResult), for the review panel's browser tests.

export const SAMPLE_MARKDOWN = `# Designing the auth token refresh

> Exported from a Claude Code session · 6 messages · 2025-05-01

## Summary

We decided to **rotate refresh tokens** on every use and keep a *grace window* of 30 s.
See [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749) and https://example.com/docs/tokens.

## Conversation

### User

How should we handle refresh token reuse?

### Assistant

1. Rotate on every refresh
2. Detect reuse and revoke the whole family
   - log a security event
   - tell the user

- [x] Add the rotation tests
- [ ] Update the docs

\`\`\`ts
export function rotate(token: RefreshToken): TokenPair {
  return issuePair(token.familyId);
}
\`\`\`

| Option  | Risk   | Effort |
|---------|:------:|-------:|
| Rotate  | low    | 2 d    |
| Sliding | medium | 1 d    |

Inline \`code\`, ~~struck~~ text, and a tag <b>shown as text</b>.

---

*Exported by DevGuide Export.*`;

export const XSS_LINES = [
  '# Hostile content',
  '',
  '<script>window.__pwned = true</script>',
  '<img src=x onerror="window.__pwned = true">',
  '<iframe srcdoc="<script>parent.__pwned = true</script>"></iframe>',
  '[click me](javascript:window.__pwned=true) and [data](data:text/html,<script>alert(1)</script>)',
  '<a href="javascript:window.__pwned = true">raw anchor</a>',
  '![pixel](https://tracker.example/pixel.png) <svg onload="window.__pwned = true"></svg>',
  '`<script>window.__pwned = true</script>` in code',
  '```html',
  '<script>window.__pwned = true</script>',
  '```',
];

export const SAMPLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by DevGuide -->
<export title="Auth &amp; tokens" version="1">
  <message role="user" id="m1">How should we handle reuse?</message>
  <message role="assistant" id="m2"><![CDATA[Rotate <always>.]]></message>
</export>`;

export const SAMPLE_FRONTMATTER = `---
title: "Designing the auth token refresh"
tags: [auth, tokens]
exported_at: 2025-05-01T12:00:00.000Z
messages: 6
draft: false
---
# Designing the auth token refresh

Body text with **emphasis**.`;

let counter = 0;

/**
 * A PreviewResult. `lines` is the whole formatted content; the first 50 are
 * the preview lines, as the server's preview stage cuts them.
 */
export function makePreview(overrides = {}) {
  const lines = overrides.lines ?? SAMPLE_MARKDOWN.split('\n');
  const content = lines.join('\n');
  const id = overrides.transaction_id ?? `tx-${++counter}`;
  const filename = overrides.filename ?? 'designing-the-auth-token-refresh.md';
  const tokenCount = overrides.statistics?.token_count ?? Math.ceil(content.length / 4);
  const review = {
    transaction_id: id,
    risk_level: 'low',
    action: 'CREATE',
    affected_resources: [`docs/exports/${filename}`],
    token_cost: tokenCount, // the server's Bin counts the output's tokens
    warnings: [],
    blocked: false,
    reason: null,
    reason_message: null,
    requires_accept: false,
    ...overrides.review,
  };
  return {
    transaction_id: id,
    filename,
    template_id: overrides.template_id ?? 'markdown',
    destination_id: overrides.destination_id ?? 'docs',
    session_id: 's-42',
    output: overrides.output ?? 'markdown',
    content,
    existing_content: overrides.existing_content ?? null,
    destination: { id: overrides.destination_id ?? 'docs', name: overrides.destination_id ?? 'docs', type: 'local' },
    content_preview: lines.slice(0, 50).join('\n'),
    preview_lines: lines.slice(0, 50),
    more_lines: Math.max(0, lines.length - 50),
    statistics: {
      file_size_bytes: Buffer.byteLength(content),
      token_count: tokenCount,
      line_count: lines.length,
      message_count: 6,
      block_count: 9,
      char_count: content.length,
      stages_ms: { assemble: 1.2, transform: 0.8, validate: 0.3, preview: 0.2, publish: 0 },
      tool_output: { mode: 'summary', summarized_blocks: 0, omitted_blocks: 0, omitted_lines: 0, omitted_chars: 0 },
      ...overrides.statistics,
    },
    metadata: overrides.metadata ?? {
      session_id: 's-42',
      message_count: 6,
      token_count: 380,
      source_format: 'claude_code',
      title: 'Designing the auth token refresh',
      exported_at: '2025-05-01T12:00:00.000Z',
      tags: ['auth', 'tokens'],
    },
    is_update: overrides.is_update ?? review.action === 'UPDATE',
    unchanged: overrides.unchanged ?? false,
    diff: overrides.diff ?? null,
    validation: overrides.validation ?? { passed: true, valid: true, errors: [], warnings: [] },
    review,
  };
}

/**
 * Lines 3–9 of notes.md, selected in an editor: one message on the 'editor'
 * surface, as the server assembles it (its metadata counts the selection's
 * 49 tokens; the output, with the template's header, has more).
 */
export function editorSelectionPreview(overrides = {}) {
  const lines = [
    '# Rollback plan',
    '',
    '- **Exported:** 2025-05-01 12:00 UTC',
    '- **Source:** editor session editor-3f2a9c1b7d4e (1 messages, ~49 tokens)',
    '',
    '### User — 2025-05-01 12:00 UTC',
    '',
    'Roll back the deploy when the error rate stays above 2% for five minutes; fetchWithBackoff never retries a 4xx.',
  ];
  return makePreview({
    lines,
    filename: 'rollback-plan.md',
    metadata: {
      session_id: 'editor-3f2a9c1b7d4e',
      block_count: 1,
      message_count: 1,
      token_count: 49,
      exported_at: '2025-05-01T12:00:00.000Z',
      source_surface: 'editor',
      source_format: 'editor',
      title: 'Rollback plan',
    },
    statistics: { message_count: 1, block_count: 1, token_count: 89 },
    ...overrides,
  });
}

/** A review the Bin blocked: two secrets in content bound for GitHub. */
export function blockedPreview() {
  return makePreview({
    destination_id: 'team-repo',
    review: {
      risk_level: 'high',
      blocked: true,
      reason: 'SECRET_DETECTED',
      reason_message: 'The content holds 2 possible secret(s) (github-pat, aws-access-key-id); redact them before exporting to github.',
      warnings: [
        { code: 'SECRET_DETECTED', message: 'Possible secret (github-pat: GitHub personal access token) at line 12', line: 12 },
        { code: 'SECRET_DETECTED', message: 'Possible secret (aws-access-key-id: AWS access key ID) at line 30', line: 30 },
        { code: 'DESTINATION_NOTICE', message: 'The repository acme/handbook is public: the file will be publicly visible' },
      ],
      affected_resources: ['github:acme/handbook@main:docs/designing-the-auth-token-refresh.md'],
    },
  });
}

const APPENDIX = ['', '## Appendix: log excerpt', '', ...Array.from({ length: 24 }, (_, n) => `- 12:0${n % 10}:1${n % 6} refresh #${n + 1} rotated, family f-19 still valid`)];

/** A valid update with warnings from validation and the Bin, longer than the 50 preview lines. */
export function updatePreview() {
  return makePreview({
    lines: [...SAMPLE_MARKDOWN.split('\n'), ...APPENDIX],
    destination_id: 'team-repo',
    review: {
      risk_level: 'high',
      action: 'UPDATE',
      warnings: [
        { code: 'DESTINATION_NOTICE', message: 'The repository acme/handbook is public: the file will be publicly visible' },
        { code: 'OVERWRITES_CONTENT', message: 'Updates docs/designing-the-auth-token-refresh.md: 4 line(s) removed, 9 added.' },
      ],
      affected_resources: ['github:acme/handbook@main:docs/designing-the-auth-token-refresh.md'],
    },
    existing_content: '# Old\n',
    diff: { unified: '--- a\n+++ b\n', additions: 9, deletions: 4, truncated: false },
    validation: { valid: true, errors: [], warnings: [{ code: 'CONTENT_CLEANED', message: 'Removed 2 NUL character(s) from the output.' }] },
  });
}

export function invalidPreview() {
  return makePreview({
    template_id: 'skill',
    validation: {
      valid: false,
      errors: [
        { code: 'SCHEMA_INVALID', message: 'Metadata field "description" is required.', field: 'description' },
        { code: 'SECTION_MISSING', message: 'Required section "Instructions" is missing: add a heading such as "## Instructions".', field: 'Instructions' },
      ],
      warnings: [],
    },
    review: { blocked: true, reason: 'VALIDATION_FAILED', reason_message: 'The output is not valid: Metadata field "description" is required.' },
  });
}

/** About `bytes` of Markdown, in lines of ~100 characters. */
export function bigLines(bytes) {
  const lines = ['# A long session', ''];
  let size = 0;
  for (let n = 1; size < bytes; n += 1) {
    const line =
      n % 40 === 0
        ? `## Part ${n / 40}`
        : n % 7 === 0
          ? `- item ${n}: **bold** and \`code\` with a [link](https://example.com/${n})`
          : `Line ${n}: the assistant explains the trade-off between rotation and sliding windows again.`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines;
}

export const TEMPLATES = [
  { id: 'markdown', name: 'Markdown', output: 'markdown', extension: '.md', source: 'builtin', path: '/t/markdown.hbs', valid: true, enabled: true, type: 'builtin', file_extension: '.md' },
  { id: 'yaml-markdown', name: 'YAML + Markdown', output: 'yaml-frontmatter', extension: '.md', source: 'builtin', path: '/t/yaml.hbs', valid: true, enabled: true, type: 'builtin', file_extension: '.md' },
  { id: 'skill', name: 'SKILL.md', output: 'yaml-frontmatter', extension: '.md', source: 'builtin', path: '/t/skill.hbs', valid: true, enabled: true, type: 'builtin', file_extension: '.md' },
  { id: 'xml', name: 'XML', output: 'xml', extension: '.xml', source: 'builtin', path: '/t/xml.hbs', valid: true, enabled: true, type: 'builtin', file_extension: '.xml' },
  { id: 'team-spec', name: 'Team spec', output: 'markdown', extension: '.md', source: 'workspace', path: '/w/.devguide/templates/team-spec.hbs', valid: false, problem: 'HBS_SYNTAX at line 4', enabled: true, type: 'custom', file_extension: '.md' },
];

export const DESTINATIONS = [
  { id: 'docs', type: 'local', name: 'Docs folder', workspaceDefined: false, enabled: true },
  { id: 'team-repo', type: 'github', name: 'Team handbook', workspaceDefined: false, enabled: true },
  { id: 'drive', type: 'drive', name: 'Shared Drive', workspaceDefined: true, enabled: false, reason: 'Workspace destinations need a trusted workspace' },
];

export const PARAMS = {
  source: { kind: 'file', path: '/w/session.jsonl' },
  sessionId: 's-42',
  messageIds: ['m1', 'm2'],
  template: 'markdown',
  destination: 'docs',
  title: 'Designing the auth token refresh',
  tags: ['auth', 'tokens'],
};

export function makeJob(overrides = {}) {
  return {
    job_id: 'job-1',
    status: 'completed',
    source: 'file',
    session_id: 's-42',
    message_ids: ['m1', 'm2'],
    template_id: 'markdown',
    destination_id: 'docs',
    filename: 'designing-the-auth-token-refresh.md',
    title: 'Designing the auth token refresh',
    retry_count: 0,
    created_at: '2025-05-01T12:00:00.000Z',
    action: 'CREATE',
    output_location: '/w/docs/exports/designing-the-auth-token-refresh.md',
    ...overrides,
  };
}

/** The `init` a host sends for a preview (the slim copy the webview gets); `protocol` is webview/src/protocol.ts. */
export function panelInit(protocol, preview, extra = {}) {
  return {
    preview: protocol.toPanelPreview(preview),
    templates: TEMPLATES.map(protocol.toPanelTemplate),
    destinations: DESTINATIONS.map(protocol.toPanelDestination),
    fields: protocol.fieldsFrom({ ...PARAMS, template: preview.template_id, destination: preview.destination_id }, preview),
    ...extra,
  };
}

/** A panel opened in `t` and given `init` for `preview` (options as openPanel's, plus `init`: extra init fields). */
export async function openedPanel(t, preview, options = {}) {
  const panel = await t.open(options);
  await panel.init(panelInit(t.sources.protocol, preview, options.init));
  return panel;
}
