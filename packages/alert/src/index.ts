export * from './alert.js';
export * from './filter.js';
export * from './priority.js';
export * from './validate.js';
export * from './stream.js';
export * from './outputs.js';
export * from './stats.js';
export * from './rules.js';
