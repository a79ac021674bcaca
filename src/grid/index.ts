export * from './frames.js';
export * from './stream.js';
export * from './c37118.js';
export * from './concentrator.js';
export * from './publisher.js';
export * from './apps.js';
