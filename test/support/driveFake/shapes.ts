import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Drive v3 API as @googleapis/drive describes it (its code and types are
 * generated from Google's discovery document): every method's HTTP method,
 * path, upload path, required and path parameters, the parameters it takes
 * and their types, and the fields of the File / Revision / FileList
 * resources with the ones Drive fills itself ("Output only."). The fake
 * checks each request against this, so a request the real API would refuse
 * is refused here too.
 */

export interface MethodShape {
  /** e.g. `files.list`. */
  id: string;
  httpMethod: string;
  /** e.g. `/drive/v3/files/{fileId}`. */
  path: string;
  /** The upload path for methods that take media, e.g. `/upload/drive/v3/files/{fileId}`. */
  mediaPath?: string;
  requiredParams: string[];
  pathParams: string[];
  /** Query parameters the method takes (its own and the standard ones), with their TypeScript type. */
  params: Map<string, string>;
}

export interface ResourceShape {
  fields: Map<string, { type: string; outputOnly: boolean }>;
}

const BUILD = join(dirname(require.resolve('@googleapis/drive/package.json')), 'build');

interface Member {
  name: string;
  type: string;
  doc: string;
}

/** Members of `interface <name>` in the generated v3.d.ts (4-space interfaces, 8-space members). */
function interfaceMembers(dts: string, name: string): Member[] {
  const start = dts.search(new RegExp(`^    (?:export )?interface ${name.replace(/\$/g, '\\$')}\\b[^\\n]*\\{$`, 'm'));
  if (start < 0) throw new Error(`v3.d.ts has no interface ${name}`);
  const lines = dts.slice(start).split('\n').slice(1);
  const members: Member[] = [];
  let doc: string[] = [];
  for (const line of lines) {
    if (/^    \}/.test(line)) break;
    const comment = /^ {9}\* ?(.*)$/.exec(line);
    if (/^ {8}\/\*\*/.test(line)) doc = [];
    else if (comment) doc.push(comment[1] ?? '');
    const member = /^ {8}('?[\w$.]+'?)\??: (.+?);?$/.exec(line);
    if (member) {
      members.push({ name: (member[1] ?? '').replace(/'/g, ''), type: member[2] ?? '', doc: doc.join(' ') });
      doc = [];
    }
  }
  return members;
}

function methodsOf(js: string, resource: string): Omit<MethodShape, 'params'>[] {
  const start = js.indexOf(`class Resource$${resource} {`);
  if (start < 0) throw new Error(`v3.js has no Resource$${resource}`);
  const end = js.indexOf('\n    class ', start + 10);
  const body = js.slice(start, end < 0 ? undefined : end);
  const methods: Omit<MethodShape, 'params'>[] = [];
  const pattern = /\n {8}(\w+)\(paramsOrCallback, optionsOrCallback, callback\) \{([\s\S]*?)\n {8}\}/g;
  for (const match of body.matchAll(pattern)) {
    const [, name = '', code = ''] = match;
    const url = /url: \(rootUrl \+ '([^']+)'\)/.exec(code)?.[1];
    const httpMethod = /method: '(\w+)'/.exec(code)?.[1];
    const media = /mediaUrl: \(rootUrl \+ '([^']+)'\)/.exec(code)?.[1];
    const list = (key: string) => [...(new RegExp(`${key}: \\[([^\\]]*)\\]`).exec(code)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
    if (!url || !httpMethod) throw new Error(`Resource$${resource}.${name}: no url/method`);
    methods.push({
      id: `${resource.toLowerCase()}.${name}`,
      httpMethod,
      path: url,
      ...(media ? { mediaPath: media } : {}),
      requiredParams: list('requiredParams'),
      pathParams: list('pathParams'),
    });
  }
  return methods;
}

function load() {
  const js = readFileSync(join(BUILD, 'v3.js'), 'utf8');
  const dts = readFileSync(join(BUILD, 'v3.d.ts'), 'utf8');
  const standard = interfaceMembers(dts, 'StandardParameters').filter((m) => m.name !== 'auth');
  const methods = new Map<string, MethodShape>();
  for (const resource of ['Files', 'Revisions']) {
    for (const method of methodsOf(js, resource)) {
      const suffix = method.id.split('.')[1] ?? '';
      const paramsName = `Params$Resource$${resource}$${suffix[0]?.toUpperCase()}${suffix.slice(1).toLowerCase()}`;
      const own = interfaceMembers(dts, paramsName).filter((m) => m.name !== 'requestBody' && m.name !== 'media');
      methods.set(method.id, { ...method, params: new Map([...standard, ...own].map((m) => [m.name, m.type])) });
    }
  }
  const resource = (name: string): ResourceShape => ({
    fields: new Map(interfaceMembers(dts, name).map((m) => [m.name, { type: m.type, outputOnly: /^Output only\./.test(m.doc.trim()) }])),
  });
  return { methods, file: resource('Schema$File'), revision: resource('Schema$Revision'), fileList: resource('Schema$FileList'), revisionList: resource('Schema$RevisionList') };
}

export const DRIVE_V3 = load();
