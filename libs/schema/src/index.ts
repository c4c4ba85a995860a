// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';

export * from './lib/columns';
export * from './lib/unified-event';
export * from './lib/profile';
export * from './lib/profile-change';
export * from './lib/adapty-states';
export * from './lib/file-accounting';
export * from './lib/table-schemas';
export * from './lib/row-check';
export * from './lib/error-record';
export * from './lib/source-file';
export * from './lib/limits';
export * from './lib/topology';
export * from './lib/messages/source-file.dto';
export * from './lib/messages/gcs-notification.dto';
export * from './lib/messages/unified-event-batch.dto';
export * from './lib/messages/profile-change-batch.dto';
export * from './lib/messages/error-record-batch.dto';
export * from './lib/messages/file-manifest.dto';
export * from './lib/messages/message-validation';
