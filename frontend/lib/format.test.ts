import { describe, expect, it } from "vitest";
import { formatBytes } from "./format";

const MB = 1024 * 1024;
const GB = 1024 * MB;

describe("formatBytes", () => {
  it("says bytes, kilobytes, megabytes and gigabytes the way people read them", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(168 * MB)).toBe("168 MB");
    expect(formatBytes(2 * GB)).toBe("2.0 GB");
    expect(formatBytes(2.4 * GB)).toBe("2.4 GB");
  });

  it("moves to the next unit when rounding reaches 1024", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MB");
    expect(formatBytes(1023)).toBe("1023 B");
  });
});
