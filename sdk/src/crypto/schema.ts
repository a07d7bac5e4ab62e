import { DocumentValidationError } from "../errors/document.ts";

/**
 * A small structural validator: returns the value typed, or throws {@link DocumentValidationError} naming the path.
 * Hand-rolled on purpose: documents are few and small, and their rules (lengths, the listening rule) are specific.
 */
export type Validator<T> = (value: unknown, path: string, kind: string) => T;

function fail(kind: string, path: string, reason: string): never {
  throw new DocumentValidationError({ kind, path, reason });
}

export const v = {
  literal<const T extends string | number>(expected: T): Validator<T> {
    return (value, path, kind) =>
      value === expected ? expected : fail(kind, path, `expected ${JSON.stringify(expected)}`);
  },
  boolean(): Validator<boolean> {
    return (value, path, kind) => (typeof value === "boolean" ? value : fail(kind, path, "expected true or false"));
  },
  string({ min = 0, max }: { min?: number; max: number }): Validator<string> {
    return (value, path, kind) => {
      if (typeof value !== "string") return fail(kind, path, "expected a string");
      const length = [...value].length;
      if (length < min) return fail(kind, path, min === 1 ? "must not be empty" : `needs at least ${min} characters`);
      if (length > max) return fail(kind, path, `is longer than ${max} characters`);
      return value;
    };
  },
  integer({ min, max }: { min: number; max: number }): Validator<number> {
    return (value, path, kind) =>
      typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
        ? value
        : fail(kind, path, `expected an integer from ${min} to ${max}`);
  },
  hex(bytes: number): Validator<`0x${string}`> {
    const pattern = new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`);
    return (value, path, kind) =>
      typeof value === "string" && pattern.test(value)
        ? (value as `0x${string}`)
        : fail(kind, path, `expected ${bytes} bytes of 0x-hex`);
  },
  /** A string that matches `pattern` whole; `expected` names it in the error ("an audio/… or video/… type"). */
  matching(pattern: RegExp, expected: string, { max }: { max: number }): Validator<string> {
    return (value, path, kind) =>
      typeof value === "string" && value.length <= max && pattern.test(value)
        ? value
        : fail(kind, path, `expected ${expected}`);
  },
  nullable<T>(inner: Validator<T>): Validator<T | null> {
    return (value, path, kind) => (value === null ? null : inner(value, path, kind));
  },
  optional<T>(inner: Validator<T>): Validator<T | undefined> {
    return (value, path, kind) => (value === undefined ? undefined : inner(value, path, kind));
  },
  array<T>(item: Validator<T>, { min, max }: { min: number; max: number }): Validator<T[]> {
    return (value, path, kind) => {
      if (!Array.isArray(value)) return fail(kind, path, "expected an array");
      if (value.length < min || value.length > max) return fail(kind, path, `expected ${min} to ${max} items`);
      return value.map((entry, i) => item(entry, `${path}[${i}]`, kind));
    };
  },
  /** An object with exactly these keys (unknown keys are rejected, so nothing unvalidated is ever encrypted). */
  object<S extends Record<string, Validator<unknown>>>(shape: S): Validator<{ [K in keyof S]: ReturnType<S[K]> }> {
    return (value, path, kind) => {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return fail(kind, path, "expected an object");
      for (const key of Object.keys(value)) {
        if (!(key in shape)) fail(kind, path ? `${path}.${key}` : key, "is not a known field");
      }
      const out: Record<string, unknown> = {};
      for (const [key, validate] of Object.entries(shape)) {
        const result = validate((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, kind);
        if (result !== undefined) out[key] = result;
      }
      return out as { [K in keyof S]: ReturnType<S[K]> };
    };
  },
};
