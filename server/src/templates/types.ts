import type { OutputKind } from '../model';

/** 0-based, UTF-16 columns: the Language Server Protocol's positions. */
export interface TemplatePosition {
  line: number;
  character: number;
}

export interface TemplateRange {
  start: TemplatePosition;
  end: TemplatePosition;
}

export const TEMPLATE_ISSUE_CODES = [
  'HEADER_MISSING',
  'HEADER_UNTERMINATED',
  'HEADER_YAML_SYNTAX',
  'HEADER_NOT_MAPPING',
  'HEADER_UNKNOWN_KEY',
  'HEADER_MISSING_KEY',
  'HEADER_WRONG_TYPE',
  'HEADER_UNKNOWN_OUTPUT',
  'HEADER_INVALID_VALUE',
  'HBS_SYNTAX',
  'HBS_UNCLOSED_BLOCK',
  'HBS_DECORATOR_REFUSED',
  'HBS_PARTIAL_REFUSED',
  'HBS_UNKNOWN_HELPER',
  'HBS_INCOMPLETE_PATH',
  'HBS_HELPER_USAGE',
  'HBS_UNKNOWN_VARIABLE',
  'HBS_UNESCAPED_XML',
  'SAMPLE_RENDER_FAILED',
  'SAMPLE_OUTPUT_INVALID',
  'FILE_UNREADABLE',
  'TEMPLATE_TOO_LARGE',
] as const;

export type TemplateIssueCode = (typeof TEMPLATE_ISSUE_CODES)[number];

export interface TemplateIssue {
  code: TemplateIssueCode;
  message: string;
  severity: 'error' | 'warning';
  /** Position in the whole template file (header lines included). */
  range: TemplateRange;
  /** How to fix it, when there is a likely fix (the language server's quick fixes). */
  fix?: TemplateFix;
}

/**
 * Text to put at `range` instead of what is there: one quick fix per
 * choice, best first. An empty range inserts.
 */
export interface TemplateFix {
  /** Whole-file position of the text to replace; may differ from the issue's range (one segment of a path). */
  range: TemplateRange;
  /** The text at `range` when the issue was found: a fix is only applied to that text. */
  expected: string;
  choices: string[];
}

/** The validated front matter of a template file (DESIGN.md §5). */
export interface TemplateConfig {
  name: string;
  description?: string;
  output: OutputKind;
  extension: string;
  /** Metadata keys an export must carry (title and exported_at always are). */
  requiredFields: string[];
  /** Markdown headings the rendered output must contain. */
  requiredSections: string[];
  /**
   * yaml-frontmatter only: keys the rendered front matter must hold. Defaults
   * to title, exported_at and requiredFields; templates whose front matter
   * has its own shape (SKILL.md: name, description) list them here.
   */
  frontmatterFields: string[];
  /** The output ends up in HTML: the Bin blocks dangerous patterns instead of warning. */
  htmlBound: boolean;
}

export interface TemplateOrigin {
  /** File basename without `.hbs`. */
  id: string;
  path?: string;
  builtin: boolean;
}

export interface TemplateDefinition extends TemplateConfig, TemplateOrigin {
  /** The Handlebars body (everything after the closing `---` line). */
  body: string;
  /** 0-based line of the file where the body starts. */
  bodyStartLine: number;
  /** sha256 of the whole file text. */
  hash: string;
}

export interface TemplateAnalysis {
  /** Present when the file has no error-severity issue. */
  definition?: TemplateDefinition;
  issues: TemplateIssue[];
}

export interface TemplateSummary {
  id: string;
  name: string;
  description?: string;
  output: OutputKind;
  extension: string;
  /** `team`: published to the team store (`templates publish`), shared by everyone who uses it. */
  source: 'builtin' | 'workspace' | 'team';
  path: string;
  /** A team template: who published it first. */
  createdBy?: string;
  /** False when the file has errors; `problem` then says the first one. */
  valid: boolean;
  problem?: string;
  /** A workspace template that replaces the built-in of the same id. */
  overridesBuiltin?: boolean;
}
