import fs from 'node:fs';
import path from 'node:path';

/**
 * An import's uploaded file: `<dataDir>/imports/<workspaceId>/<importId>`. The name a person
 * gave the file is stored in the database only; it never reaches the file system. The file is
 * removed when its import finished (the error file is built from the database).
 */
export const importsDir = (dataDir: string, workspaceId: string) =>
  path.join(dataDir, 'imports', workspaceId);

export const importFile = (dataDir: string, workspaceId: string, importId: string) =>
  path.join(importsDir(dataDir, workspaceId), importId);

export async function removeImportFile(
  dataDir: string,
  workspaceId: string,
  importId: string,
): Promise<void> {
  await fs.promises.rm(importFile(dataDir, workspaceId, importId), { force: true });
}
