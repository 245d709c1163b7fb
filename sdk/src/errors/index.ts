export * from './hresult.js';
export * from './imapi-error.js';
export * from './sense-map.js';
