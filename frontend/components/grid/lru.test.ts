import { describe, expect, it } from "vitest";
import { LruCache } from "./lru";

describe("LruCache", () => {
  it("evicts the least recently used entry past its capacity", () => {
    const cache = new LruCache<number, string>(3);
    cache.set(0, "a");
    cache.set(200, "b");
    cache.set(400, "c");
    cache.set(600, "d");

    expect(cache.has(0)).toBe(false);
    expect(cache.keys()).toEqual([200, 400, 600]);
    expect(cache.size).toBe(3);
  });

  it("counts a get as a use, so a page just read survives the next eviction", () => {
    const cache = new LruCache<number, string>(3);
    cache.set(0, "a");
    cache.set(200, "b");
    cache.set(400, "c");

    expect(cache.get(0)).toBe("a");
    cache.set(600, "d");

    expect(cache.keys()).toEqual([400, 0, 600]);
    expect(cache.has(200)).toBe(false);
  });

  it("does not reorder on peek, and replaces a value set twice without growing", () => {
    const cache = new LruCache<number, string>(2);
    cache.set(0, "a");
    cache.set(200, "b");
    expect(cache.peek(0)).toBe("a");
    cache.set(200, "b2");
    cache.set(400, "c");

    expect(cache.keys()).toEqual([200, 400]);
    expect(cache.get(200)).toBe("b2");
    expect(cache.get(0)).toBeUndefined();
  });

  it("empties on clear and refuses a capacity below one", () => {
    const cache = new LruCache<string, number>(20);
    cache.set("x", 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
