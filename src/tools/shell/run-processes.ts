import { readdir, readFile } from 'node:fs/promises';

/**
 * Finding and stopping every process a command started. The command runs as the leader of a session and process
 * group of its own, which catches `cmd &` and job control; a descendant that calls setsid() leaves both, so on Linux
 * the process table is read too: whatever descends from the command, or carries the run's marker variable in its
 * environment (inherited by every descendant that does not clear it), is stopped with the group. A process that both
 * left the session and cleared its environment after its parent died escapes: only a container, a cgroup or a PID
 * namespace around the worker is a hard boundary.
 */

/** The variable every command's environment carries, set to a value unique to the run. */
export const RUN_MARKER_VARIABLE = 'DURABLE_PLANS_SHELL_RUN';

interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

// A fork bomb outruns any number of rounds; a command that forks while being stopped is caught within a few.
const MAX_ROUNDS = 20;

/**
 * Sends `signal` to every process of the run led by `leader`. For SIGKILL, each process found is first frozen
 * (SIGSTOP), so it can neither fork past the scan nor die and orphan its children before they are found.
 */
export async function signalRun(leader: number, marker: string, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  send(-leader, signal);
  if (signal === 'SIGTERM') {
    // The group has it already; a handler should see it once.
    const strays = (await runMembers(leader, marker)).filter((entry) => entry.pgrp !== leader);
    for (const entry of strays) send(entry.pid, signal);
    return;
  }
  const frozen = new Set<number>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = (await runMembers(leader, marker)).map((entry) => entry.pid).filter((pid) => !frozen.has(pid));
    if (found.length === 0) break;
    for (const pid of found) {
      send(pid, 'SIGSTOP');
      frozen.add(pid);
    }
  }
  send(-leader, signal);
  for (const pid of frozen) send(pid, signal);
}

/** The run's processes: its session and group, its descendants, and whatever carries its marker. */
async function runMembers(leader: number, marker: string): Promise<ProcessEntry[]> {
  const table = await processTable();
  // The leader itself, while it lives, is in its own session; once reaped, its pid may belong to someone else.
  const members = new Map(
    table.filter((entry) => entry.session === leader || entry.pgrp === leader).map((entry) => [entry.pid, entry]),
  );
  // Descendants whose parent still lives, even if they left the session.
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of table) {
      if (!members.has(entry.pid) && members.has(entry.ppid)) {
        members.set(entry.pid, entry);
        grew = true;
      }
    }
  }
  const needle = Buffer.from(`${RUN_MARKER_VARIABLE}=${marker}\0`);
  const others = table.filter((entry) => !members.has(entry.pid) && entry.pid !== process.pid);
  const marked = await Promise.all(
    others.map(async (entry) => ((await environ(entry.pid)).includes(needle) ? entry : null)),
  );
  for (const entry of marked) if (entry !== null) members.set(entry.pid, entry);
  members.delete(process.pid);
  return [...members.values()];
}

/** The processes /proc shows (none where there is no /proc: the process group is then all there is). */
async function processTable(): Promise<ProcessEntry[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const entries = await Promise.all(names.filter((name) => /^\d+$/.test(name)).map(readStat));
  return entries.filter((entry): entry is ProcessEntry => entry !== null);
}

async function readStat(pid: string): Promise<ProcessEntry | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
    const [, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) };
  } catch {
    return null; // gone since the directory was read
  }
}

async function environ(pid: number): Promise<Buffer> {
  try {
    return await readFile(`/proc/${pid}/environ`);
  } catch {
    return Buffer.alloc(0); // gone, or another user's
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone, which is what we wanted.
  }
}
