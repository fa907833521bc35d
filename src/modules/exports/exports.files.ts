import path from 'node:path';

/**
 * An export's file: `<dataDir>/exports/<workspaceId>/<exportId>`, written as `<exportId>.part`
 * and renamed when complete, so a file under its final name is always a whole export.
 */
export const exportsRoot = (dataDir: string) => path.join(dataDir, 'exports');

export const exportsDir = (dataDir: string, workspaceId: string) =>
  path.join(exportsRoot(dataDir), workspaceId);

export const exportFile = (dataDir: string, workspaceId: string, exportId: string) =>
  path.join(exportsDir(dataDir, workspaceId), exportId);

export const TEMP_SUFFIX = '.part';
