import { describe, expect, it } from "vitest";
import { answerToCsv } from "./csv";
import { fileSlug } from "./download";

describe("answerToCsv", () => {
  it("writes a header of output names, then the rows, quoting what needs quotes", () => {
    const csv = answerToCsv({
      columns: [
        { name: "city", type: "text" },
        { name: "avg_temp", type: "float" },
        { name: "sunny", type: "boolean" },
      ],
      rows: [
        { city: 'Portland, "OR"', avg_temp: 12.5, sunny: false },
        { city: "Line\nbreak", avg_temp: null, sunny: true },
      ],
    });
    expect(csv).toBe('city,avg_temp,sunny\r\n"Portland, ""OR""",12.5,false\r\n"Line\nbreak",,true\r\n');
  });
});

describe("fileSlug", () => {
  it("makes a file name from a title", () => {
    expect(fileSlug("Température max — by Month!")).toBe("temperature-max-by-month");
    expect(fileSlug("   ")).toBe("chart");
  });
});
