import { useEffect, useRef, useState } from "react";
import type { CreatedToken } from "./types";

interface Props {
  token: CreatedToken;
  onDismiss: () => void;
}

/** The full secret of a token just created: the only time the user can see it. */
export function NewTokenSecret({ token, onDismiss }: Props) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const box = useRef<HTMLElement>(null);
  const canCopy = typeof navigator !== "undefined" && typeof navigator.clipboard?.writeText === "function";

  useEffect(() => {
    box.current?.focus();
  }, [token.token]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  }

  return (
    <section className="alert alert-success stack" ref={box} tabIndex={-1} aria-labelledby={`new-token-${token.id}`}>
      <p id={`new-token-${token.id}`}>
        <strong>Token “{token.name}” created.</strong> Copy this token now. You will not be able to see it again.
      </p>
      <div className="row island-secret-row">
        <code className="secret" data-testid="token-secret">
          {token.token}
        </code>
        {canCopy ? (
          <button type="button" className="btn btn-small" onClick={copy}>
            {copyState === "copied" ? "Copied" : "Copy"}
          </button>
        ) : null}
        <button type="button" className="btn btn-small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {copyState === "failed" ? <p className="muted">Copying failed: select the token and copy it by hand.</p> : null}
    </section>
  );
}
