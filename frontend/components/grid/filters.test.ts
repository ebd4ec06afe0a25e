import { describe, expect, it } from "vitest";
import { parsePeriod, periodText } from "./filters";
import { fillWidths } from "./state";

describe("a date column's period filter", () => {
  it("reads a year, a month, a day and ranges of them as ISO bounds", () => {
    expect(parsePeriod("date", "2024")).toEqual({ min: "2024-01-01", max: "2024-12-31" });
    expect(parsePeriod("date", "2024-02")).toEqual({ min: "2024-02-01", max: "2024-02-29" });
    expect(parsePeriod("date", "2023-02")).toEqual({ min: "2023-02-01", max: "2023-02-28" });
    expect(parsePeriod("date", " 2024-02-29 ")).toEqual({ min: "2024-02-29", max: "2024-02-29" });
    expect(parsePeriod("date", "2024-01..2024-03")).toEqual({ min: "2024-01-01", max: "2024-03-31" });
    expect(parsePeriod("date", "2024-02-10..")).toEqual({ min: "2024-02-10", max: "" });
    expect(parsePeriod("date", "..2023")).toEqual({ min: "", max: "2023-12-31" });
    expect(parsePeriod("date", "2012 to 2013")).toEqual({ min: "2012-01-01", max: "2013-12-31" });
    expect(parsePeriod("date", "")).toEqual({ min: "", max: "" });
  });

  it("refuses what is not a period, so nothing half-typed is sent", () => {
    for (const text of [
      "20",
      "2024-1",
      "2024-13",
      "2023-02-29",
      "2024/02/01",
      "01/02/2024",
      "..",
      "2024..2023",
      "a..b",
      "2024-01-01T08:00",
    ]) {
      expect(parsePeriod("date", text), text).toBeNull();
    }
  });

  it("gives a timestamp column whole days, or exact moments", () => {
    expect(parsePeriod("timestamp", "2024-01-31")).toEqual({ min: "2024-01-31", max: "2024-01-31T23:59:59.999999" });
    expect(parsePeriod("timestamp", "2024-01-31 08:00..2024-01-31T18:00")).toEqual({
      min: "2024-01-31T08:00",
      max: "2024-01-31T18:00",
    });
  });

  it("shows the bounds it set as the shortest period, and other bounds as a range", () => {
    for (const text of ["2024", "2024-02", "2024-02-29", "2024-02-10..", "..2023-12-31", "2024-01-05..2024-02-10"]) {
      expect(periodText("date", parsePeriod("date", text)!), text).toBe(text);
    }
    expect(periodText("date", { min: "2024-01-01", max: "2024-03-31" })).toBe("2024-01-01..2024-03-31");
    expect(periodText("timestamp", parsePeriod("timestamp", "2024-01")!)).toBe("2024-01");
    expect(periodText("date", { min: "", max: "" })).toBe("");
  });
});

describe("columns filling the grid's width", () => {
  it("shares the room left among the columns the user did not resize, ending at the edge", () => {
    const filled = fillWidths([100, 200, 100], [false, true, false], 1000);
    expect(filled[1]).toBe(200);
    expect(filled.reduce((sum, width) => sum + width, 0)).toBe(1000);
    expect(filled[0]).toBe(400);
  });

  it("leaves wider sets, fully resized sets and an unmeasured viewport as they are", () => {
    expect(fillWidths([600, 600], [false, false], 1000)).toEqual([600, 600]);
    expect(fillWidths([100, 100], [true, true], 1000)).toEqual([100, 100]);
    expect(fillWidths([100, 100], [false, false], 0)).toEqual([100, 100]);
  });
});
