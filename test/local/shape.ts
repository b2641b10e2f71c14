/**
 * The shape of a JSON value: its keys, recursively, and the type of every leaf. Two events with the same
 * shape differ only in values, which is what "the local runtime sends the cloud's events" means.
 */
export type Shape = string | Shape[] | { [key: string]: Shape };

export interface ShapeOptions {
  /** Dotted paths of free-form maps (headers, claims): compared as "record of <value type>". */
  readonly records?: readonly string[];
  /** Dotted paths of strings that hold JSON (an SQS body): compared by the shape of what they hold. */
  readonly json?: readonly string[];
}

export function shapeOf(value: unknown, options: ShapeOptions = {}, path = ''): Shape {
  if (options.json?.includes(path) && typeof value === 'string') {
    return { json: shapeOf(JSON.parse(value), options, `${path}>`) };
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = value.map((item) => JSON.stringify(shapeOf(item, options, `${path}[]`)));
    return [...new Set(shapes)].sort().map((shape) => JSON.parse(shape) as Shape);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (options.records?.includes(path)) {
      const types = new Set(entries.map(([, item]) => JSON.stringify(shapeOf(item, options, `${path}.*`))));
      return { '<record>': [...types].sort().map((shape) => JSON.parse(shape) as Shape) };
    }
    return Object.fromEntries(
      entries
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, shapeOf(item, options, path === '' ? key : `${path}.${key}`)]),
    );
  }
  return typeof value;
}

/**
 * A copy of a JSON value without the values at the given dotted paths: what is left must be equal
 * between a local event and the cloud's, value for value. The paths name what only the environment
 * decides (account, region, random ids); the tests check those by format instead.
 */
export function withoutPaths(value: unknown, paths: readonly string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let parent: unknown = copy;
    for (const part of parts) parent = (parent as Record<string, unknown> | undefined)?.[part];
    if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[last];
  }
  return copy;
}

/** The value at a dotted path. */
export function valueAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
  return current;
}
