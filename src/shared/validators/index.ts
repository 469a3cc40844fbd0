/** Validators and display masks for Chinese identifiers, shared by server and browser. */
export * from './id-card.js';
export * from './uscc.js';
export * from './phone.js';
export * from './mask.js';
