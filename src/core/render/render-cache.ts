import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PageImageRender as PageRender } from './page-render.js';

/** Default cap of the on-disk page-image cache, bytes. */
export const DEFAULT_RENDER_CACHE_BYTES = 256 * 1024 * 1024;

/** Bumped when renders change (scale, colour, format): older cached files are then never read, and age out. */
const RENDER_VERSION = 1;

/** Restricted renders held in memory at most (they never reach the disk). */
const MEMORY_ENTRIES = 16;

/** What identifies a render: the document's content, the page and the width asked for (0: the default). */
export type RenderKey = { sha256: string; pageNo: number; width: number };

/**
 * Page images already rendered. Public pages are kept on disk under the data folder
 * (`render-cache/<sha256>-<page>-<w>-v<n>.png`, with a small `.json` beside it holding its size; files 0600 in a
 * 0700 folder),
 * evicted least-recently-used (by mtime, touched on every hit) once the folder passes its cap. Pages of
 * `pii` and `classified` documents are restricted content: the disk cache is not encrypted, so they are kept
 * in a small in-memory LRU only and are rendered again after the app restarts.
 */
export class RenderCache {
  private readonly memory = new Map<string, PageRender>();

  constructor(
    readonly dir: string,
    readonly capBytes: number = DEFAULT_RENDER_CACHE_BYTES,
  ) {}

  private name(key: RenderKey): string {
    if (!/^[0-9a-f]{64}$/u.test(key.sha256)) throw new Error('render cache key must be a SHA-256');
    return `${key.sha256}-${key.pageNo}-${key.width}-v${RENDER_VERSION}`;
  }

  /** A cached render, or null. A hit counts as a use for eviction. */
  get(key: RenderKey, restricted: boolean): PageRender | null {
    const name = this.name(key);
    if (restricted) {
      const hit = this.memory.get(name);
      if (hit) {
        // Re-inserting moves the entry to the young end of the Map's order.
        this.memory.delete(name);
        this.memory.set(name, hit);
      }
      return hit ?? null;
    }
    const file = path.join(this.dir, `${name}.png`);
    try {
      const meta = JSON.parse(readFileSync(path.join(this.dir, `${name}.json`), 'utf8')) as Omit<PageRender, 'image'>;
      const image = new Uint8Array(readFileSync(file));
      const now = new Date();
      utimesSync(file, now, now);
      return { ...meta, image };
    } catch {
      return null;
    }
  }

  /** Stores a render (restricted ones in memory only), then evicts the oldest files past the cap. */
  put(key: RenderKey, render: PageRender, restricted: boolean): void {
    const name = this.name(key);
    if (restricted) {
      this.memory.set(name, render);
      while (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
      return;
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { image, ...meta } = render;
    // Meta first, image last, each through a rename: a reader never sees an image without its size.
    const write = (file: string, data: Uint8Array | string): void => {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, file);
    };
    write(path.join(this.dir, `${name}.json`), JSON.stringify(meta));
    write(path.join(this.dir, `${name}.png`), image);
    this.evict();
  }

  /** Deletes least-recently-used images (and their meta) until the folder is within the cap. */
  evict(): void {
    const files = readdirSync(this.dir)
      .filter((f) => f.endsWith('.png'))
      .map((f) => {
        const st = statSync(path.join(this.dir, f));
        return { f, size: st.size, used: st.mtimeMs };
      })
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((n, x) => n + x.size, 0);
    for (const x of files) {
      if (total <= this.capBytes) break;
      for (const f of [x.f, x.f.replace(/\.png$/u, '.json')]) {
        try {
          unlinkSync(path.join(this.dir, f));
        } catch {
          // Already gone (another reader evicted it): nothing to free.
        }
      }
      total -= x.size;
    }
  }
}
