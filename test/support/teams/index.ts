export * from './activities.js';
export * from './fake-connector.js';
export * from './local-jwt.js';
export * from './post-activity.js';
