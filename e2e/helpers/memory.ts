/**
 * Memory of the browser under test, from Linux's /proc: the resident set size of every process
 * descended from this test worker (Playwright's Chromium and its renderer, GPU and utility
 * processes). Linux only; the e2e tests run on Debian.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of `pid`, or -1 when it is gone. */
function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4, after the command name in parentheses (which may hold spaces).
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** Resident set size of `pid` in bytes (0 when it is gone). */
function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of the RSS of every descendant of `root` (default: this process), in bytes. */
export function browserRssBytes(root = process.pid): number {
  const pids = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
  let total = 0;
  for (const pid of pids) {
    let up = parents.get(pid) ?? -1;
    while (up > 1 && up !== root) up = parents.get(up) ?? parentOf(up);
    if (up === root) total += rssBytes(pid);
  }
  return total;
}
