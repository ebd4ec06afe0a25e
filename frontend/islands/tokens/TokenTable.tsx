import { formatDate } from "../../lib/format";
import type { Token } from "./types";

interface Props {
  tokens: Token[];
  revokingId: number | null;
  onRevoke: (token: Token) => void;
}

function isExpired(token: Token): boolean {
  return token.expires_at !== null && Date.parse(token.expires_at) < Date.now();
}

export function TokenTable({ tokens, revokingId, onRevoke }: Props) {
  if (tokens.length === 0) return <p className="muted">No tokens yet.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scope</th>
          <th scope="col">Token</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col" aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => (
          <tr key={token.id}>
            <td>{token.name}</td>
            <td>
              <span className="badge">{token.scope}</span>
            </td>
            <td>
              <code>{token.prefix}…</code>
            </td>
            <td>{formatDate(token.created_at)}</td>
            <td>
              {formatDate(token.expires_at, "never")}
              {isExpired(token) ? (
                <>
                  {" "}
                  <span className="badge">expired</span>
                </>
              ) : null}
            </td>
            <td>{formatDate(token.last_used_at, "never")}</td>
            <td>
              <button
                type="button"
                className="btn btn-danger btn-small"
                disabled={revokingId === token.id}
                aria-label={`Revoke ${token.name}`}
                onClick={() => onRevoke(token)}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
