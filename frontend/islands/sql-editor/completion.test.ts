import { describe, expect, it } from "vitest";
import { completionSchema, sqlName } from "./completion";
import { PROPS } from "./fixtures";

describe("completionSchema", () => {
  it("offers tables by workspace, this workspace's unqualified, with their columns and types", () => {
    const { schema, defaultSchema } = completionSchema(PROPS.tables);
    expect(defaultSchema).toBe("acme");
    const acme = (
      schema as unknown as Record<
        string,
        { children: Record<string, { self: { apply: string }; children: unknown[] }> }
      >
    ).acme;
    expect(acme?.children.stations?.children).toEqual([
      { label: "station", apply: "station", type: "property", detail: "text" },
      { label: "city", apply: "city", type: "property", detail: "text" },
    ]);
    const other = (
      schema as unknown as Record<
        string,
        { children: Record<string, { self: { apply: string }; children: { apply: string }[] }> }
      >
    ).other;
    expect(other?.children["sales-2024"]?.self.apply).toBe('"sales-2024"');
    expect(other?.children["sales-2024"]?.children[0]?.apply).toBe('"Net Amount"');
  });

  it("quotes only names that need it", () => {
    expect(sqlName("city")).toBe("city");
    expect(sqlName('we"ird')).toBe('"we""ird"');
  });
});
