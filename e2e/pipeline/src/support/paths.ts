import { resolve } from 'node:path';

/** The repository root, from this file's place in it. */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** The shared sample inputs, beside the repository. */
export const SAMPLES_DIR = resolve(WORKSPACE_ROOT, 'samples');

export const SAMPLE_FILES = [
  'ga4_export_day1.zip',
  'ga4_export_day2.zip',
  'adapty_events_export.csv',
  'adapty_case_layout.csv',
] as const;

export const samplePath = (name: string): string => resolve(SAMPLES_DIR, name);
