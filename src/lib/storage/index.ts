import fs from 'node:fs/promises';
import path from 'node:path';
import { config } from '../config/index.ts';

/**
 * Media storage behind one interface (product pictures, evidence documents, stamp sheets).
 * The local implementation keeps files under DATA_DIR/media; an object store can replace it
 * without touching callers, which is what lets several web instances share uploads.
 */
export interface StoredObject {
  data: Buffer;
  contentType: string;
}

export interface Storage {
  put(key: string, data: Buffer | string, contentType: string): Promise<string>;
  get(key: string): Promise<StoredObject | null>;
  /** Public URL path of a key. */
  url(key: string): string;
}

/** Only these types are stored or served; the extension decides the type, never the client. */
export const MEDIA_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.pdf': 'application/pdf',
};

const KEY_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** A key is lower-case path segments with a known extension: no "..", no absolute paths. */
export function isValidKey(key: string): boolean {
  return key.length <= 200 && KEY_RE.test(key) && !key.includes('..') && path.extname(key) in MEDIA_TYPES;
}

class LocalStorage implements Storage {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async put(key: string, data: Buffer | string, contentType: string): Promise<string> {
    if (!isValidKey(key)) throw new Error(`invalid storage key: ${key}`);
    if (MEDIA_TYPES[path.extname(key)] !== contentType) throw new Error(`content type ${contentType} does not match ${key}`);
    const file = path.join(this.root, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
    return this.url(key);
  }

  async get(key: string): Promise<StoredObject | null> {
    if (!isValidKey(key)) return null;
    try {
      const data = await fs.readFile(path.join(this.root, key));
      return { data, contentType: MEDIA_TYPES[path.extname(key)]! };
    } catch {
      return null;
    }
  }

  url(key: string): string {
    return `/media/${key}`;
  }
}

let instance: Storage | undefined;

export function storage(): Storage {
  instance ??= new LocalStorage(path.join(config().dataDir, 'media'));
  return instance;
}
