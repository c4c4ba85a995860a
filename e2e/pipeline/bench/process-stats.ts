import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
);

export interface ProcessStats {
  /** VmHWM: the most resident memory the process has had, in MB. */
  peakRssMb: number;
  /** User and system CPU of all its threads, in seconds. */
  cpuSeconds: number;
}

/** A running process's peak RSS and CPU time, from /proc (Linux). */
export const processStats = (pid: number): ProcessStats => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!hwm) throw new Error(`no VmHWM in /proc/${pid}/status`);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  return {
    peakRssMb: Number(hwm[1]) / 1024,
    cpuSeconds: (utime + stime) / CLOCK_TICKS,
  };
};
