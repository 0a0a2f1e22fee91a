export * from './fake-slack-api.js';
export * from './payloads.js';
export * from './posted-card-copies.js';
export * from './sign.js';
