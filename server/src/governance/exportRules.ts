import type { PreviewRendered, ValidationResult } from '../model';
import type { ImpactDescription } from '../destinations/types';
import { SECRET_IN_FIELD, fieldSecretsMessage, type FieldFinding } from './fieldScan';
import type { SecretFinding } from './secretScan';
import { scanDangerousPatterns } from './dangerousPatterns';
import { isRemote } from './risk';
import type { ReviewWarning } from './review';

/** Everything the Bin needs to judge one export (seed §5.1 CreateExportJob). */
export interface ExportChange {
  type: 'CreateExportJob';
  actor: string;
  trusted: boolean;
  destination: { id: string; type: string; workspaceDefined: boolean; allowedUsers?: string[] };
  template: { id: string; source: 'builtin' | 'workspace'; htmlBound: boolean };
  filename: string;
  content: string;
  /** The secret scan of `content` (async, so made before the rules run). */
  secretFindings: readonly SecretFinding[];
  /** Secrets in the request's own fields (file name, title, author, tags, metadata). */
  fieldFindings: readonly FieldFinding[];
  tokenCount: number;
  validation: ValidationResult;
  preview: PreviewRendered;
  impact: ImpactDescription;
}

export interface RuleOutcome {
  block?: { reason: string; message: string };
  warnings: ReviewWarning[];
}

type ExportRule = (change: ExportChange) => RuleOutcome;

const pass: RuleOutcome = { warnings: [] };

/** Workspace templates and destinations are code and config from the repo: refused in Restricted Mode. */
const workspaceTrust: ExportRule = (change) => {
  if (change.trusted) return pass;
  if (change.template.source === 'workspace') {
    return {
      block: {
        reason: 'UNTRUSTED_WORKSPACE',
        message: `The template "${change.template.id}" comes from this workspace, which is not trusted. Trust the workspace or use a built-in template.`,
      },
      warnings: [],
    };
  }
  if (change.destination.workspaceDefined) {
    return {
      block: {
        reason: 'UNTRUSTED_WORKSPACE',
        message: `The destination "${change.destination.id}" is defined by this workspace, which is not trusted. Trust the workspace or use a destination from your user settings.`,
      },
      warnings: [],
    };
  }
  return pass;
};

const destinationPermission: ExportRule = (change) => {
  const allowed = change.destination.allowedUsers;
  if (allowed === undefined || allowed.includes(change.actor)) return pass;
  return {
    block: {
      reason: 'PERMISSION_DENIED',
      message: `User "${change.actor}" may not export to destination "${change.destination.id}".`,
    },
    warnings: [],
  };
};

const validation: ExportRule = (change) => {
  const warnings = change.validation.warnings.map((w) => ({ code: w.code, message: w.message }));
  if (change.validation.valid) return { warnings };
  const tooLarge = change.validation.errors.find((e) => e.code === 'CONTENT_TOO_LARGE');
  const first = tooLarge ?? change.validation.errors[0];
  return {
    block: {
      reason: tooLarge ? 'CONTENT_TOO_LARGE' : 'VALIDATION_FAILED',
      message: `The output is not valid: ${change.validation.errors.map((e) => e.message).join('; ') || first?.message}`,
    },
    warnings,
  };
};

/**
 * A secret in a field the user typed blocks every destination: it would be in
 * the file name or the records, where it cannot be redacted quietly.
 */
const fieldSecrets: ExportRule = (change) => {
  const findings = change.fieldFindings;
  if (findings.length === 0) return pass;
  return {
    block: { reason: SECRET_IN_FIELD, message: fieldSecretsMessage(findings) },
    warnings: findings.map((f) => ({ code: SECRET_IN_FIELD, message: `Possible secret (${f.ruleId}: ${f.description}) in the ${f.field}` })),
  };
};

/** Secrets block anything that leaves the machine; for local files they are a warning. */
const secrets: ExportRule = (change) => {
  const findings = change.secretFindings;
  if (findings.length === 0) return pass;
  const warnings = findings.map((f) => ({
    code: 'SECRET_DETECTED',
    message: `Possible secret (${f.ruleId}: ${f.description}) at line ${f.line}`,
    line: f.line,
  }));
  if (!isRemote(change.destination.type)) return { warnings };
  const rules = [...new Set(findings.map((f) => f.ruleId))].join(', ');
  return {
    block: {
      reason: 'SECRET_DETECTED',
      message: `The content holds ${findings.length} possible secret(s) (${rules}); redact them before exporting to ${change.destination.type}.`,
    },
    warnings,
  };
};

/** Seed §9.3: warnings for Markdown, blocked for templates whose output lands in HTML. */
const dangerousOutput: ExportRule = (change) => {
  const findings = scanDangerousPatterns(change.content);
  if (findings.length === 0) return pass;
  const warnings = findings.map((f) => ({
    code: 'DANGEROUS_PATTERN',
    message: `${f.description} at line ${f.line}`,
    line: f.line,
  }));
  if (!change.template.htmlBound) return { warnings };
  return {
    block: {
      reason: 'DANGEROUS_PATTERN',
      message: `The template "${change.template.id}" produces HTML and the content holds active content (${findings[0]?.description}).`,
    },
    warnings,
  };
};

const destinationImpact: ExportRule = (change) => ({
  warnings: change.impact.warnings.map((message) => ({ code: 'DESTINATION_NOTICE', message })),
});

const overwrite: ExportRule = (change) => {
  const deletions = change.preview.diff?.deletions ?? 0;
  if (change.impact.action !== 'UPDATE' || deletions === 0) return pass;
  return {
    warnings: [
      {
        code: 'OVERWRITES_CONTENT',
        message: `Updates ${change.impact.resource}: ${deletions} line(s) removed, ${change.preview.diff?.additions ?? 0} added.`,
      },
    ],
  };
};

/** Order matters only for which block reason is reported first. */
export const EXPORT_RULES: readonly ExportRule[] = [
  fieldSecrets,
  workspaceTrust,
  destinationPermission,
  validation,
  secrets,
  dangerousOutput,
  destinationImpact,
  overwrite,
];

export function evaluateExportRules(change: ExportChange): RuleOutcome {
  const warnings: ReviewWarning[] = [];
  let block: RuleOutcome['block'];
  for (const rule of EXPORT_RULES) {
    const outcome = rule(change);
    warnings.push(...outcome.warnings);
    block ??= outcome.block;
  }
  return block === undefined ? { warnings } : { block, warnings };
}
