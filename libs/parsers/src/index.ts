export { parseSourceFile } from './lib/parse-source-file';
export type { ByteInput } from './lib/byte-source';
export {
  DEFAULT_CHUNK_ROWS,
  type ParseSourceFileOptions,
} from './lib/parse-options';
export {
  addChunkToTotals,
  emptyParseTotals,
  type ParsedChunk,
  type ParseTotals,
} from './lib/parsed-chunk';
export {
  jsonTextStart,
  parseJsonTexts,
  type JsonTexts,
} from './lib/json-texts';
export { errorChunk } from './lib/chunk-builder';
export { detectFileKind, isZipArchive } from './lib/file-kind';
export {
  createParserPool,
  type ParserPool,
  type ParserPoolOptions,
} from './lib/parser-pool';
