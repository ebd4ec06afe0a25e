import { describe, expect, it } from "vitest";
import { PROPS } from "./fixtures";
import { parseSqlEditorProps } from "./props";

describe("parseSqlEditorProps", () => {
  it("reads the props editor_props builds", () => {
    expect(parseSqlEditorProps(JSON.parse(JSON.stringify(PROPS)))).toEqual(PROPS);
  });

  it("names the bad key", () => {
    expect(() => parseSqlEditorProps({ ...PROPS, tables: "x" })).toThrow(/"tables"/);
    expect(() => parseSqlEditorProps({ ...PROPS, canSave: "yes" })).toThrow(/"canSave"/);
    expect(() => parseSqlEditorProps({ ...PROPS, tables: [{ ...PROPS.tables[0], version: "2" }] })).toThrow(
      /"version"/,
    );
  });
});
