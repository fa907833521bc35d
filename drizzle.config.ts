import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // The shared schema, and each record object's own table in its folder (src/modules/*/*.table.ts).
  schema: ['./src/db/schema/index.ts', './src/modules/*/*.table.ts'],
  out: process.env.SEN_MIGRATIONS_OUT ?? './migrations',
  entities: { roles: false },
  casing: undefined,
});
