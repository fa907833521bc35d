export * from './workspaces.js';
export * from './audit.js';
export * from './records.js';
