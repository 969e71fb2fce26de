import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { Clock } from '../clock';
import { ExportError } from '../errors';
import type { OutputKind } from '../model';
import { analyzeBody } from './analyzer';
import { type HbsProgram, copyTree, hashPairs, helperNameOf, isPath, statements } from './ast';
import type { RenderContext } from './context';
import { HELPERS, isKnownHelper, knownHelpersOption } from './helpers';
import { parseBodyIncremental } from './incrementalParse';
import { invalidTemplateError } from './templateFile';
import type { TemplateDefinition } from './types';
import { RenderBudget, type RenderLimits } from './renderBudget';

/**
 * Renders templates in an isolated Handlebars environment: only our helpers,
 * no partials or decorators, prototype access off, `log` removed.
 *
 * Escaping: markdown, yaml-frontmatter and text are not HTML-escaped
 * (`noEscape`). For xml, every `{{…}}` is rewritten before compiling into
 * `{{{xml …}}}`, so its value is XML-escaped (and stripped of characters XML
 * cannot carry); helpers that already produce XML (xml, xmlAttr,
 * xmlMetadata) return markup that passes through unchanged.
 */

export interface TemplateEngineOptions {
  /** How long a compiled template stays cached (config limits.templateCacheTtlMs); 0 disables the cache. */
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  clock?: Pick<Clock, 'monotonic'>;
  /** Steps, time and output one render may take (renderBudget.ts); defaults there. */
  renderLimits?: Partial<RenderLimits>;
}

export interface TemplateEngine {
  /** Compiles (or reuses) and renders; TEMPLATE_INVALID or TEMPLATE_RENDER_FAILED on failure. */
  render(template: TemplateDefinition, context: RenderContext): string;
  /** Compiles without rendering, so a broken template fails early with TEMPLATE_INVALID. */
  prepare(template: TemplateDefinition): void;
  clearCache(): void;
  /** Changes the cache lifetime (config limits.templateCacheTtlMs); 0 disables caching. */
  setCacheTtl(ms: number): void;
  readonly cacheSize: number;
}

type CompiledTemplate = (context: RenderContext, options?: Handlebars.RuntimeOptions) => string;

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  // The defaults, spelled out: a template must never reach prototypes.
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
};

const MINIMUM_HANDLEBARS = [4, 7, 9] as const;
const DEFAULT_CACHE_TTL_MS = 300_000;

let shared: TemplateEngine | undefined;

/** The process-wide engine transform() uses unless given another one. */
export function sharedTemplateEngine(): TemplateEngine {
  shared ??= createTemplateEngine();
  return shared;
}

export function createTemplateEngine(options: TemplateEngineOptions = {}): TemplateEngine {
  assertSafeHandlebars(Handlebars.VERSION);
  let ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const maxEntries = options.maxCacheEntries ?? 64;
  const clock = options.clock ?? { monotonic: () => performance.now() };
  const env = createEnvironment();
  const cache = new Map<string, { compiled: CompiledTemplate; at: number }>();

  function compile(template: TemplateDefinition): CompiledTemplate {
    const key = createHash('sha256').update(`${template.output}\n${template.body}`).digest('hex');
    const now = clock.monotonic();
    const hit = cache.get(key);
    if (hit !== undefined && now - hit.at <= ttl) return hit.compiled;
    cache.delete(key);

    const analysis = analyzeBody(template.body, { bodyStartLine: template.bodyStartLine, output: template.output });
    if (analysis.issues.some((issue) => issue.severity === 'error')) throw invalidTemplateError(template, analysis.issues);

    const compileOptions = compileOptionsFor(template.output);
    try {
      // compile() is lazy; precompile surfaces compiler errors now. Each call
      // gets a fresh AST because compiling rewrites whitespace in place.
      env.precompile(compilableAst(template), compileOptions);
    } catch (error) {
      throw new ExportError('TEMPLATE_INVALID', `Template "${template.id}" does not compile: ${messageOf(error)}`, {
        details: { templateId: template.id },
        recoverable: false,
      });
    }
    const compiled: CompiledTemplate = env.compile<RenderContext>(compilableAst(template), compileOptions);

    if (ttl > 0) {
      for (const [k, entry] of cache) if (now - entry.at > ttl) cache.delete(k);
      while (cache.size >= maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      cache.set(key, { compiled, at: now });
    }
    return compiled;
  }

  return {
    render(template, context) {
      const compiled = compile(template);
      const outer = running;
      running = new RenderBudget(template.id, options.renderLimits);
      try {
        return compiled(context, RUNTIME_OPTIONS);
      } catch (error) {
        if (error instanceof ExportError) throw error;
        // A stack overflow would take the server with it; as an error, it is the template's.
        throw new ExportError('TEMPLATE_RENDER_FAILED', `Template "${template.id}" failed to render: ${messageOf(error)}`, {
          details: { templateId: template.id },
          recoverable: false,
          cause: error,
        });
      } finally {
        running = outer;
      }
    },
    prepare(template) {
      compile(template);
    },
    clearCache() {
      cache.clear();
    },
    setCacheTtl(ms) {
      ttl = Math.max(0, ms);
      if (ttl === 0) cache.clear();
    },
    get cacheSize() {
      return cache.size;
    },
  };
}

function createEnvironment(): typeof Handlebars {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  for (const spec of HELPERS) {
    env.registerHelper(spec.name, (...args: unknown[]) => {
      const options = args.pop();
      return spec.run(args, hashOf(options));
    });
  }
  meterBlockHelpers(env);
  return env;
}

/** The budget of the render running now: renders are synchronous, so one at a time per process. */
let running: RenderBudget | undefined;

/**
 * Every block body the built-in block helpers run (an iteration of each, the
 * branch of an if, a section) is one step of the running render's budget,
 * and what it produced counts towards its output budget (renderBudget.ts).
 */
function meterBlockHelpers(env: typeof Handlebars): void {
  for (const name of ['each', 'if', 'unless', 'with', 'blockHelperMissing']) {
    const builtin = env.helpers[name] as (this: unknown, ...args: unknown[]) => unknown;
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as Handlebars.HelperOptions | undefined;
      const budget = running;
      if (budget && options && typeof options.fn === 'function') {
        const meter = (body: Handlebars.TemplateDelegate | undefined) =>
          body &&
          ((context: unknown, runtime?: Handlebars.RuntimeOptions) => {
            budget.step();
            const out = body(context, runtime);
            budget.produced(out.length);
            return out;
          });
        args[args.length - 1] = { ...options, fn: meter(options.fn), inverse: meter(options.inverse) };
      }
      return builtin.apply(this, args);
    });
  }
}

function hashOf(options: unknown): Record<string, unknown> {
  if (typeof options !== 'object' || options === null) return {};
  const hash: unknown = (options as { hash?: unknown }).hash;
  return typeof hash === 'object' && hash !== null ? (hash as Record<string, unknown>) : {};
}

function compileOptionsFor(output: OutputKind): CompileOptions {
  return {
    strict: false,
    knownHelpersOnly: true,
    knownHelpers: knownHelpersOption(),
    // xml keeps Handlebars' escaping as a backstop, though every escaped
    // mustache has been rewritten to use the xml helper by then (see top).
    noEscape: output !== 'xml',
    data: true,
    compat: false,
  };
}

/** Parses the body; for xml, routes every escaped mustache through the xml helper. */
function compilableAst(template: TemplateDefinition): HbsProgram {
  const parsed = parseBodyIncremental(template.body);
  if (!parsed.ok) throw invalidTemplateError(template, []);
  // The parsed tree is shared with the analyses (see incrementalParse.ts): compile a copy.
  const ast = copyTree(parsed.ast);
  if (template.output === 'xml') escapeMustachesForXml(ast);
  return ast;
}

/**
 * `{{path}}` → `{{{xml path}}}`, `{{helper a b=c}}` → `{{{xml (helper a b=c)}}}`.
 * The nodes built here hold only values the parser produced, so the tree is
 * as safe to compile as the parser's own output.
 */
export function escapeMustachesForXml(program: HbsProgram): void {
  for (const node of statements(program)) {
    if (node.type !== 'MustacheStatement') continue;
    const mustache = node as hbs.AST.MustacheStatement;
    if (!mustache.escaped) continue;
    const loc = mustache.loc;
    const name = helperNameOf(mustache.path);
    const asPath: hbs.AST.PathExpression = isPath(mustache.path)
      ? mustache.path
      : { type: 'PathExpression', data: false, depth: 0, parts: [name ?? ''], original: name ?? '', loc };
    const isCall = (name !== undefined && isKnownHelper(name)) || mustache.params.length > 0 || hashPairs(mustache).length > 0;
    const argument: hbs.AST.Expression = isCall
      ? ({ type: 'SubExpression', path: asPath, params: mustache.params, hash: mustache.hash, loc } as hbs.AST.SubExpression)
      : asPath;
    mustache.path = { type: 'PathExpression', data: false, depth: 0, parts: ['xml'], original: 'xml', loc } as hbs.AST.PathExpression;
    mustache.params = [argument];
    (mustache as { hash?: hbs.AST.Hash }).hash = undefined;
    mustache.escaped = false;
  }
}

function assertSafeHandlebars(version: string): void {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (const [i, minimum] of MINIMUM_HANDLEBARS.entries()) {
    const actual = parts[i] ?? 0;
    if (actual > minimum) return;
    if (actual < minimum) {
      throw new ExportError('INTERNAL_ERROR', `Handlebars ${version} is too old: ${MINIMUM_HANDLEBARS.join('.')} or later is required (security advisories).`, {
        recoverable: false,
      });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
