export * from './addHasuraClaims.js';
export * from './adminRole.js';
export * from './compose.js';
export * from './config.js';
export * from './createPreTokenGenerationHandler.js';
export * from './hasuraClaims.js';
export * from './tokenGenerationEvent.js';
