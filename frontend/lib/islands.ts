// Mounts a React island into every `<div data-island="NAME" data-props="ID">` on the page;
// the props are the JSON in `<script type="application/json" id="ID">` (Django's json_script).
import { createElement, StrictMode, type ComponentType } from "react";
import { createRoot, type Root } from "react-dom/client";

function readProps<P>(element: HTMLElement, name: string, parseProps: (raw: unknown) => P): P {
  const propsId = element.dataset.props;
  if (!propsId) throw new Error(`Island "${name}": the element has no data-props attribute.`);
  const script = document.getElementById(propsId);
  if (script === null) throw new Error(`Island "${name}": no props element with id "${propsId}".`);
  let raw: unknown;
  try {
    raw = JSON.parse(script.textContent ?? "");
  } catch {
    throw new Error(`Island "${name}": props in #${propsId} are not valid JSON.`);
  }
  try {
    return parseProps(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Island "${name}": invalid props in #${propsId}: ${reason}`);
  }
}

function showMountError(element: HTMLElement, error: Error): void {
  const box = document.createElement("div");
  box.className = "alert alert-error";
  box.setAttribute("role", "alert");
  box.textContent = `This part of the page could not be loaded. ${error.message}`;
  element.replaceChildren(box);
}

/**
 * Mount `Component` into each island element named `name`. Islands with bad props show an error in
 * place; the others still mount, and then the first error is thrown so it is not silent.
 */
export function mountIslands<P extends object>(
  name: string,
  Component: ComponentType<P>,
  parseProps: (raw: unknown) => P,
): Root[] {
  const roots: Root[] = [];
  const errors: Error[] = [];
  for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
    // A second run of the same entry (HMR) must not mount twice.
    if (element.dataset.island !== name || element.dataset.islandMounted !== undefined) continue;
    element.dataset.islandMounted = "";
    let props: P;
    try {
      props = readProps(element, name, parseProps);
    } catch (error) {
      const mountError = error instanceof Error ? error : new Error(String(error));
      showMountError(element, mountError);
      errors.push(mountError);
      continue;
    }
    const root = createRoot(element);
    root.render(createElement(StrictMode, null, createElement(Component, props)));
    roots.push(root);
  }
  if (errors.length > 0) throw errors[0];
  return roots;
}
