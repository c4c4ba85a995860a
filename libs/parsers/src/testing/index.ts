export * from './adapty-export-tables';
export * from './ga4-export-tables';
export * from './parse-fixtures';
export * from './seeded-random';
