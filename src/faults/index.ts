export * from './scheduler.js';
export * from './network.js';
export * from './targets.js';
