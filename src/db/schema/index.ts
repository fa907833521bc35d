export * from './workspaces.js';
export * from './audit.js';
