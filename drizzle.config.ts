import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: process.env.SEN_MIGRATIONS_OUT ?? './migrations',
  entities: { roles: false },
  casing: undefined,
});
