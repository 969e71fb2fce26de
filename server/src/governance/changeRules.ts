import type { DestinationConfig, RiskLevel } from '../config';
import { destinationConfigSchema } from '../destinations/registry';
import { analyzeTemplateFile } from '../templates/templateFile';
import type { Verdict } from './bin';
import type { ReviewWarning } from './review';
import { riskOfDestination } from './risk';
import { scanForSecrets } from './secretScan';

/**
 * Seed §5.3 validation rules for the non-export changes: templates must
 * compile and have a unique name; destinations must have a valid config,
 * exist (for updates) and hold no secrets; workspace-defined ones need trust.
 */

export interface TemplateChange {
  type: 'CreateTemplate' | 'UpdateTemplate';
  id: string;
  /** Where the file will be written. */
  path: string;
  text: string;
  /** Lives in the repository (shared with everyone who clones it). */
  shared: boolean;
  existingIds: readonly string[];
  trusted: boolean;
}

export interface DestinationChange {
  type: 'CreateDestination' | 'UpdateDestination';
  config: unknown;
  existingIds: readonly string[];
  /** Written to workspace settings (shared) rather than the user's. */
  workspaceDefined: boolean;
  trusted: boolean;
}

function block(reason: string, message: string): NonNullable<Verdict['block']> {
  return { reason, message };
}

export function templateChangeVerdict(change: TemplateChange): Verdict {
  const action = change.type === 'CreateTemplate' ? 'CREATE' : 'UPDATE';
  const risk: RiskLevel = change.shared ? 'critical' : 'medium';
  const analysis = analyzeTemplateFile(change.text, { id: change.id, path: change.path, builtin: false });
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  const warnings: ReviewWarning[] = analysis.issues
    .filter((i) => i.severity === 'warning')
    .map((i) => ({ code: i.code, message: i.message, line: i.range.start.line + 1 }));
  if (change.shared) warnings.push({ code: 'SHARED_TEMPLATE', message: 'Everyone who uses this workspace will run this template.' });

  let verdictBlock: Verdict['block'];
  if (!change.trusted) {
    verdictBlock = block('UNTRUSTED_WORKSPACE', 'Templates cannot be created or changed in an untrusted workspace.');
  } else if (errors.length > 0) {
    const first = errors[0];
    verdictBlock = block(
      'TEMPLATE_INVALID',
      `The template does not compile: line ${(first?.range.start.line ?? 0) + 1}: ${first?.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    );
  } else if (change.type === 'CreateTemplate' && change.existingIds.includes(change.id)) {
    verdictBlock = block('NAME_NOT_UNIQUE', `A template named "${change.id}" already exists.`);
  } else if (change.type === 'UpdateTemplate' && !change.existingIds.includes(change.id)) {
    verdictBlock = block('NOT_FOUND', `There is no template named "${change.id}" to update.`);
  }
  return {
    changeType: change.type,
    impact: {
      risk_level: risk,
      action,
      affected_resources: [change.path],
      token_cost: 0,
      affected_users: change.shared ? 2 : 1,
      details: { template: change.id, shared: change.shared, issues: analysis.issues.length },
    },
    warnings,
    ...(verdictBlock ? { block: verdictBlock } : {}),
    auditMetadata: { template: change.id, filename: change.path },
  };
}

export async function destinationChangeVerdict(change: DestinationChange): Promise<Verdict & { config?: DestinationConfig }> {
  const action = change.type === 'CreateDestination' ? 'CREATE' : 'UPDATE';
  const parsed = destinationConfigSchema.safeParse(change.config);
  const id = parsed.success ? parsed.data.id : String((change.config as { id?: unknown } | null)?.id ?? '?');
  const type = parsed.success ? parsed.data.type : String((change.config as { type?: unknown } | null)?.type ?? 'unknown');
  const warnings: ReviewWarning[] = [];
  // Secrets belong in SecretStorage / the environment, never in settings.
  const secretFindings = await scanForSecrets(JSON.stringify(change.config ?? null, null, 1));

  let verdictBlock: Verdict['block'];
  if (change.workspaceDefined && !change.trusted) {
    verdictBlock = block('UNTRUSTED_WORKSPACE', 'Destinations cannot be defined in the settings of an untrusted workspace.');
  } else if (!parsed.success) {
    verdictBlock = block(
      'DESTINATION_CONFIG_INVALID',
      `Invalid destination: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  } else if (secretFindings.length > 0) {
    verdictBlock = block(
      'SECRET_IN_CONFIG',
      `The destination's settings hold a credential (${secretFindings[0]?.ruleId}); store it with "Set Destination Credential" instead.`,
    );
  } else if (change.type === 'CreateDestination' && change.existingIds.includes(id)) {
    verdictBlock = block('NAME_NOT_UNIQUE', `A destination with id "${id}" already exists.`);
  } else if (change.type === 'UpdateDestination' && !change.existingIds.includes(id)) {
    verdictBlock = block('NOT_FOUND', `There is no destination "${id}" to update.`);
  }
  if (change.workspaceDefined) warnings.push({ code: 'SHARED_DESTINATION', message: 'Saved in workspace settings: shared with everyone who opens this workspace.' });
  return {
    changeType: change.type,
    impact: {
      risk_level: riskOfDestination(type),
      action,
      affected_resources: [`destination:${id}`],
      token_cost: 0,
      affected_users: change.workspaceDefined ? 2 : 1,
      details: { destination: id, destination_type: type },
    },
    warnings,
    ...(verdictBlock ? { block: verdictBlock } : {}),
    auditMetadata: { destination: id, destination_type: type },
    ...(parsed.success ? { config: parsed.data } : {}),
  };
}
