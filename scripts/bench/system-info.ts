/** What the benchmarks report about the machine, the process and files on disk. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * Peak resident set size (VmHWM from /proc/PID/status) in bytes, of this process by default.
 * null where /proc is not there (not Linux) or the process has already gone.
 */
export function peakRssBytes(pid: number | 'self' = 'self'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Tracks the peak RSS of a child process that is not Node (e.g. the fastText CLI) by reading its
 * VmHWM every `intervalMs` while it runs. VmHWM only grows, so the last reading is the peak up to
 * at most one interval before the process ended.
 */
export function watchPeakRss(pid: number, intervalMs = 20): { stop: () => number | null } {
  let peak: number | null = null;
  const read = () => {
    const value = peakRssBytes(pid);
    if (value !== null) peak = Math.max(peak ?? 0, value);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Total size in bytes of the files under `path` (or of the file itself). */
export function diskSizeBytes(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, entry) => sum + diskSizeBytes(join(path, entry)), 0);
}

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
}

/** The CPU model from lscpu where it says more than os.cpus() (VMs often report a bare name). */
export function describeMachine(): MachineDescription {
  let cpu = cpus()[0]?.model?.trim() ?? 'unknown';
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim();
    if (model && model.length > cpu.length) cpu = model;
  } catch {
    // No lscpu: os.cpus() is what we have.
  }
  return { cpu, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version };
}

/** Decimal units (1 MB = 10^6 bytes), as the size targets are stated. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
