/**
 * CPU spent over a phase of a bench: by this process (user + system, every thread of it) and,
 * on Linux, by the whole machine (every process: the broker, Redis and the registry beside
 * the pipeline). Events/s says how much of a shared 2-core machine a phase got; CPU per event
 * says how much work it did, and the machine's share counts what the services did for it too
 * (a Redis call per batch is CPU in Redis, not in this process).
 *
 * For a server in another process (bench:api), its user and system time apart: the user part
 * is the server's own code, the system part the kernel's work for it (sockets, page faults).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSpent {
  processSeconds: number;
  /** processSeconds as user time (this process's own code) and system time (the kernel's work for it: sockets, page faults). */
  processUserSeconds: number;
  processSystemSeconds: number;
  /** Busy seconds summed over the machine's cores; null where /proc/stat cannot be read. */
  machineSeconds: number | null;
}

/** The kernel's clock ticks per second for /proc/stat (USER_HZ): 100 on every Linux that ships today. */
const USER_HZ = 100;

/**
 * Busy seconds in the aggregate `cpu` line of /proc/stat: user, nice, system, irq, softirq
 * and steal; idle and iowait are not busy. (guest time is already counted in user.)
 * @throws Error when the text has no aggregate cpu line.
 */
export function busySecondsOf(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('no aggregate "cpu " line in /proc/stat');
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / USER_HZ;
}

/** User and system CPU seconds. */
export interface UserSystemSeconds {
  user: number;
  system: number;
}

/**
 * The parent pid and the user and system seconds in a /proc/<pid>/stat line (fields 4, 14
 * and 15; the command name in parentheses may itself hold spaces and parentheses).
 * @throws Error when the line is not one.
 */
export function processTimesOf(stat: string): UserSystemSeconds & { ppid: number } {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).trim().split(' ');
  const [ppid, user, system] = [fields[1], fields[11], fields[12]].map(Number);
  if (!stat.includes(') ') || ![ppid, user, system].every(Number.isFinite)) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(stat.slice(0, 80))}`);
  return { ppid, user: user / USER_HZ, system: system / USER_HZ };
}

/** CPU seconds used so far by process `pid` and its children (node:cluster workers), from Linux's /proc. */
export function serverCpuSeconds(pid: number): UserSystemSeconds {
  const total = { user: 0, system: 0 };
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let t: ReturnType<typeof processTimesOf>;
    try {
      t = processTimesOf(readFileSync(`/proc/${p}/stat`, 'utf8'));
    } catch {
      continue; // exited since the listing
    }
    if (Number(p) === pid || t.ppid === pid) {
      total.user += t.user;
      total.system += t.system;
    }
  }
  return total;
}

function machineBusySeconds(): number | null {
  try {
    return busySecondsOf(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** Starts measuring; the returned function gives what was spent since. */
export function startCpuMeter(): () => CpuSpent {
  const process0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  return () => {
    const used = process.cpuUsage(process0);
    const machine1 = machineBusySeconds();
    return {
      processSeconds: (used.user + used.system) / 1e6,
      processUserSeconds: used.user / 1e6,
      processSystemSeconds: used.system / 1e6,
      machineSeconds: machine0 === null || machine1 === null ? null : machine1 - machine0,
    };
  };
}
