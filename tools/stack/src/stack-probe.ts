import { isPortOpen } from './readiness';
import { StackConfig } from './stack.config';
import { LOCAL_CLOUD, SERVICE_NAMES } from './stack-projects';

export interface PortUse {
  /** What the stack would run on the port. */
  owner: string;
  port: number;
}

export type StackState =
  | { state: 'stopped' }
  | { state: 'running'; ports: PortUse[] }
  /** Some ports answer, others do not: a stack starting or stopping, or other programs. */
  | { state: 'partial'; open: PortUse[]; closed: PortUse[] };

/** The fixed ports of the configuration; 0 (any free port) cannot clash. */
export const stackPorts = (config: StackConfig): PortUse[] =>
  [
    { owner: `${LOCAL_CLOUD} (Pub/Sub)`, port: config.ports.pubsub },
    { owner: `${LOCAL_CLOUD} (Storage)`, port: config.ports.storage },
    ...SERVICE_NAMES.map((name) => ({ owner: name, port: config.ports[name] })),
  ].filter(({ port }) => port !== 0);

/** Whether a stack with this configuration already answers on its ports. */
export const probeStack = async (config: StackConfig): Promise<StackState> => {
  const ports = stackPorts(config);
  const open = await Promise.all(
    ports.map(({ port }) => isPortOpen(config.host, port)),
  );
  const answering = ports.filter((_, index) => open[index]);
  if (answering.length === 0) return { state: 'stopped' };
  if (answering.length === ports.length) return { state: 'running', ports };
  return {
    state: 'partial',
    open: answering,
    closed: ports.filter((_, index) => !open[index]),
  };
};

const list = (ports: PortUse[]) =>
  ports.map(({ owner, port }) => `${port} (${owner})`).join(', ');

/** Why a stack cannot start here, for a state other than stopped. */
export const describeBusyPorts = (
  state: Exclude<StackState, { state: 'stopped' }>,
): string =>
  state.state === 'running'
    ? `The stack is already running: every port answers (${list(state.ports)}). Stop it with Ctrl-C in its terminal, or use it as it is.`
    : `Ports ${list(state.open)} are already in use while ${list(state.closed)} are not: a stack still starting or stopping, or other programs. Wait, stop them, or choose other ports (PUBSUB_PORT, STORAGE_PORT, <SERVICE>_PORT).`;

/** Thrown by startStack when its ports are taken. */
export class StackPortsBusyError extends Error {
  constructor(readonly state: Exclude<StackState, { state: 'stopped' }>) {
    super(describeBusyPorts(state));
    this.name = 'StackPortsBusyError';
  }
}
