export * from './frames.js';
export * from './stream.js';
