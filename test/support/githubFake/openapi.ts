import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's published REST description (@octokit/openapi) as a request
 * checker: a method and path find their operation; path and query
 * parameters and the JSON body are checked against the operation's
 * schemas. The description (13 MB) is read once per process and flavour;
 * validators are compiled on first use.
 */

export type Flavor = 'dotcom' | 'ghes';

const GENERATED = resolve(__dirname, '..', '..', '..', 'node_modules', '@octokit', 'openapi', 'generated');
const FILES: Record<Flavor, string> = { dotcom: 'api.github.com.json', ghes: 'ghes-3.19.json' };
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  multiSegment: boolean;
}

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments count: a literal match wins over a parameter (`/git/refs` before `/{path}`). */
  literals: number;
  pathParamNames: string[];
  parameters: Parameter[];
  body?: { required: boolean; schema: JsonObject };
}

export interface CheckedRequest {
  operationId?: string;
  pathParams: Record<string, string>;
  violations: string[];
}

interface Description {
  doc: JsonObject;
  byMethod: Map<string, Operation[]>;
  validators: Map<string, ValidateFunction>;
  ajv: Ajv;
}

const loaded = new Map<Flavor, Description>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Follows `#/components/...` references of the document. */
function resolveRef(doc: JsonObject, value: Json): Json {
  let current = value;
  for (let depth = 0; depth < 20 && current && typeof current === 'object' && !Array.isArray(current) && typeof current['$ref'] === 'string'; depth++) {
    const ref = current['$ref'];
    current = ref
      .slice(2)
      .split('/')
      .reduce<Json>((node, key) => (node && typeof node === 'object' && !Array.isArray(node) ? (node[key.replace(/~1/g, '/').replace(/~0/g, '~')] ?? null) : null), doc);
  }
  return current;
}

/** A copy of `schema` with every reference inlined (request bodies have no cycles; a guard stops one anyway). */
function inlineRefs(doc: JsonObject, schema: Json, seen: string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(doc, s, seen));
  if (!schema || typeof schema !== 'object') return schema;
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    if (seen.includes(ref) || seen.length > 30) return {};
    return inlineRefs(doc, resolveRef(doc, schema), [...seen, ref]);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    // `example(s)` hold arbitrary data, not schemas.
    out[key] = key === 'example' || key === 'examples' ? value : inlineRefs(doc, value, seen);
  }
  return out;
}

function indexOperations(doc: JsonObject): Map<string, Operation[]> {
  const byMethod = new Map<string, Operation[]>();
  const paths = doc['paths'] as Record<string, JsonObject>;
  for (const [template, item] of Object.entries(paths)) {
    const shared = ((item['parameters'] as Json[] | undefined) ?? []).map((p) => resolveRef(doc, p) as JsonObject);
    for (const method of METHODS) {
      const raw = item[method] as JsonObject | undefined;
      if (!raw) continue;
      const own = ((raw['parameters'] as Json[] | undefined) ?? []).map((p) => resolveRef(doc, p) as JsonObject);
      const parameters: Parameter[] = [...shared, ...own].map((p) => ({
        name: String(p['name']),
        in: p['in'] as Parameter['in'],
        required: p['required'] === true,
        ...(p['schema'] ? { schema: inlineRefs(doc, p['schema']) as JsonObject } : {}),
        multiSegment: p['x-multi-segment'] === true,
      }));
      const pathParamNames: string[] = [];
      let literals = 0;
      const source = template
        .split('/')
        .map((segment) => {
          const param = /^\{([^}]+)\}$/.exec(segment);
          if (!param) {
            if (segment !== '') literals += 1;
            return escapeRegExp(segment);
          }
          const name = param[1] as string;
          pathParamNames.push(name);
          const multi = parameters.find((p) => p.in === 'path' && p.name === name)?.multiSegment === true;
          // A multi-segment parameter (a file path, a ref) may hold slashes, and may be empty (the root folder).
          return multi ? '(.*)' : '([^/]+)';
        })
        .join('/');
      const requestBody = raw['requestBody'] ? (resolveRef(doc, raw['requestBody']) as JsonObject) : undefined;
      const jsonBody = (requestBody?.['content'] as JsonObject | undefined)?.['application/json'] as JsonObject | undefined;
      const operation: Operation = {
        operationId: String(raw['operationId']),
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        literals,
        pathParamNames,
        parameters,
        ...(jsonBody?.['schema'] ? { body: { required: requestBody?.['required'] === true, schema: jsonBody['schema'] as JsonObject } } : {}),
      };
      const list = byMethod.get(operation.method) ?? [];
      list.push(operation);
      byMethod.set(operation.method, list);
    }
  }
  for (const list of byMethod.values()) list.sort((a, b) => b.literals - a.literals || a.pathParamNames.length - b.pathParamNames.length);
  return byMethod;
}

function description(flavor: Flavor): Description {
  const cached = loaded.get(flavor);
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(join(GENERATED, FILES[flavor]), 'utf8')) as JsonObject;
  // OpenAPI 3.0 schemas: `nullable`, `example` and `x-*` keywords; unknown formats (e.g. `repo.nwo`) are accepted.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const made: Description = { doc, byMethod: indexOperations(doc), validators: new Map(), ajv };
  loaded.set(flavor, made);
  return made;
}

function collectFormats(schema: Json, into: Set<string>): void {
  if (Array.isArray(schema)) for (const s of schema) collectFormats(s, into);
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'format' && typeof value === 'string') into.add(value);
      else if (key !== 'example' && key !== 'examples') collectFormats(value, into);
    }
  }
}

function validatorFor(d: Description, key: string, schema: JsonObject): ValidateFunction {
  const cached = d.validators.get(key);
  if (cached) return cached;
  const formats = new Set<string>();
  collectFormats(schema, formats);
  for (const format of formats) if (!d.ajv.formats[format]) d.ajv.addFormat(format, true);
  const compiled = d.ajv.compile(schema);
  d.validators.set(key, compiled);
  return compiled;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`).join('; ');
}

/** Query and path values arrive as strings: coerce them to what their schema says before validating. */
function coerce(value: string, schema: JsonObject | undefined): Json {
  const type = schema?.['type'];
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

export interface RequestToCheck {
  method: string;
  /** The path below the API root (`/repos/o/r/...`), still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** The raw body text, if any. */
  body: string;
  contentType: string | undefined;
}

/** Finds the request's operation and lists every way it breaks the description. */
export function checkRequest(flavor: Flavor, request: RequestToCheck): CheckedRequest {
  const d = description(flavor);
  const candidates = d.byMethod.get(request.method.toUpperCase()) ?? [];
  let operation: Operation | undefined;
  let match: RegExpExecArray | null = null;
  for (const candidate of candidates) {
    match = candidate.pattern.exec(request.path);
    if (match) {
      operation = candidate;
      break;
    }
  }
  if (!operation || !match) return { pathParams: {}, violations: [`${request.method} ${request.path}: no such operation in GitHub's REST description`] };
  const where = `${operation.operationId} (${request.method} ${operation.template})`;
  const violations: string[] = [];
  const pathParams: Record<string, string> = {};
  operation.pathParamNames.forEach((name, index) => {
    let value: string;
    try {
      value = decodeURIComponent(match?.[index + 1] ?? '');
    } catch {
      violations.push(`${where}: path parameter ${name} is not valid percent-encoding`);
      value = '';
    }
    pathParams[name] = value;
    const param = operation.parameters.find((p) => p.in === 'path' && p.name === name);
    if (param?.schema) {
      const validate = validatorFor(d, `${operation.operationId}#path.${name}`, param.schema);
      if (!validate(coerce(value, param.schema))) violations.push(`${where}: path parameter ${name}=${JSON.stringify(value)}: ${describeErrors(validate)}`);
    }
  });
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  for (const key of new Set(request.query.keys())) {
    const param = queryParams.find((p) => p.name === key);
    if (!param) {
      violations.push(`${where}: unknown query parameter ${key}`);
      continue;
    }
    const value = request.query.get(key) ?? '';
    if (param.schema) {
      const validate = validatorFor(d, `${operation.operationId}#query.${key}`, param.schema);
      if (!validate(coerce(value, param.schema))) violations.push(`${where}: query parameter ${key}=${JSON.stringify(value)}: ${describeErrors(validate)}`);
    }
  }
  for (const param of queryParams) {
    if (param.required && !request.query.has(param.name)) violations.push(`${where}: missing required query parameter ${param.name}`);
  }
  checkBody(d, operation, where, request, violations);
  return { operationId: operation.operationId, pathParams, violations };
}

function checkBody(d: Description, operation: Operation, where: string, request: RequestToCheck, violations: string[]): void {
  const hasBody = request.body.length > 0;
  if (!operation.body) {
    if (hasBody && request.body.trim() !== '{}') violations.push(`${where}: takes no request body, got ${request.body.length} bytes`);
    return;
  }
  if (!hasBody) {
    if (operation.body.required) violations.push(`${where}: the request body is required`);
    return;
  }
  if (!request.contentType?.includes('application/json')) violations.push(`${where}: body sent as ${request.contentType ?? 'no content type'}, not application/json`);
  let body: Json;
  try {
    body = JSON.parse(request.body) as Json;
  } catch {
    violations.push(`${where}: the body is not JSON`);
    return;
  }
  const schema = inlineRefs(d.doc, operation.body.schema) as JsonObject;
  const validate = validatorFor(d, `${operation.operationId}#body`, schema);
  if (!validate(body)) violations.push(`${where}: body: ${describeErrors(validate)}`);
  // Stricter than GitHub (which ignores them): an unknown top-level field is a typo in our client.
  const properties = schema['properties'];
  if (body && typeof body === 'object' && !Array.isArray(body) && properties && typeof properties === 'object' && schema['additionalProperties'] === undefined) {
    for (const key of Object.keys(body)) if (!(key in properties)) violations.push(`${where}: body field ${key} is not in the description`);
  }
}

/** Loads and indexes the description ahead of the first request (it takes a moment). */
export function preloadDescription(flavor: Flavor): void {
  description(flavor);
}
