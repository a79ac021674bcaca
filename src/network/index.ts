export * from './network.js';
export * from './netem.js';
