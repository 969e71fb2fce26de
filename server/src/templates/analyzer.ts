import type { OutputKind } from '../model';
import { type CallNode, type HbsNode, type HbsProgram, hashPairs, helperNameOf, isPath, isRefusedNode } from './ast';
import {
  type ContextShape,
  DATA_VARIABLES,
  RENDER_CONTEXT_SHAPE,
  fieldNames,
  itemShape,
  resolveShapePath,
} from './context';
import { HELPER_DOCS, helperDoc } from './helpers';
import { parseBodyIncremental } from './incrementalParse';
import type { TemplateIssue, TemplateIssueCode, TemplateRange } from './types';

/**
 * Checks a template body: syntax, refused constructs (partials,
 * decorators), unknown helpers, and variables the render context does not
 * have. Positions are shifted by `bodyStartLine` into whole-file positions.
 */
export interface BodyAnalysis {
  /** Shared with later analyses (see incrementalParse.ts): read only. */
  ast?: HbsProgram;
  issues: TemplateIssue[];
}

/** Helpers whose output is already XML: printing them raw is expected. */
const XML_MARKUP_HELPERS = new Set(['xml', 'xmlAttr', 'xmlMetadata']);

interface Scope {
  shape: ContextShape;
  /** Human name of the current context, for messages. */
  label: string;
  blockParams: Map<string, ContextShape>;
  /** Pushed by #if/#unless: same context, so `../` does not count it. */
  sameContext?: boolean;
}

export function analyzeBody(body: string, options: { bodyStartLine: number; output: OutputKind }): BodyAnalysis {
  const toRange = (loc: { start: { line: number; column: number }; end: { line: number; column: number } }): TemplateRange => ({
    start: { line: options.bodyStartLine + loc.start.line - 1, character: loc.start.column },
    end: { line: options.bodyStartLine + loc.end.line - 1, character: loc.end.column },
  });

  const parsed = parseBodyIncremental(body);
  if (!parsed.ok) {
    const { failure } = parsed;
    return {
      issues: [
        {
          code: failure.kind === 'unclosed-block' ? 'HBS_UNCLOSED_BLOCK' : 'HBS_SYNTAX',
          message: failure.message,
          severity: 'error',
          range: toRange(failure),
        },
      ],
    };
  }
  const walker = new Walker(options.output, toRange);
  walker.program(parsed.ast, rootScope());
  return { ast: parsed.ast, issues: walker.issues };
}

function rootScope(): Scope {
  return { shape: RENDER_CONTEXT_SHAPE, label: 'the template context', blockParams: new Map() };
}

class Walker {
  readonly issues: TemplateIssue[] = [];
  private readonly scopes: Scope[] = [];

  constructor(
    private readonly output: OutputKind,
    private readonly toRange: (loc: hbs.AST.SourceLocation) => TemplateRange,
  ) {}

  program(program: HbsProgram | undefined, scope: Scope): void {
    if (program === undefined) return;
    this.scopes.push(scope);
    for (const node of program.body) this.statement(node);
    this.scopes.pop();
  }

  private get scope(): Scope {
    return this.scopes.at(-1) ?? rootScope();
  }

  private report(code: TemplateIssueCode, severity: 'error' | 'warning', message: string, node: HbsNode): void {
    this.issues.push({ code, severity, message, range: this.toRange(node.loc) });
  }

  private statement(node: HbsNode): void {
    const refused = isRefusedNode(node);
    if (refused === 'partial') {
      this.report('HBS_PARTIAL_REFUSED', 'error', 'Partials ({{> …}}) are not allowed in export templates: inline the text instead.', node);
      return;
    }
    if (refused === 'decorator') {
      this.report('HBS_DECORATOR_REFUSED', 'error', 'Decorators ({{* …}}) are not allowed in export templates.', node);
      return;
    }
    if (node.type === 'MustacheStatement') this.mustache(node as hbs.AST.MustacheStatement);
    else if (node.type === 'BlockStatement') this.block(node as hbs.AST.BlockStatement);
  }

  private mustache(node: hbs.AST.MustacheStatement): void {
    this.call(node, 'mustache');
    if (this.output === 'xml' && !node.escaped) {
      const name = helperNameOf(node.path);
      if (name === undefined || !XML_MARKUP_HELPERS.has(name)) {
        this.report(
          'HBS_UNESCAPED_XML',
          'warning',
          'Triple braces print the value unescaped, which can break the XML: use {{…}} (escaped) or {{{xml …}}}.',
          node,
        );
      }
    }
  }

  private block(node: hbs.AST.BlockStatement): void {
    const name = this.call(node, 'block');
    const blockParams = node.program?.blockParams ?? [];
    const inner = (shape: ContextShape, label: string, params: ContextShape[]): Scope => {
      const map = new Map<string, ContextShape>();
      blockParams.forEach((param, i) => map.set(param, params[i] ?? { kind: 'any', description: 'A block parameter.' }));
      return { shape, label, blockParams: map };
    };
    const first = node.params[0];
    const argShape = first === undefined ? undefined : this.expressionShape(first);

    if (name === 'if' || name === 'unless') {
      this.program(node.program, { ...this.scope, blockParams: new Map(), sameContext: true });
    } else if (name === 'each') {
      const item = argShape === undefined ? anyShape() : itemShape(argShape);
      const label = labelOf(first, 'item');
      this.program(node.program, inner(item, label, [item, { kind: 'scalar', description: 'Index or key.' }]));
    } else if (name === 'with') {
      const shape = argShape ?? anyShape();
      this.program(node.program, inner(shape, labelOf(first, 'value'), [shape]));
    } else if (name === undefined) {
      // A section over a context value: {{#messages}}…{{/messages}} iterates arrays.
      const hasArgs = node.params.length > 0 || hashPairs(node).length > 0;
      const shape = (hasArgs ? undefined : this.pathShape(node.path, true)) ?? anyShape();
      const item = shape.kind === 'array' ? shape.item : shape;
      this.program(node.program, inner(item, labelOf(node.path, 'value'), [item]));
    } else {
      this.program(node.program, inner(anyShape(), `the {{#${name}}} block`, []));
    }
    this.program(node.inverse, this.scope);
  }

  /** Checks a mustache, block or subexpression; returns the helper name when it is a helper call. */
  private call(node: CallNode, kind: 'mustache' | 'block' | 'subexpr'): string | undefined {
    const params = this.withoutTrailingDot(node);
    const name = helperNameOf(node.path);
    const pairs = hashPairs(node);
    const hasArgs = params.length > 0 || pairs.length > 0;
    const doc = name === undefined ? undefined : helperDoc(name);

    if (doc !== undefined) {
      this.checkHelperUsage(node, doc.name, kind, params.length);
    } else if (kind === 'subexpr' || hasArgs) {
      const shown = name ?? (isPath(node.path) ? node.path.original : 'expression');
      this.report('HBS_UNKNOWN_HELPER', 'error', unknownHelperMessage(shown), node.path);
    } else if (kind === 'mustache') {
      this.pathShape(node.path, true);
    }
    for (const param of params) this.expression(param);
    for (const pair of pairs) this.expression(pair.value);
    return doc === undefined ? undefined : doc.name;
  }

  /**
   * A path typed up to its separator (`{{metadata.}}`) reaches Handlebars as
   * the path followed by `.` (this), which would read as a helper call:
   * reports the incomplete path instead and returns the other arguments.
   */
  private withoutTrailingDot(node: CallNode): HbsNode[] {
    const index = node.params.findIndex((param, i) => isGluedDot(param, i === 0 ? node.path : node.params[i - 1]));
    const before = index === 0 ? node.path : node.params[index - 1];
    const dot = node.params[index];
    if (dot === undefined || before === undefined || !isPath(before)) return node.params;
    const shape = this.pathShape(before, false);
    const fields = shape === undefined ? [] : fieldNames(shape);
    const hint = fields.length > 0 ? `: ${before.original} has ${fields.join(', ')}` : '';
    const range = { start: this.toRange(before.loc).start, end: this.toRange(dot.loc).end };
    this.issues.push({ code: 'HBS_INCOMPLETE_PATH', severity: 'error', message: `Expected a field name after "${before.original}."${hint}.`, range });
    return node.params.filter((_, i) => i !== index);
  }

  private checkHelperUsage(node: CallNode, name: string, kind: 'mustache' | 'block' | 'subexpr', count: number): void {
    const doc = helperDoc(name);
    if (doc === undefined) return;
    if (doc.block && kind !== 'block') {
      this.report('HBS_HELPER_USAGE', 'warning', `"${name}" is a block helper: use {{#${name} …}}…{{/${name}}}.`, node.path);
    } else if (!doc.block && kind === 'block') {
      this.report('HBS_HELPER_USAGE', 'warning', `"${name}" is not a block helper: use {{${name} …}} without # and the closing tag.`, node.path);
    }
    if (count < doc.minArgs || count > doc.maxArgs) {
      const wanted = doc.minArgs === doc.maxArgs ? `${doc.minArgs}` : `${doc.minArgs}–${doc.maxArgs}`;
      this.report('HBS_HELPER_USAGE', 'warning', `"${name}" takes ${wanted} argument(s), got ${count}. Example: ${doc.example}`, node.path);
    }
  }

  private expression(node: HbsNode): void {
    if (node.type === 'SubExpression') this.call(node as hbs.AST.SubExpression, 'subexpr');
    else if (isPath(node)) this.pathShape(node, true);
  }

  /** The shape of an argument, without reporting (call() already checked it). */
  private expressionShape(node: HbsNode): ContextShape | undefined {
    if (isPath(node)) return this.pathShape(node, false);
    return node.type === 'SubExpression' ? anyShape() : { kind: 'scalar', description: 'A literal.' };
  }

  /** Resolves a path in the current scopes; warns (when `report`) about unknown ones. */
  private pathShape(node: HbsNode, report: boolean): ContextShape | undefined {
    if (!isPath(node)) return { kind: 'scalar', description: 'A literal.' };
    const warn = (message: string): undefined => {
      if (report) this.report('HBS_UNKNOWN_VARIABLE', 'warning', message, node);
      return undefined;
    };

    if (node.data) {
      const [head = '', ...rest] = node.parts;
      if (!Object.hasOwn(DATA_VARIABLES, head)) {
        return warn(`Unknown data variable "@${head}": known are ${Object.keys(DATA_VARIABLES).map((k) => `@${k}`).join(', ')}.`);
      }
      if (head !== 'root') return { kind: 'scalar', description: DATA_VARIABLES[head] ?? '' };
      return this.resolveIn(rootScope(), rest, '@root', warn);
    }

    const explicitThis = /^(this|\.)(\/|\.|$)/.test(node.original);
    if (node.depth === 0 && !explicitThis && node.parts[0] !== undefined) {
      for (let i = this.scopes.length - 1; i >= 0; i -= 1) {
        const param = this.scopes[i]?.blockParams.get(node.parts[0]);
        if (param !== undefined) {
          return this.resolveIn({ shape: param, label: node.parts[0], blockParams: new Map() }, node.parts.slice(1), node.parts[0], warn);
        }
      }
    }

    const contexts = this.scopes.filter((s) => s.sameContext !== true);
    const scope = node.depth === 0 ? this.scope : contexts[contexts.length - 1 - node.depth];
    if (scope === undefined) return warn(`"${node.original}" goes above the top-level context.`);
    return this.resolveIn(scope, node.parts, node.depth > 0 ? '../'.repeat(node.depth) : '', warn);
  }

  private resolveIn(scope: Scope, parts: string[], prefix: string, warn: (message: string) => undefined): ContextShape | undefined {
    const result = resolveShapePath(scope.shape, parts);
    if (result.ok) return result.shape;
    const missing = parts[result.failedAt] ?? '';
    const known = fieldNames(result.parent);
    const list = known.length > 0 ? ` (fields: ${known.join(', ')})` : '';
    if (result.failedAt === 0 && scope.shape === RENDER_CONTEXT_SHAPE) {
      return warn(`Unknown variable "${prefix}${missing}": the template context has ${known.join(', ')}.`);
    }
    if (result.failedAt === 0) {
      const outer = resolveShapePath(RENDER_CONTEXT_SHAPE, parts).ok
        ? ` Inside a block, reach top-level values with @root.${parts.join('.')} or ../${parts.join('.')}.`
        : '';
      return warn(`"${missing}" is not a field of ${scope.label}${list}.${outer}`);
    }
    const parentPath = [prefix.replace(/\/$/, ''), ...parts.slice(0, result.failedAt)].filter((p) => p !== '').join('.');
    return warn(`"${parentPath}" has no field "${missing}"${list}.`);
  }
}

/** `.` written right after a path, with nothing between them: the tail of `metadata.`, not an argument. */
function isGluedDot(node: HbsNode, previous: HbsNode | undefined): boolean {
  if (previous === undefined || !isPath(node) || node.original !== '.' || !isPath(previous)) return false;
  return node.loc.start.line === previous.loc.end.line && node.loc.start.column === previous.loc.end.column;
}

function anyShape(): ContextShape {
  return { kind: 'any', description: 'Any value.' };
}

function labelOf(node: HbsNode | undefined, fallback: string): string {
  if (node !== undefined && isPath(node)) {
    const last = node.parts.at(-1);
    if (node.parts.length === 1 && last === 'messages') return 'a message';
    if (last === 'blocks') return 'a block';
    return `an item of ${node.original}`;
  }
  return `the ${fallback}`;
}

function unknownHelperMessage(name: string): string {
  const names = HELPER_DOCS.map((d) => d.name);
  const close = names.filter((candidate) => editDistance(candidate.toLowerCase(), name.toLowerCase()) <= 2);
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
  return `Unknown helper "${name}".${hint} Available helpers: ${names.join(', ')}.`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const saved = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length] ?? 0;
}
