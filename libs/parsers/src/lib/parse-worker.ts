/**
 * The entry of a parser worker thread. A bundle ships it as an entry of its
 * own (see the README); run from sources, the pool loads it through
 * @swc-node/register.
 */
import { parentPort } from 'node:worker_threads';
import { chunkTransfer } from './parsed-chunk';
import {
  ParseReply,
  ParseRequest,
  reviveParseTask,
  runParseTask,
} from './parse-task';

const port = parentPort;
if (port === null) throw new Error('parse-worker runs only as a worker thread');

const reply = (message: ParseReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

// Loaded and listening: from now on a crash is this worker's, not its file's.
reply({ ready: true });

port.on('message', ({ id, task }: ParseRequest) => {
  try {
    const chunk = runParseTask(reviveParseTask(task));
    reply({ id, chunk }, chunkTransfer(chunk));
  } catch (error) {
    reply({
      id,
      error:
        error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
