import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, write } from '../../../test/helpers/fixtures.js';
import { linuxDrives } from './drives.js';

describe('linuxDrives', () => {
  it('lists what is mounted under /media or /run/media (names unescaped), not the system disk', () => {
    const mounts = write(
      path.join(tempDir(), 'mounts'),
      [
        '/dev/vda1 / ext4 rw,relatime 0 0',
        'proc /proc proc rw 0 0',
        '/dev/sdz1 /media/clerk/USB\\040STICK vfat rw,nosuid 0 0',
        '/dev/sdy1 /run/media/clerk/EVIDENCE exfat rw 0 0',
        'tmpfs /run tmpfs rw 0 0',
      ].join('\n'),
    );
    expect(linuxDrives(mounts).map((d) => [d.mountPoint, d.device, d.fsType])).toEqual([
      ['/media/clerk/USB STICK', '/dev/sdz1', 'vfat'],
      ['/run/media/clerk/EVIDENCE', '/dev/sdy1', 'exfat'],
    ]);
  });
});
