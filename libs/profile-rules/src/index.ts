export * from './lib/event-version';
export * from './lib/fold-profile';
