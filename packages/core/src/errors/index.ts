/**
 * Errors shared by every `@msys` package: one class, {@link SystemError}, with a stable `code` that callers
 * branch on, a `category`, JSON-safe `details`, and a round trip through JSON.
 *
 * @module
 */

/** The broad kind of failure; lets callers decide retry/alert policy without knowing every code. */
export type ErrorCategory =
  | 'network'
  | 'serialization'
  | 'config'
  | 'crypto'
  | 'resource'
  | 'state'
  | 'validation'
  | 'permission'
  | 'timeout'
  | 'io'
  | 'unsupported';

/** Every category, in a stable order (for validation and documentation). */
export const ERROR_CATEGORIES: readonly ErrorCategory[] = Object.freeze([
  'network',
  'serialization',
  'config',
  'crypto',
  'resource',
  'state',
  'validation',
  'permission',
  'timeout',
  'io',
  'unsupported',
]);

/** A JSON value: what `details` may hold so that errors cross process boundaries unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The JSON form of a {@link SystemError}, as produced by {@link SystemError.toJSON}. */
export interface SystemErrorJSON {
  /** Always `"SystemError"`, or the subclass name; marks the object as a serialized error. */
  readonly name: string;
  /** The stable code, `MSYS_<AREA>_<WHAT>`. */
  readonly code: string;
  /** The category. */
  readonly category: ErrorCategory;
  /** The human-readable message. */
  readonly message: string;
  /** JSON-safe details. */
  readonly details: { readonly [key: string]: JsonValue };
  /** The stack trace of the original error, when it had one. */
  readonly stack?: string;
  /** The serialized cause: another SystemError, or `{ name, message, stack }` for any other error. */
  readonly cause?:
    | SystemErrorJSON
    | { readonly name: string; readonly message: string; readonly stack?: string };
}

/** Options of the {@link SystemError} constructor. */
export interface SystemErrorOptions<D extends Record<string, unknown> = Record<string, unknown>> {
  /** The stable code, `MSYS_<AREA>_<WHAT>` (upper case letters, digits and underscores). */
  readonly code: string;
  /** The category. */
  readonly category: ErrorCategory;
  /** Extra facts about the failure; converted to JSON-safe values. */
  readonly details?: D;
  /** The underlying error. */
  readonly cause?: unknown;
}

const BRAND = Symbol.for('@msys/core.SystemError');
const CODE_PATTERN = /^MSYS_[A-Z0-9]+(?:_[A-Z0-9]+)+$/;

/**
 * Converts any value to a JSON-safe value: bigint → decimal string, Uint8Array → hex, Date → ISO string,
 * Error → `{ name, message }`, functions and symbols → their description, cycles → `"[Circular]"`.
 */
function toJsonSafe(value: unknown, seen: WeakSet<object>): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined') return null;
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value !== 'object') return String(value);
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, seen));
    if (value instanceof Map) return toJsonSafe(Object.fromEntries(value), seen);
    if (value instanceof Set) return toJsonSafe([...value], seen);
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toJsonSafe(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The one error class of `@msys`. Callers branch on {@link SystemError.code}, never on the message.
 *
 * @example
 * ```ts
 * try {
 *   governor.reserve(1e12);
 * } catch (e) {
 *   if (isSystemError(e) && e.code === 'MSYS_RESOURCE_RAM_LIMIT') shed();
 *   else throw e;
 * }
 * ```
 */
export class SystemError<D extends Record<string, unknown> = Record<string, unknown>> extends Error {
  /** The stable code, `MSYS_<AREA>_<WHAT>`. */
  readonly code: string;
  /** The category. */
  readonly category: ErrorCategory;
  /** JSON-safe details about the failure. */
  readonly details: Readonly<D>;

  /**
   * @param message - what went wrong and, where possible, how to fix it
   * @param options - code, category, details and cause
   * @throws TypeError when the code does not look like `MSYS_<AREA>_<WHAT>` or the category is unknown
   */
  constructor(message: string, options: SystemErrorOptions<D>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (typeof options?.code !== 'string' || !CODE_PATTERN.test(options.code)) {
      throw new TypeError(
        `SystemError: code must look like MSYS_<AREA>_<WHAT>, received ${String(options?.code)}`,
      );
    }
    if (!ERROR_CATEGORIES.includes(options.category)) {
      throw new TypeError(
        `SystemError: category must be one of ${ERROR_CATEGORIES.join(', ')}, received ${String(options.category)}`,
      );
    }
    this.name = new.target.name;
    this.code = options.code;
    this.category = options.category;
    this.details = Object.freeze(toJsonSafe(options.details ?? {}, new WeakSet()) as unknown as D);
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * Serializes the error, its stack and its cause chain into a JSON-safe object.
   *
   * @returns the JSON form, readable by {@link SystemError.fromJSON}
   */
  toJSON(): SystemErrorJSON {
    const cause = this.cause;
    let causeJson: SystemErrorJSON['cause'];
    if (isSystemError(cause)) causeJson = cause.toJSON();
    else if (cause instanceof Error) {
      causeJson = {
        name: cause.name,
        message: cause.message,
        ...(cause.stack ? { stack: cause.stack } : {}),
      };
    } else if (cause !== undefined) causeJson = { name: 'Error', message: String(cause) };
    return {
      name: this.name,
      code: this.code,
      category: this.category,
      message: this.message,
      details: this.details as SystemErrorJSON['details'],
      ...(this.stack === undefined ? {} : { stack: this.stack }),
      ...(causeJson === undefined ? {} : { cause: causeJson }),
    };
  }

  /**
   * Rebuilds an error from {@link SystemError.toJSON}'s output (e.g. received from another process).
   * The stack and the cause chain are kept; a non-SystemError cause comes back as a plain `Error`.
   *
   * @param json - the serialized error (an object or a JSON string)
   * @returns the rebuilt error
   * @throws SystemError `MSYS_CORE_INVALID_ERROR_JSON` when the input is not a serialized SystemError
   */
  static fromJSON(json: SystemErrorJSON | string): SystemError {
    let obj: unknown = json;
    if (typeof json === 'string') {
      try {
        obj = JSON.parse(json);
      } catch (cause) {
        throw new SystemError('SystemError.fromJSON: the input is not valid JSON', {
          code: 'MSYS_CORE_INVALID_ERROR_JSON',
          category: 'serialization',
          cause,
        });
      }
    }
    const o = obj as Partial<SystemErrorJSON> | null;
    if (
      !o ||
      typeof o !== 'object' ||
      typeof o.code !== 'string' ||
      typeof o.message !== 'string' ||
      !ERROR_CATEGORIES.includes(o.category as ErrorCategory) ||
      !CODE_PATTERN.test(o.code)
    ) {
      throw new SystemError('SystemError.fromJSON: expected an object with code, category and message', {
        code: 'MSYS_CORE_INVALID_ERROR_JSON',
        category: 'serialization',
      });
    }
    let cause: unknown;
    if (o.cause && typeof o.cause === 'object') {
      if ('code' in o.cause) cause = SystemError.fromJSON(o.cause as SystemErrorJSON);
      else {
        const c = new Error(String(o.cause.message));
        c.name = String(o.cause.name ?? 'Error');
        if (o.cause.stack !== undefined) c.stack = o.cause.stack;
        cause = c;
      }
    }
    const err = new SystemError(o.message, {
      code: o.code,
      category: o.category as ErrorCategory,
      details: (o.details ?? {}) as Record<string, unknown>,
      ...(cause === undefined ? {} : { cause }),
    });
    if (typeof o.name === 'string') err.name = o.name;
    if (typeof o.stack === 'string') err.stack = o.stack;
    return err;
  }
}

/**
 * True for any {@link SystemError}, including one created by a second copy of `@msys/core` (an ESM and
 * a CJS copy in one process): the check is a `Symbol.for` brand, not `instanceof`.
 *
 * @param value - anything
 * @returns whether `value` is a SystemError
 */
export function isSystemError(value: unknown): value is SystemError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** The declaration of one error code: its category and a message template over its details. */
export interface ErrorCodeSpec<D extends Record<string, unknown>> {
  /** The category of every error with this code. */
  readonly category: ErrorCategory;
  /** Builds the message from the details. */
  readonly message: (details: D) => string;
}

/** A factory for errors of one declared code; see {@link defineErrors}. */
export interface ErrorFactory<D extends Record<string, unknown>> {
  /** Creates the error (it does not throw it). */
  (details: D, options?: { readonly cause?: unknown }): SystemError<D>;
  /** The code this factory creates. */
  readonly code: string;
  /** The category of the errors it creates. */
  readonly category: ErrorCategory;
  /**
   * Narrows `value` to an error of this code.
   *
   * @param value - anything
   */
  is(value: unknown): value is SystemError<D>;
}

/**
 * Declares a package's error codes once, with typed details, and returns one factory per code.
 *
 * @param specs - code → category and message template
 * @returns code → factory; each factory builds a SystemError with that code
 * @example
 * ```ts
 * const errors = defineErrors({
 *   MSYS_LEDGER_UNKNOWN_PEER: {
 *     category: 'validation',
 *     message: (d: { peer: string }) => `unknown peer ${d.peer}`,
 *   },
 * });
 * throw errors.MSYS_LEDGER_UNKNOWN_PEER({ peer: 'p9' });
 * ```
 */
export function defineErrors<S extends Record<string, ErrorCodeSpec<never>>>(
  specs: S,
): { readonly [K in keyof S & string]: ErrorFactory<Parameters<S[K]['message']>[0]> } {
  const out: Record<string, ErrorFactory<Record<string, unknown>>> = {};
  for (const [code, spec] of Object.entries(specs)) {
    if (!CODE_PATTERN.test(code))
      throw new TypeError(`defineErrors: ${code} does not look like MSYS_<AREA>_<WHAT>`);
    const make = spec.message as unknown as (d: Record<string, unknown>) => string;
    const factory = ((details: Record<string, unknown>, options?: { cause?: unknown }) =>
      new SystemError(make(details), {
        code,
        category: spec.category,
        details,
        ...(options?.cause === undefined ? {} : { cause: options.cause }),
      })) as ErrorFactory<Record<string, unknown>>;
    Object.defineProperties(factory, {
      code: { value: code },
      category: { value: spec.category },
      is: { value: (v: unknown) => isSystemError(v) && v.code === code },
    });
    out[code] = factory;
  }
  return Object.freeze(out) as never;
}

/**
 * Describes a received value for an error message: its type and a short rendering.
 *
 * @param value - anything
 * @returns e.g. `number 42`, `string "abc"`, `Uint8Array(12)`, `null`
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Uint8Array).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'function') return 'function';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

/**
 * Creates a `validation` SystemError naming the bad option path, the value received and what is accepted.
 *
 * @param code - the stable code
 * @param path - the option path, e.g. `options.maxThreads`
 * @param expected - what would be accepted, e.g. `a positive integer`
 * @param received - the value received
 * @returns the error (not thrown)
 * @example
 * ```ts
 * throw invalidArgument('MSYS_CORE_INVALID_OPTION', 'options.cpuPercentCap', 'a number in (0, 100]', 250);
 * ```
 */
export function invalidArgument(
  code: string,
  path: string,
  expected: string,
  received: unknown,
): SystemError {
  return new SystemError(`${path} must be ${expected}, received ${describeValue(received)}`, {
    code,
    category: 'validation',
    details: { path, expected, received: describeValue(received) },
  });
}
