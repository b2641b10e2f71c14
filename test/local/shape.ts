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
