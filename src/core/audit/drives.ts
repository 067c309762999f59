import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, statfsSync } from 'node:fs';
import path from 'node:path';

/** A mounted removable drive a report can be written to. */
export type Drive = { mountPoint: string; device: string; fsType: string; sizeBytes: number | null; freeBytes: number | null };

function space(mountPoint: string): { sizeBytes: number | null; freeBytes: number | null } {
  try {
    const s = statfsSync(mountPoint);
    return { sizeBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  } catch {
    return { sizeBytes: null, freeBytes: null };
  }
}

/** The whole-disk name of a partition (`sdb1` → `sdb`, `mmcblk0p1` → `mmcblk0`, `nvme0n1p2` → `nvme0n1`). */
function diskOf(device: string): string {
  const name = path.basename(device);
  if (existsSync(`/sys/class/block/${name}/partition`)) return path.basename(path.dirname(realpathSync(`/sys/class/block/${name}`)));
  return name;
}

/** `/proc/mounts` escapes spaces and the like as octal. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/gu, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Linux: block devices whose disk says it is removable or sits on USB, and anything (block device or not) mounted under /media or /run/media. */
export function linuxDrives(mounts = '/proc/self/mounts'): Drive[] {
  const out: Drive[] = [];
  for (const line of readFileSync(mounts, 'utf8').split('\n')) {
    const [device, rawMount, fsType] = line.split(' ');
    if (!device || !rawMount || !fsType) continue;
    const mountPoint = unescape(rawMount);
    let removable = false;
    // Whatever the desktop mounts under /media counts, block device or not (FUSE exFAT, MTP through gvfs).
    if (!device.startsWith('/dev/')) {
      if (mountPoint.startsWith('/media/') || mountPoint.startsWith('/run/media/')) out.push({ mountPoint, device, fsType, ...space(mountPoint) });
      continue;
    }
    try {
      const disk = diskOf(device);
      removable = readFileSync(`/sys/block/${disk}/removable`, 'utf8').trim() === '1' || realpathSync(`/sys/block/${disk}`).includes('/usb');
    } catch {
      // not a block device we can look up (mapper, loop): decided by where it is mounted
    }
    if (removable || mountPoint.startsWith('/media/') || mountPoint.startsWith('/run/media/')) out.push({ mountPoint, device, fsType, ...space(mountPoint) });
  }
  return out;
}

/** macOS: volumes under /Volumes other than the startup disk. */
function macDrives(): Drive[] {
  const rootDev = statSync('/').dev;
  return readdirSync('/Volumes')
    .map((n) => path.join('/Volumes', n))
    .filter((p) => {
      try {
        return statSync(p).dev !== rootDev;
      } catch {
        return false;
      }
    })
    .map((mountPoint) => ({ mountPoint, device: mountPoint, fsType: 'unknown', ...space(mountPoint) }));
}

/** Windows: removable drive letters (drive type 2), from PowerShell's CIM query. */
function windowsDrives(): Drive[] {
  const r = spawnSync(
    'powershell.exe',
    ['-NoProfile', '-Command', 'Get-CimInstance Win32_LogicalDisk -Filter "DriveType=2" | ForEach-Object { $_.DeviceID }'],
    {
      encoding: 'utf8',
      windowsHide: true,
    },
  );
  if (r.status !== 0) return [];
  return r.stdout
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => /^[A-Z]:$/u.test(l))
    .map((letter) => ({ mountPoint: `${letter}\\`, device: letter, fsType: 'unknown', ...space(`${letter}\\`) }));
}

/** Mounted removable drives on this platform. */
export function listDrives(): Drive[] {
  if (process.platform === 'linux') return linuxDrives();
  if (process.platform === 'darwin') return macDrives();
  if (process.platform === 'win32') return windowsDrives();
  return [];
}
