/**
 * The `fields` parameter (partial responses): `id,name,files(id,capabilities(canAddChildren))`,
 * `files/id`, `*`. Drive returns only the fields asked for (and a default
 * set when none are), and refuses a selection naming a field the resource
 * does not have (400 "Invalid field selection").
 */

export type FieldMask = Map<string, FieldMask | true>;

export class InvalidFieldSelection extends Error {}

export function parseFields(text: string): FieldMask {
  let at = 0;
  const list = (): FieldMask => {
    const mask: FieldMask = new Map();
    for (;;) {
      const name = /^[A-Za-z_$*][A-Za-z0-9_$.*]*/.exec(text.slice(at))?.[0];
      if (!name) throw new InvalidFieldSelection(`Invalid field selection at "${text.slice(at)}"`);
      at += name.length;
      let inner: FieldMask | true = true;
      if (text[at] === '(') {
        at++;
        inner = list();
        if (text[at] !== ')') throw new InvalidFieldSelection('Invalid field selection: missing ")"');
        at++;
      } else if (text[at] === '/') {
        at++;
        const rest = list();
        inner = rest;
        // `a/b,c` — the slash binds only to the next name; a list after it belongs to the outer level.
        if (rest.size > 1) {
          const [first, ...others] = [...rest.entries()];
          inner = new Map([first as [string, FieldMask | true]]);
          mask.set(name, merge(mask.get(name), inner));
          for (const [k, v] of others) mask.set(k, merge(mask.get(k), v));
          return mask;
        }
      }
      mask.set(name, merge(mask.get(name), inner));
      if (text[at] !== ',') return mask;
      at++;
    }
  };
  const mask = list();
  if (at !== text.length) throw new InvalidFieldSelection(`Invalid field selection at "${text.slice(at)}"`);
  return mask;
}

function merge(a: FieldMask | true | undefined, b: FieldMask | true): FieldMask | true {
  if (a === undefined) return b;
  if (a === true || b === true) return true;
  const out: FieldMask = new Map(a);
  for (const [k, v] of b) out.set(k, merge(out.get(k), v));
  return out;
}

/** Checks the names of one level against a resource's fields; `nested` says which fields hold which resource. */
export function checkMask(mask: FieldMask, known: ReadonlySet<string>, nested: Record<string, { known: ReadonlySet<string>; nested?: Record<string, unknown> }> = {}): void {
  for (const [name, inner] of mask) {
    if (name === '*') continue;
    if (!known.has(name)) throw new InvalidFieldSelection(`Invalid field selection ${name}`);
    const child = nested[name];
    if (inner !== true && child) checkMask(inner, child.known, (child.nested ?? {}) as Record<string, { known: ReadonlySet<string> }>);
  }
}

/** The object cut down to the mask (arrays element-wise). */
export function applyMask(value: unknown, mask: FieldMask | true): unknown {
  if (mask === true) return value;
  if (Array.isArray(value)) return value.map((item) => applyMask(item, mask));
  if (value === null || typeof value !== 'object') return value;
  if (mask.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of mask) {
    const field = (value as Record<string, unknown>)[name];
    if (field !== undefined) out[name] = applyMask(field, inner);
  }
  return out;
}
