import { ExportError } from '../errors';
import { sharedTemplateEngine, type TemplateEngine } from '../templates/engine';
import { TEMPLATE_EXTENSION, type TemplateRegistry } from '../templates/registry';
import { analyzeTemplateFile, invalidTemplateError } from '../templates/templateFile';
import type { TemplateDefinition, TemplateSummary } from '../templates/types';
import type { TeamTemplate } from './teamCatalog';

/**
 * The template registry with the team's published templates added
 * (`templates publish`). A team template wins over a workspace file and a
 * built-in of the same id: it is the reviewed version everyone exports
 * with, and a local file of that id is the draft of its next publish.
 * Team templates are code like a workspace's: they run only in a trusted
 * workspace (the Bin's rule for every non-built-in template).
 */

/** How a team template is named where a path is expected (job records, the review). */
export function teamTemplatePath(id: string): string {
  return `team:${id}`;
}

export function withTeamTemplates(inner: TemplateRegistry, teamTemplates: () => Promise<TeamTemplate[]>, engine: TemplateEngine = sharedTemplateEngine()): TemplateRegistry {
  return {
    async list() {
      const [local, team] = await Promise.all([inner.list(), teamTemplates()]);
      const teamIds = new Set(team.map((t) => t.id));
      return [...local.filter((t) => !teamIds.has(t.id)), ...team.map(summaryOf)];
    },
    async get(idOrPath) {
      const requested = idOrPath.trim();
      const isPath = requested.endsWith(TEMPLATE_EXTENSION) || /[\\/]/.test(requested);
      const id = requested.startsWith('team:') ? requested.slice('team:'.length) : requested;
      if (!isPath) {
        const found = (await teamTemplates()).find((t) => t.id === id);
        if (found) return definitionOf(found, engine);
        if (id !== requested) {
          throw new ExportError('TEMPLATE_NOT_FOUND', `The team store has no template "${id}".`, { details: { templateId: id }, recoverable: false });
        }
      }
      return inner.get(idOrPath);
    },
  };
}

function summaryOf(t: TeamTemplate): TemplateSummary {
  const analysis = analyzeTemplateFile(t.text, { id: t.id, path: teamTemplatePath(t.id), builtin: false });
  const base = { id: t.id, source: 'team' as const, path: teamTemplatePath(t.id), createdBy: t.createdBy };
  const definition = analysis.definition;
  if (!definition) {
    const first = analysis.issues.find((i) => i.severity === 'error');
    return { ...base, name: t.name, output: 'text', extension: '.txt', valid: false, problem: first ? `line ${first.range.start.line + 1}: ${first.message}` : 'invalid' };
  }
  return {
    ...base,
    name: definition.name,
    output: definition.output,
    extension: definition.extension,
    valid: true,
    ...(definition.description === undefined ? {} : { description: definition.description }),
  };
}

function definitionOf(t: TeamTemplate, engine: TemplateEngine): TemplateDefinition {
  const origin = { id: t.id, path: teamTemplatePath(t.id), builtin: false };
  const analysis = analyzeTemplateFile(t.text, origin);
  if (!analysis.definition) throw invalidTemplateError(origin, analysis.issues);
  engine.prepare(analysis.definition);
  return analysis.definition;
}
