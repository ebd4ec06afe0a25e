const STYLE_ID = "react-draggable-style-el";

/**
 * react-draggable adds a `<style id="react-draggable-style-el">` to the page on the first drag, unless an
 * element with that id exists. The pages' CSP refuses inline styles (a console error on every page that
 * drags), and dashboard.css already holds the same rules, so an inert element takes the id first.
 */
export function claimDraggableStyleSlot(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID) !== null) return;
  const marker = doc.createElement("meta");
  marker.id = STYLE_ID;
  doc.head.append(marker);
}
