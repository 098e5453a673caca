"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LruCache = void 0;
/**
 * A small in-process LRU cache (Map keeps insertion order) that counts hits and misses. A miss of a
 * key that a write invalidated is also counted as `invalidated_misses`: the cache did its job
 * (the entry was stale), so a monitor can leave these out of a fair hit rate.
 */
class LruCache {
    maxSize;
    map = new Map();
    /** Keys dropped by invalidate() and not looked up or set since (bounded like the cache). */
    invalidated = new Map();
    hits = 0;
    misses = 0;
    invalidatedMisses = 0;
    invalidations = 0;
    constructor(maxSize) {
        this.maxSize = maxSize;
    }
    get(key) {
        const v = this.map.get(key);
        if (v === undefined) {
            this.misses++;
            if (this.invalidated.delete(key))
                this.invalidatedMisses++;
            return undefined;
        }
        this.hits++;
        this.map.delete(key);
        this.map.set(key, v);
        return v;
    }
    set(key, value) {
        if (this.maxSize <= 0)
            return;
        this.invalidated.delete(key);
        this.map.delete(key);
        this.map.set(key, value);
        while (this.map.size > this.maxSize)
            this.map.delete(this.map.keys().next().value);
    }
    /** Drops every entry whose key starts with prefix (writes invalidate what they change). */
    invalidate(prefix) {
        for (const k of [...this.map.keys()]) {
            if (!k.startsWith(prefix))
                continue;
            this.map.delete(k);
            this.invalidated.delete(k);
            this.invalidated.set(k, true);
            this.invalidations++;
        }
        while (this.invalidated.size > this.maxSize)
            this.invalidated.delete(this.invalidated.keys().next().value);
    }
    stats() {
        const total = this.hits + this.misses;
        return {
            hit_rate: total ? this.hits / total : 0, size: this.map.size, hits: this.hits, misses: this.misses,
            invalidated_misses: this.invalidatedMisses, invalidations: this.invalidations, max_size: this.maxSize,
        };
    }
}
exports.LruCache = LruCache;
//# sourceMappingURL=lru.js.map