export * from './scheduler.js';
export * from './network.js';
