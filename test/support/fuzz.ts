import fc from 'fast-check';

/**
 * Hostile values for the OpenAPI-driven guard (test/guard.db.test.ts). For each JSON schema of
 * /api/openapi.json: a value of the right shape (so it gets past validation to the service
 * and the database) with ONE leaf or branch replaced by something hostile, or sometimes a
 * wholly hostile value of any shape.
 */

export type JsonSchema = Record<string, any>;

const nest = (depth: number, key?: string): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = key ? { [key]: v } : [v];
  return v;
};

/** What broke servers before: weighted so a short run still meets each of them. */
const killers = fc.constantFrom(
  '\u0000',
  'Nguyễn\u0000Văn',
  '\ud800',
  'a\udfffb',
  'x'.repeat(10_000),
  'ệ'.repeat(100_001),
);

/** Strings a careless server chokes on. */
export const hostileString = fc.oneof(
  { weight: 2, arbitrary: killers },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0001\u0007\u001b[31m\u007f',
      '\u202eusnoc\u202c',
      '\u200b\u200d\ufeff',
      '😀👨‍👩‍👧‍👦🇻🇳',
      "'; DROP TABLE contacts; --",
      "' OR '1'='1",
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '${7*7}{{7*7}}',
      '../../../../etc/passwd',
      '%00%27%22',
      '=HYPERLINK("http://x","y")',
      '＝1+1',
      'null',
      '-1',
      '1e309',
      'NaN',
      ' ',
      '',
      '\r\n\t',
      '__proto__',
      'Nguyễn Văn An',
    ),
  },
);

/** A value of any JSON type, hostile or deep. */
export const anyHostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1.5,
      2 ** 31,
      2 ** 53 + 2,
      -1e308,
      1e308,
      true,
      null,
      [],
      {},
      nest(40),
      nest(1000),
      nest(40, 'a'),
      nest(50, '__proto__'),
      JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}'),
      Array.from({ length: 5000 }, (_, i) => i),
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** The 1 MB string: only in bodies (the body limit answers it). */
const huge = fc.constant('x'.repeat(1024 * 1024));

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: [4, 7] });
    case 'email':
      return fc.emailAddress();
    case 'date':
      return fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const min = Math.max(schema.minLength ?? 1, 1);
  const max = Math.max(Math.min(schema.maxLength ?? 24, 24), min);
  const any = fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' });
  // Vietnamese words where they fit. Chosen before, not filtered after: a filter no value passes
  // (a `#rrggbb` colour is at most 7 characters) would make fast-check retry for ever.
  const words = ['Nguyễn Thị Hồng Nhung', 'Công ty TNHH Sen', 'khách VIP', 'Sen'].filter(
    (s) => s.length >= min && s.length <= max,
  );
  return words.length > 0 ? fc.oneof(fc.constantFrom(...words), any) : any;
}

/**
 * Values the app accepts for a property of this name, wherever it appears (a phone must be a
 * phone for the request to get past the service to the database). Set by the guard from its
 * fixtures; a property without a hint gets values from its schema alone.
 */
export const hints: Record<string, fc.Arbitrary<unknown>> = {};

/** The hint for a property: by `parent.name` first (`phones.value`), then by `name`. */
const hintFor = (path: string[], key: string) => hints[`${path.at(-1) ?? ''}.${key}`] ?? hints[key];

/**
 * Values of the schema's own shape: required keys present, each optional one now and then,
 * enums and ranges respected, hinted properties from `hints`.
 */
export function validFrom(
  schema: JsonSchema | undefined,
  path: string[] = [],
  allKeys = false,
): fc.Arbitrary<unknown> {
  const depth = path.length;
  if (!schema || depth > 8) return fc.constant(null);
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) {
    // Prefer the non-null alternative: null is rarely what reaches the database.
    const real = alternatives.filter((a) => a.type !== 'null');
    return fc.oneof(
      ...(real.length > 0 ? real : alternatives).map((s) => validFrom(s, path, allKeys)),
    );
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 100, 1e9) });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validFrom(schema.items, path, allKeys), {
        minLength: schema.minItems ?? (allKeys ? 1 : 0),
        maxLength: Math.max(Math.min(schema.maxItems ?? 3, 3), schema.minItems ?? 0),
      });
    default: {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      const entries = Object.entries(props).map(
        ([k, s]) => [k, hintFor(path, k) ?? validFrom(s, [...path, k], allKeys)] as const,
      );
      // Each optional key one time in four: small bodies, each field in turn.
      return fc
        .tuple(
          ...entries.map(([k, arb]) =>
            required.has(k) || allKeys
              ? arb.map((v) => [k, v] as const)
              : fc.oneof(
                  { weight: 3, arbitrary: fc.constant(undefined) },
                  { weight: 1, arbitrary: arb.map((v) => [k, v] as const) },
                ),
          ),
        )
        .map((pairs) =>
          Object.fromEntries(pairs.filter((p): p is readonly [string, unknown] => p !== undefined)),
        );
    }
  }
}

/** Replace the n-th node (depth first, the root included) of `value` with `replacement`. */
function replaceNth(value: unknown, n: number, replacement: unknown): unknown {
  let seen = 0;
  const walk = (v: unknown): unknown => {
    if (seen++ === n) return replacement;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const out = walk(value);
  // n past the last node: add the hostile value under a hostile key (an unknown field).
  if (seen <= n && out && typeof out === 'object' && !Array.isArray(out)) {
    return { ...out, [n % 2 ? '__proto__x' : 'workspaceId']: replacement };
  }
  return out;
}

/**
 * Hostile values for one schema: a valid value with one node replaced (most runs), or a
 * wholly hostile one. `inBody` adds the 1 MB string.
 */
export function hostileFrom(
  schema: JsonSchema | undefined,
  inBody: boolean,
): fc.Arbitrary<unknown> {
  const replacement = inBody ? fc.oneof({ weight: 6, arbitrary: anyHostile }, huge) : anyHostile;
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(validFrom(schema), fc.nat({ max: 12 }), replacement)
        .map(([v, n, h]) => replaceNth(v, n, h)),
    },
    { weight: 1, arbitrary: validFrom(schema) },
    { weight: 1, arbitrary: anyHostile },
  );
}

/**
 * The hostile values the sweep puts into one node, by what the node holds: strings get the
 * strings that break text handling, numbers the ones that overflow columns, and every node
 * one value of a wrong type; the root also a 1 MB string and a deep nesting.
 */
export function sweepValues(node: unknown, isRoot: boolean, inBody: boolean): unknown[] {
  const wrongType = typeof node === 'string' ? 12 : 'x';
  const out: unknown[] =
    typeof node === 'string'
      ? [
          'a\u0000b',
          '\ud800x',
          '\u202eabc\u202c😀',
          "'; DROP TABLE contacts; --<script>",
          'x'.repeat(10_000),
        ]
      : typeof node === 'number'
        ? [2 ** 53 + 2, -1e308, 0.5, -1]
        : [wrongType];
  if (typeof node !== 'string')
    out.push(typeof node === 'object' && node !== null ? 'x' : wrongType);
  if (isRoot) out.push(nest(40), ...(inBody ? ['x'.repeat(1024 * 1024)] : []));
  return [...new Set(out)];
}

/** Every node of `value` (root first) as [path, value], for the sweep. */
export function nodesOf(value: unknown): [string[], unknown][] {
  const out: [string[], unknown][] = [];
  const walk = (v: unknown, path: string[]) => {
    out.push([path, v]);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  return out;
}

/** `value` with the node at `path` replaced. */
export function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    return value.map((x, i) => (String(i) === head ? replaceAt(x, rest, replacement) : x));
  }
  const obj = value as Record<string, unknown>;
  return { ...obj, [head]: replaceAt(obj[head], rest, replacement) };
}
