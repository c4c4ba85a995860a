export * from './comparable-values';
export * from './expected-samples';
