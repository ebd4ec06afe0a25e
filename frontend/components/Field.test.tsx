import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Field, otherFieldErrors } from "./Field";

function describedBy(element: HTMLElement): string[] {
  return (element.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
}

describe("Field", () => {
  it("labels its control and describes it with the hint, and only with elements that exist", () => {
    render(
      <Field label="File" hint="Up to 2.0 GB.">
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText("File");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(describedBy(input).map((id) => document.getElementById(id)?.textContent)).toEqual(["Up to 2.0 GB."]);
  });

  it("shows its errors under the control, marks it invalid and points at them", () => {
    render(
      <Field label="Name" errors={["Enter a name.", "Names are short."]}>
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText("Name");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input).map((id) => document.getElementById(id)?.textContent)).toEqual([
      "Enter a name. Names are short.",
    ]);
  });

  it("has no aria-describedby at all with neither hint nor errors", () => {
    render(
      <Field label="Scope" errors={[]}>
        {(control) => <select {...control} />}
      </Field>,
    );
    expect(screen.getByLabelText("Scope").hasAttribute("aria-describedby")).toBe(false);
  });

  it("leaves the errors of the fields a form shows to those fields", () => {
    expect(
      otherFieldErrors({ name: ["Taken."], non_field_errors: ["Try later."], user: ["Unknown."] }, ["name"]),
    ).toEqual(["Try later.", "Unknown."]);
  });
});
