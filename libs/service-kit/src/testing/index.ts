export * from './pipeline-test-bed';
