export * from './galera.js';
export * from './haproxy.js';
export * from './operator.js';
export * from './quorum.js';
export * from './transfer.js';
