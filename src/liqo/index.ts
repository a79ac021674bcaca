export * from './health.js';
export * from './shadow-pods.js';
export * from './virtual-kubelet.js';
export * from './fabric.js';
export * from './offloading.js';
