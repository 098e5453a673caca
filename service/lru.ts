/** A small in-process LRU cache (Map keeps insertion order) that counts hits and misses. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, value: V): void {
    if (this.maxSize <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxSize) this.map.delete(this.map.keys().next().value as string);
  }

  /** Drops every entry whose key starts with prefix (writes invalidate what they change). */
  invalidate(prefix: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }

  stats(): { hit_rate: number; size: number; hits: number; misses: number; max_size: number } {
    const total = this.hits + this.misses;
    return { hit_rate: total ? this.hits / total : 0, size: this.map.size, hits: this.hits, misses: this.misses, max_size: this.maxSize };
  }
}
