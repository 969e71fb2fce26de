import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ExportError } from '../errors';
import { type TemplateEngine, sharedTemplateEngine } from './engine';
import { analyzeTemplateFile, invalidTemplateError } from './templateFile';
import type { TemplateDefinition, TemplateOrigin, TemplateSummary } from './types';

/**
 * Where templates come from: the built-ins shipped in `templates/`, and the
 * workspace's own `*.hbs` (config templatesDir). Workspace templates are code,
 * so they are listed and loaded only in a trusted workspace. A workspace
 * template with the id of a built-in replaces it (list() marks it
 * `overridesBuiltin`), so a team can restyle "markdown" without new ids.
 */

export interface TemplateFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  readdir(path: string): Promise<string[]>;
}

export interface TemplateRegistryOptions {
  builtinDir: string;
  workspaceDir?: string;
  trusted: boolean;
  fs?: TemplateFileSystem;
  /** Base for relative template paths (default: the process's working directory). */
  cwd?: string;
  /** Compiled-template cache lifetime (config limits.templateCacheTtlMs). */
  cacheTtlMs?: number;
  /** Compiles each loaded template so errors surface at get(); default the shared engine. */
  engine?: TemplateEngine;
}

export interface TemplateRegistry {
  list(): Promise<TemplateSummary[]>;
  /** A template id (`yaml-markdown`) or a path to a `.hbs` file. */
  get(idOrPath: string): Promise<TemplateDefinition>;
}

export const TEMPLATE_EXTENSION = '.hbs';
/** Templates larger than this are not loaded, and not analysed in the editor either (language/templateChecks.ts). */
export const MAX_TEMPLATE_BYTES = 256 * 1024;
const TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const BUILTIN_ORDER = ['markdown', 'yaml-markdown', 'skill', 'xml'];

const nodeFs: TemplateFileSystem = {
  readFile: (path, encoding) => readFile(path, encoding),
  readdir: (path) => readdir(path),
};

/**
 * The built-in templates folder, from the sources (server/src/templates →
 * repo/templates, under tsx) or from the bundle (dist/*.js → ../templates).
 */
export function defaultBuiltinTemplatesDir(): string {
  const candidates = [join(__dirname, '..', 'templates'), join(__dirname, '..', '..', '..', 'templates')];
  return candidates.find((dir) => existsSync(join(dir, `markdown${TEMPLATE_EXTENSION}`))) ?? candidates[0] ?? 'templates';
}

export function createTemplateRegistry(options: TemplateRegistryOptions): TemplateRegistry {
  const fs = options.fs ?? nodeFs;
  const engine = options.engine ?? sharedTemplateEngine();
  if (options.cacheTtlMs !== undefined) engine.setCacheTtl(options.cacheTtlMs);
  const builtinDir = resolve(options.builtinDir);
  const workspaceDir = options.workspaceDir === undefined ? undefined : resolve(options.workspaceDir);
  const cwd = options.cwd ?? process.cwd();

  async function idsIn(dir: string | undefined, required: boolean): Promise<string[]> {
    if (dir === undefined) return [];
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if (!required && isMissing(error)) return [];
      throw new ExportError('TEMPLATE_NOT_FOUND', `Cannot read the templates folder ${dir}: ${messageOf(error)}`, { recoverable: false });
    }
    return names
      .filter((name) => name.endsWith(TEMPLATE_EXTENSION))
      .map((name) => name.slice(0, -TEMPLATE_EXTENSION.length))
      .filter((id) => TEMPLATE_ID.test(id));
  }

  async function load(origin: TemplateOrigin & { path: string }): Promise<TemplateDefinition> {
    const text = await readTemplateText(fs, origin);
    const analysis = analyzeTemplateFile(text, origin);
    if (analysis.definition === undefined) throw invalidTemplateError(origin, analysis.issues);
    engine.prepare(analysis.definition);
    return analysis.definition;
  }

  function untrusted(id: string, path: string): ExportError {
    return new ExportError(
      'UNTRUSTED_WORKSPACE',
      `Template "${id}" (${path}) is workspace code and runs only in a trusted workspace. Trust this workspace, or pick a built-in template (${BUILTIN_ORDER.join(', ')}).`,
      { details: { templateId: id, path }, recoverable: false },
    );
  }

  async function summarize(id: string, dir: string, source: 'builtin' | 'workspace'): Promise<TemplateSummary> {
    const path = join(dir, `${id}${TEMPLATE_EXTENSION}`);
    const base = { id, source, path } as const;
    let text: string;
    try {
      text = await readTemplateText(fs, { id, path, builtin: source === 'builtin' });
    } catch (error) {
      return { ...base, name: id, output: 'text', extension: '.txt', valid: false, problem: messageOf(error) };
    }
    const analysis = analyzeTemplateFile(text, { id, path, builtin: source === 'builtin' });
    const definition = analysis.definition;
    if (definition === undefined) {
      const first = analysis.issues.find((i) => i.severity === 'error');
      const problem = first === undefined ? 'invalid' : `line ${first.range.start.line + 1}: ${first.message}`;
      return { ...base, name: id, output: 'text', extension: '.txt', valid: false, problem };
    }
    const summary: TemplateSummary = { ...base, name: definition.name, output: definition.output, extension: definition.extension, valid: true };
    if (definition.description !== undefined) summary.description = definition.description;
    return summary;
  }

  return {
    async list() {
      const builtinIds = sortBuiltins(await idsIn(builtinDir, true));
      // Untrusted: workspace templates are listed (to be shown disabled) but replace no built-in, as they cannot run.
      const workspaceIds = (await idsIn(workspaceDir, false)).sort();
      const overridden = new Set(options.trusted ? workspaceIds : []);
      const summaries = await Promise.all([
        ...builtinIds.filter((id) => !overridden.has(id)).map((id) => summarize(id, builtinDir, 'builtin')),
        ...workspaceIds.map(async (id) => {
          const summary = await summarize(id, workspaceDir ?? '', 'workspace');
          if (options.trusted && builtinIds.includes(id)) summary.overridesBuiltin = true;
          return summary;
        }),
      ]);
      return summaries;
    },

    async get(idOrPath) {
      const requested = idOrPath.trim();
      if (requested.endsWith(TEMPLATE_EXTENSION) || /[\\/]/.test(requested)) {
        if (!requested.endsWith(TEMPLATE_EXTENSION)) {
          throw new ExportError('TEMPLATE_NOT_FOUND', `"${requested}" is not a template file: template files end in ${TEMPLATE_EXTENSION}.`, {
            recoverable: false,
          });
        }
        const path = resolve(cwd, requested);
        const id = basename(path, TEMPLATE_EXTENSION);
        const builtin = dirname(path) === builtinDir;
        if (!builtin && !options.trusted) throw untrusted(id, path);
        return load({ id, path, builtin });
      }

      const id = requested;
      const workspaceIds = TEMPLATE_ID.test(id) ? await idsIn(workspaceDir, false) : [];
      if (workspaceDir !== undefined && workspaceIds.includes(id)) {
        const path = join(workspaceDir, `${id}${TEMPLATE_EXTENSION}`);
        if (!options.trusted) {
          const builtinIds = await idsIn(builtinDir, true);
          // Untrusted: a workspace file never shadows the built-in, which stays usable.
          if (!builtinIds.includes(id)) throw untrusted(id, path);
        } else {
          return load({ id, path, builtin: false });
        }
      }
      const builtinIds = await idsIn(builtinDir, true);
      if (TEMPLATE_ID.test(id) && builtinIds.includes(id)) {
        return load({ id, path: join(builtinDir, `${id}${TEMPLATE_EXTENSION}`), builtin: true });
      }
      const available = [...sortBuiltins(builtinIds), ...(options.trusted ? workspaceIds.filter((w) => !builtinIds.includes(w)) : [])];
      throw new ExportError('TEMPLATE_NOT_FOUND', `Template "${id}" not found. Available templates: ${available.join(', ')}.`, {
        details: { templateId: id, available },
        recoverable: false,
      });
    },
  };
}

async function readTemplateText(fs: TemplateFileSystem, origin: TemplateOrigin & { path: string }): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(origin.path, 'utf8');
  } catch (error) {
    throw new ExportError('TEMPLATE_NOT_FOUND', `Template "${origin.id}" cannot be read (${origin.path}): ${messageOf(error)}`, {
      details: { templateId: origin.id, path: origin.path },
      recoverable: false,
    });
  }
  if (text.length > MAX_TEMPLATE_BYTES) {
    throw new ExportError('TEMPLATE_INVALID', `Template "${origin.id}" is larger than ${MAX_TEMPLATE_BYTES / 1024} KiB.`, {
      details: { templateId: origin.id, path: origin.path },
      recoverable: false,
    });
  }
  return text;
}

function sortBuiltins(ids: string[]): string[] {
  const rank = (id: string): number => {
    const index = BUILTIN_ORDER.indexOf(id);
    return index < 0 ? BUILTIN_ORDER.length : index;
  };
  return [...ids].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code === 'ENOENT' ? 'file not found' : error.message;
  }
  return String(error);
}
