import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), found from this file in src/ or dist/server/. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(path.join(dir, 'migrations'))
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Sen package root');
    dir = parent;
  }
}

export const packageRoot = findRoot();
export const migrationsFolder = path.join(packageRoot, 'migrations');
/** The built web app (npm run build:web). */
export const webDist = path.join(packageRoot, 'dist', 'web');
