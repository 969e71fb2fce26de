import {
  type ContextShape,
  DATA_VARIABLES,
  RENDER_CONTEXT_SHAPE,
  itemShape,
  resolveShapePath,
} from '../templates/context';

/**
 * What `this` is at a point of a template body: the blocks opened before the
 * cursor and not yet closed ({{#each messages}} makes `this` a message).
 * A light scan of the tags, so it works while the file does not parse; the
 * analyzer (templates/analyzer.ts) does the exact job for diagnostics.
 */

export interface Scope {
  shape: ContextShape;
  /** `as |name index|` parameters of the block. */
  blockParams: ReadonlyMap<string, ContextShape>;
  /** #if/#unless and {{else}} branches keep the outer context: `../` does not count them. */
  sameContext: boolean;
  /** Inside {{#each}}: @index, @key, @first and @last exist. */
  iterating: boolean;
  /** Name of the block that opened this scope ('' for the root). */
  blockName: string;
}

interface OpenBlock {
  name: string;
  /** First argument, as written (a path or a literal). */
  argument: string | undefined;
  blockParams: string[];
  /** After {{else}} / {{^}}: the inverse branch, rendered in the outer context. */
  inverse: boolean;
}

export const ROOT_SCOPE: Scope = {
  shape: RENDER_CONTEXT_SHAPE,
  blockParams: new Map(),
  sameContext: false,
  iterating: false,
  blockName: '',
};

const TAG = /\{\{!--[\s\S]*?--~?\}\}|\{\{~?![\s\S]*?\}\}|\{\{\{?([^{}]*)\}?\}\}/g;

/** The scopes in effect at `offset` of `text`, outermost (the root) first; tags are read from `bodyOffset`. */
export function scopesAt(text: string, bodyOffset: number, offset: number): Scope[] {
  return scopesFor(openBlocksAt(text, bodyOffset, offset));
}

/** Names of the blocks still open at `offset`, innermost first (for {{/…}} completion). */
export function openBlockNamesAt(text: string, bodyOffset: number, offset: number): string[] {
  return openBlocksAt(text, bodyOffset, offset)
    .map((block) => block.name)
    .reverse();
}

function openBlocksAt(text: string, bodyOffset: number, offset: number): OpenBlock[] {
  const stack: OpenBlock[] = [];
  const body = text.slice(bodyOffset, offset);
  const tags = new RegExp(TAG.source, 'g');
  for (let match = tags.exec(body); match !== null; match = tags.exec(body)) {
    const inner = match[1];
    if (inner !== undefined) readTag(inner.replace(/^~/, '').replace(/~$/, '').trim(), stack);
  }
  return stack;
}

function readTag(tag: string, stack: OpenBlock[]): void {
  const top = stack.at(-1);
  if (tag === '^' || /^else(\s|$)/.test(tag)) {
    if (top !== undefined) top.inverse = true;
    return;
  }
  const sigil = tag[0];
  if (sigil === '/') {
    const name = tag.slice(1).trim();
    const index = stack.map((block) => block.name).lastIndexOf(name);
    if (index >= 0) stack.length = index;
    return;
  }
  if ((sigil !== '#' && sigil !== '^') || tag[1] === '>' || tag[1] === '*') return;
  const words = tag.slice(1).trim();
  const name = /^[^\s()]+/.exec(words)?.[0];
  if (name === undefined) return;
  const rest = words.slice(name.length).trim();
  const blockParams = /\bas\s*\|([^|]*)\|/.exec(rest)?.[1]?.trim().split(/\s+/).filter((p) => p !== '') ?? [];
  const argument = /^[^\s()]+/.exec(rest)?.[0];
  // {{^name}} is an inverted section: rendered in the same context.
  stack.push({ name: sigil === '^' ? '' : name, argument: sigil === '^' ? undefined : argument, blockParams, inverse: sigil === '^' });
}

function scopesFor(blocks: readonly OpenBlock[]): Scope[] {
  const scopes: Scope[] = [ROOT_SCOPE];
  for (const block of blocks) {
    const outer = scopes.at(-1) ?? ROOT_SCOPE;
    const same: Scope = { ...outer, blockParams: new Map(), sameContext: true, blockName: block.name };
    if (block.inverse || block.name === 'if' || block.name === 'unless') {
      scopes.push(same);
      continue;
    }
    const argumentShape = block.argument === undefined ? undefined : resolvePath(block.argument, scopes);
    let shape: ContextShape;
    let params: ContextShape[];
    if (block.name === 'each') {
      shape = argumentShape === undefined ? anyShape('An item.') : itemShape(argumentShape);
      params = [shape, { kind: 'scalar', description: DATA_VARIABLES['index'] ?? 'Index or key.' }];
    } else if (block.name === 'with') {
      shape = argumentShape ?? anyShape('The value.');
      params = [shape];
    } else if (block.argument === undefined) {
      // A section over a context value: {{#messages}}…{{/messages}} iterates arrays.
      const section = resolvePath(block.name, scopes) ?? anyShape('A value.');
      shape = section.kind === 'array' ? section.item : section;
      params = [shape];
    } else {
      shape = anyShape('The block context.');
      params = [];
    }
    const blockParams = new Map(block.blockParams.map((name, i): [string, ContextShape] => [name, params[i] ?? anyShape('A block parameter.')]));
    scopes.push({ shape, blockParams, sameContext: false, iterating: block.name === 'each', blockName: block.name });
  }
  return scopes;
}

/**
 * The shape a path expression has in `scopes` (innermost last): `@root.x`,
 * `@index`, `../x`, `this.x`, block parameters, `a.b.[0]`. Undefined when
 * the context has no such value.
 */
export function resolvePath(expression: string, scopes: readonly Scope[]): ContextShape | undefined {
  if (expression.startsWith('@')) {
    const [head = '', ...rest] = splitPath(expression.slice(1));
    if (head === 'root') return resolveIn(RENDER_CONTEXT_SHAPE, rest);
    const doc = DATA_VARIABLES[head];
    return doc === undefined || rest.length > 0 ? undefined : { kind: 'scalar', description: doc };
  }
  let rest = expression;
  let depth = 0;
  while (rest.startsWith('../')) {
    depth += 1;
    rest = rest.slice(3);
  }
  const explicitThis = /^(this|\.)(\/|\.|$)/.test(rest);
  rest = rest.replace(/^(this|\.)(\/|\.|$)/, '');
  const parts = splitPath(rest);

  const first = parts[0];
  if (depth === 0 && !explicitThis && first !== undefined) {
    for (let i = scopes.length - 1; i >= 0; i -= 1) {
      const param = scopes[i]?.blockParams.get(first);
      if (param !== undefined) return resolveIn(param, parts.slice(1));
    }
  }
  const contexts = scopes.filter((scope) => !scope.sameContext);
  const target = depth === 0 ? scopes.at(-1) : contexts[contexts.length - 1 - depth];
  return target === undefined ? undefined : resolveIn(target.shape, parts);
}

/** `a.b/[c d].0` → ['a', 'b', 'c d', '0']. */
export function splitPath(path: string): string[] {
  return path
    .split(/[./]/)
    .filter((part) => part !== '')
    .map((part) => part.replace(/^\[(.*)\]$/, '$1'));
}

function resolveIn(shape: ContextShape, parts: readonly string[]): ContextShape | undefined {
  const result = resolveShapePath(shape, parts);
  return result.ok ? result.shape : undefined;
}

function anyShape(description: string): ContextShape {
  return { kind: 'any', description };
}
