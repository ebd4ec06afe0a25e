// Copying one cell's value to the clipboard, with a short-lived status line saying how it went.
import { useEffect, useState } from "react";
import { copyTextOf, copyToClipboard } from "./values";

const COPY_STATUS_MS = 2000;

/** `cellValue` gives the cell's value, or undefined while its row is still loading. */
export function useCopyCell<Cell>(cellValue: (cell: Cell) => { value: unknown } | undefined) {
  const [status, setStatus] = useState("");

  useEffect(() => {
    if (status === "") return;
    const timer = setTimeout(() => setStatus(""), COPY_STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);

  async function copy(cell: Cell) {
    const found = cellValue(cell);
    if (found === undefined) {
      setStatus("This row is still loading.");
      return;
    }
    const copied = await copyToClipboard(copyTextOf(found.value));
    setStatus(copied ? "Copied" : "The browser did not allow copying here; select the text instead.");
  }

  return { status, copy };
}
