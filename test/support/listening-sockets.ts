// The TCP ports this process listens on, read from Linux's /proc: the socket inodes of this
// process's file descriptors, matched against the LISTEN rows of /proc/net/tcp and tcp6.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** TCP state 0A is LISTEN (include/net/tcp_states.h). */
const LISTEN = '0A';

function socketInodes(pid: number | 'self'): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The descriptor closed while we read.
    }
  }
  return inodes;
}

/** Ports a process (default this one) listens on (IPv4 and IPv6), sorted. */
export function listeningPorts(pid: number | 'self' = 'self'): number[] {
  const mine = socketInodes(pid);
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (state === LISTEN && mine.has(inode)) ports.push(parseInt(local.split(':')[1], 16));
    }
  }
  return ports.sort((a, b) => a - b);
}
