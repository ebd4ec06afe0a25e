// Test helpers: build the markup Django renders for an island ({% island %} plus json_script).

export function addJsonScript(id: string, value: unknown): void {
  const script = document.createElement("script");
  script.type = "application/json";
  script.id = id;
  script.textContent = typeof value === "string" ? value : JSON.stringify(value);
  document.body.append(script);
}

export function addIsland(name: string, propsId: string, props: unknown): HTMLElement {
  const element = document.createElement("div");
  element.dataset.island = name;
  element.dataset.props = propsId;
  document.body.append(element);
  addJsonScript(propsId, props);
  return element;
}

/** Entry tests mount through mountIslands as the page does, outside act(): tell React, and wait with findBy*. */
export function mountLikeThePage(): void {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
}
