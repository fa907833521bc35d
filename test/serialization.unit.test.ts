import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contactResponse } from '../src/modules/contacts/contacts.schemas.js';
import { listResponse } from '../src/modules/records/records.schemas.js';
import { responseSerializer, serializerSchema } from '../src/http/serialization.js';

const item = z.object({
  id: z.uuid(),
  name: z.string(),
  note: z.string().nullable(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  stage: z.enum(['lead', 'customer']),
  custom: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  count: z.number().int().optional(),
});
const ID = '01a208e4-e5a9-7da8-9f7c-a074e6e493cc';
const valid = {
  id: ID,
  name: 'Nguyễn Thị Hồng Nhung',
  note: null,
  owner: { id: ID, name: 'An' },
  stage: 'lead',
  custom: { score: 3, nested: { a: [1, 'x', null] }, empty: null },
  tags: ['vip'],
};

async function serve(check: boolean, data: unknown) {
  const app = Fastify({ logger: false });
  app.setSerializerCompiler(responseSerializer({ check }));
  app.get('/x', { schema: { response: { 200: item } } }, async () => data);
  const res = await app.inject({ method: 'GET', url: '/x' });
  await app.close();
  return res;
}

describe('response serialization', () => {
  it('writes exactly what zod would, nullable values and free-form values included', async () => {
    for (const check of [true, false]) {
      const res = await serve(check, valid);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(item.encode(valid as never))));
    }
    const withNulls = { ...valid, owner: null, count: 7 };
    expect((await serve(false, withNulls)).json()).toEqual(withNulls);
  });

  it('never writes a property the schema does not declare', async () => {
    const res = await serve(false, {
      ...valid,
      passwordHash: 'secret',
      owner: { ...valid.owner, email: 'x' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('secret');
    expect(res.json()).toEqual(valid);
  });

  it('outside production, refuses a response that does not match its schema', async () => {
    const wrongType = await serve(true, { ...valid, name: 42 });
    expect(wrongType.statusCode).toBe(500);
    const badEnum = await serve(true, { ...valid, stage: 'evangelist?' });
    expect(badEnum.statusCode).toBe(500);
    // In production the compiled serializer writes the declared type instead of failing.
    expect((await serve(false, { ...valid, name: 42 })).json().name).toBe('42');
  });

  it('compiles nullable values to type unions, without validation-only keywords', () => {
    const schema = serializerSchema(item) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.properties.note).toEqual({ type: ['string', 'null'] });
    expect(schema.properties.owner?.type).toEqual(['object', 'null']);
    expect(schema.properties.id).toEqual({ type: 'string' });
    expect(JSON.stringify(serializerSchema(listResponse(contactResponse)))).not.toMatch(
      /"(anyOf|format|pattern)"/,
    );
  });
});
