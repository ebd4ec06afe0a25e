import { useCallback, useEffect, useState } from "react";
import { apiDelete, apiGetAll, errorMessage } from "../../lib/api";
import { CreateTokenForm } from "./CreateTokenForm";
import { NewTokenSecret } from "./NewTokenSecret";
import { TokenTable } from "./TokenTable";
import type { TokensProps } from "./props";
import { parseToken, type CreatedToken, type Token } from "./types";

// A user has a handful of tokens; the page cap only guards against a runaway `next` chain.
function fetchAllTokens(apiUrl: string, signal?: AbortSignal): Promise<Token[]> {
  return apiGetAll(apiUrl, parseToken, { signal });
}

function tokenUrl(apiUrl: string, id: number): string {
  return `${apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`}${id}/`;
}

export function TokensIsland({ apiUrl }: TokensProps) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [revokingId, setRevokingId] = useState<number | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const all = await fetchAllTokens(apiUrl, signal);
        setTokens(all);
        setLoadError(null);
      } catch (error) {
        if (!signal?.aborted) setLoadError(errorMessage(error));
      }
    },
    [apiUrl],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  async function revoke(token: Token) {
    if (!window.confirm(`Revoke the token “${token.name}”? Scripts using it will stop working.`)) return;
    setRevokeError(null);
    setRevokingId(token.id);
    try {
      await apiDelete(tokenUrl(apiUrl, token.id));
      setTokens((current) => current?.filter((t) => t.id !== token.id) ?? null);
    } catch (error) {
      setRevokeError(`Could not revoke “${token.name}”: ${errorMessage(error)}`);
    } finally {
      setRevokingId(null);
    }
  }

  function handleCreated(token: CreatedToken) {
    setCreated(token);
    void load();
  }

  let list = null;
  if (tokens !== null) list = <TokenTable tokens={tokens} revokingId={revokingId} onRevoke={revoke} />;
  else if (loadError === null) list = <p className="muted">Loading tokens…</p>;

  return (
    <div className="stack island-tokens">
      <CreateTokenForm apiUrl={apiUrl} onSubmitStart={() => setCreated(null)} onCreated={handleCreated} />
      {created !== null ? <NewTokenSecret token={created} onDismiss={() => setCreated(null)} /> : null}
      {loadError !== null ? (
        <div className="alert alert-error" role="alert">
          Could not load your tokens: {loadError}{" "}
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : null}
      {revokeError !== null ? (
        <div className="alert alert-error" role="alert">
          {revokeError}
        </div>
      ) : null}
      {list}
    </div>
  );
}
