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
import { closestNames } from './suggest';
import type { TemplateFix, TemplateIssue, TemplateIssueCode, TemplateRange } from './types';

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
    const issue: TemplateIssue = {
      code: failure.kind === 'unclosed-block' ? 'HBS_UNCLOSED_BLOCK' : 'HBS_SYNTAX',
      message: failure.message,
      severity: 'error',
      range: toRange(failure),
    };
    if (failure.closeWith !== undefined) {
      const at = toRange({ start: failure.closeWith.at, end: failure.closeWith.at });
      issue.fix = { range: at, expected: '', choices: [failure.closeWith.text] };
    }
    return { issues: [issue] };
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
    private readonly toRange: (loc: Pick<hbs.AST.SourceLocation, 'start' | 'end'>) => TemplateRange,
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

  private report(code: TemplateIssueCode, severity: 'error' | 'warning', message: string, node: HbsNode, fix?: TemplateFix): void {
    const issue: TemplateIssue = { code, severity, message, range: this.toRange(node.loc) };
    if (fix !== undefined) issue.fix = fix;
    this.issues.push(issue);
  }

  /** A fix replacing the part `partIndex` of a path with one of `choices` (undefined when the source cannot be mapped). */
  private partFix(node: hbs.AST.PathExpression, partIndex: number, choices: string[]): TemplateFix | undefined {
    if (choices.length === 0) return undefined;
    const part = pathPartSpans(node)?.[partIndex];
    if (part === undefined) return undefined;
    const start = { line: node.loc.start.line, column: node.loc.start.column + part.start };
    const end = { line: start.line, column: start.column + part.text.length };
    return { range: this.toRange({ start, end }), expected: part.text, choices };
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
      // Block helpers for {{#…}}, the others elsewhere: those are the ones that would fit.
      const fitting = HELPER_DOCS.filter((d) => d.block === (kind === 'block')).map((d) => d.name);
      const close = closestNames(shown, fitting);
      const fix = name !== undefined && isPath(node.path) ? this.partFix(node.path, 0, close) : undefined;
      this.report('HBS_UNKNOWN_HELPER', 'error', unknownHelperMessage(shown, close), node.path, fix);
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
    const issue: TemplateIssue = { code: 'HBS_INCOMPLETE_PATH', severity: 'error', message: `Expected a field name after "${before.original}."${hint}.`, range };
    const typed = `${before.original}.`;
    if (fields.length > 0 && pathPartSpans(before) !== undefined) issue.fix = { range, expected: typed, choices: fields.map((field) => typed + field) };
    this.issues.push(issue);
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
    /** `partOffset`: where the parts resolveIn gets start in node.parts. */
    const lookup = (partOffset: number): Lookup => ({
      warn: (message, failedAt, choices) => {
        if (report) this.report('HBS_UNKNOWN_VARIABLE', 'warning', message, node, this.partFix(node, partOffset + failedAt, choices));
        return undefined;
      },
      plainHead: partOffset === 0 && !node.data && node.depth === 0 && !/^(this|\.)(\/|\.|$)/.test(node.original),
    });

    if (node.data) {
      const [head = '', ...rest] = node.parts;
      if (!Object.hasOwn(DATA_VARIABLES, head)) {
        const known = Object.keys(DATA_VARIABLES);
        return lookup(0).warn(`Unknown data variable "@${head}": known are ${known.map((k) => `@${k}`).join(', ')}.`, 0, closestNames(head, known));
      }
      if (head !== 'root') return { kind: 'scalar', description: DATA_VARIABLES[head] ?? '' };
      return this.resolveIn(rootScope(), rest, '@root', lookup(1));
    }

    const explicitThis = /^(this|\.)(\/|\.|$)/.test(node.original);
    if (node.depth === 0 && !explicitThis && node.parts[0] !== undefined) {
      for (let i = this.scopes.length - 1; i >= 0; i -= 1) {
        const param = this.scopes[i]?.blockParams.get(node.parts[0]);
        if (param !== undefined) {
          return this.resolveIn({ shape: param, label: node.parts[0], blockParams: new Map() }, node.parts.slice(1), node.parts[0], lookup(1));
        }
      }
    }

    const contexts = this.scopes.filter((s) => s.sameContext !== true);
    const scope = node.depth === 0 ? this.scope : contexts[contexts.length - 1 - node.depth];
    if (scope === undefined) return lookup(0).warn(`"${node.original}" goes above the top-level context.`, 0, []);
    return this.resolveIn(scope, node.parts, node.depth > 0 ? '../'.repeat(node.depth) : '', lookup(0));
  }

  private resolveIn(scope: Scope, parts: string[], prefix: string, { warn, plainHead }: Lookup): ContextShape | undefined {
    const result = resolveShapePath(scope.shape, parts);
    if (result.ok) return result.shape;
    const missing = parts[result.failedAt] ?? '';
    const known = fieldNames(result.parent);
    const list = known.length > 0 ? ` (fields: ${known.join(', ')})` : '';
    const close = closestNames(missing, known);
    if (result.failedAt === 0 && scope.shape === RENDER_CONTEXT_SHAPE) {
      // {{titel}} most likely meant a field one level down: {{metadata.title}}.
      const nested = plainHead ? closestNames(missing, nestedFieldPaths(RENDER_CONTEXT_SHAPE).map(([, field]) => field)) : [];
      const nestedPaths = nestedFieldPaths(RENDER_CONTEXT_SHAPE).filter(([, field]) => nested.includes(field)).map(([path]) => path);
      return warn(`Unknown variable "${prefix}${missing}": the template context has ${known.join(', ')}.`, 0, [...close, ...nestedPaths]);
    }
    if (result.failedAt === 0) {
      const atRoot = resolveShapePath(RENDER_CONTEXT_SHAPE, parts).ok;
      const outer = atRoot ? ` Inside a block, reach top-level values with @root.${parts.join('.')} or ../${parts.join('.')}.` : '';
      return warn(`"${missing}" is not a field of ${scope.label}${list}.${outer}`, 0, atRoot && plainHead ? [...close, `@root.${missing}`] : close);
    }
    const parentPath = [prefix.replace(/\/$/, ''), ...parts.slice(0, result.failedAt)].filter((p) => p !== '').join('.');
    return warn(`"${parentPath}" has no field "${missing}"${list}.`, result.failedAt, close);
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

function unknownHelperMessage(name: string, close: readonly string[]): string {
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
  return `Unknown helper "${name}".${hint} Available helpers: ${HELPER_DOCS.map((d) => d.name).join(', ')}.`;
}

interface Lookup {
  /** Reports an unknown name; `failedAt` indexes the parts given to resolveIn, `choices` replace that part. */
  warn(message: string, failedAt: number, choices: string[]): undefined;
  /** The path's first part is looked up by name (no this., ../, @ or block parameter): it may be replaced by another path. */
  plainHead: boolean;
}

/** `[path, field]` for the fields of the top-level objects: ['metadata.title', 'title'], … */
function nestedFieldPaths(shape: ContextShape): [string, string][] {
  if (shape.kind !== 'object') return [];
  return Object.entries(shape.fields).flatMap(([name, child]) => fieldNames(child).map((field): [string, string] => [`${name}.${field}`, field]));
}

/**
 * Where each of `node.parts` is written in the source, as offsets from the
 * path's start; undefined when the source cannot be mapped exactly (paths
 * over several lines, `[literal]` segments, whose brackets `original` drops).
 */
function pathPartSpans(node: hbs.AST.PathExpression): { start: number; text: string }[] | undefined {
  const { original, loc } = node;
  if (loc.start.line !== loc.end.line || loc.end.column - loc.start.column !== original.length) return undefined;
  const segments: { start: number; text: string }[] = [];
  let i = original.startsWith('@') ? 1 : 0;
  for (;;) {
    const separator = original.slice(i).search(/[./]/);
    let end = separator === -1 ? original.length : i + separator;
    if (original.startsWith('..', i)) end = i + 2;
    else if (separator === 0) end = i + 1; // a lone "." (this)
    segments.push({ start: i, text: original.slice(i, end) });
    if (end >= original.length) break;
    i = end + 1;
  }
  let first = 0;
  while (first < segments.length - 1 && ['..', '.', 'this'].includes(segments[first]?.text ?? '')) first += 1;
  const parts = segments.slice(first);
  if (parts.length === 1 && ['..', '.', 'this'].includes(parts[0]?.text ?? '') && node.parts.length === 0) return [];
  return parts.length === node.parts.length && parts.every((part, index) => part.text === node.parts[index]) ? parts : undefined;
}

