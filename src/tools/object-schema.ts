/**
 * What validation needs to know about a tool's object schema, read from zod 4's internals (`_zod.def`) rather than
 * with `instanceof`: a project's tools may bring their own copy of zod, whose classes are not ours.
 */
interface ZodInternals {
  _zod?: { def?: { type?: string; shape?: object; catchall?: ZodInternals } };
}

/** An object schema's own keys, and whether it refuses others. */
export interface ObjectShape {
  keys: string[];
  /** false when the schema accepts extra keys on purpose (`.loose()`, `.passthrough()`, `.catchall()`). */
  closed: boolean;
}

/** The shape of an object schema (of any copy of zod 4), or null for any other schema. */
export function objectShape(schema: unknown): ObjectShape | null {
  const def = (schema as ZodInternals | null)?._zod?.def;
  if (def?.type !== 'object' || def.shape === undefined) return null;
  // Plain z.object has no catchall (zod strips extras, which we refuse instead); strict ones catch with `never`.
  const catchall = def.catchall?._zod?.def?.type;
  return { keys: Object.keys(def.shape), closed: catchall === undefined || catchall === 'never' };
}
