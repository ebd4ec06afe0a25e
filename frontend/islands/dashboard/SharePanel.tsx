import { useEffect, useState } from "react";
import { apiDelete, apiGet, apiPost, errorMessage } from "../../lib/api";
import { formatDate } from "../../lib/format";

export interface ShareLink {
  id: number;
  token: string;
  url: string;
  created_at: string;
}

function linkUrl(shareLinksUrl: string, id: number): string {
  return `${shareLinksUrl.endsWith("/") ? shareLinksUrl : `${shareLinksUrl}/`}${id}/`;
}

/** Share links: each shows the dashboard read-only to anyone who has it, until it is revoked. */
export function SharePanel({ shareLinksUrl }: { shareLinksUrl: string }) {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<number | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    apiGet<ShareLink[]>(shareLinksUrl, { signal: controller.signal }).then(
      (list) => setLinks(list),
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(caught));
      },
    );
    return () => controller.abort();
  }, [shareLinksUrl]);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const link = await apiPost<ShareLink>(shareLinksUrl);
      setLinks((list) => [link, ...(list ?? [])]);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(link: ShareLink) {
    if (!window.confirm("Revoke this share link? Anyone using it loses access at once.")) return;
    setError(null);
    try {
      await apiDelete(linkUrl(shareLinksUrl, link.id));
      setLinks((list) => (list ?? []).filter((l) => l.id !== link.id));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function copy(link: ShareLink) {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(link.id);
    } catch {
      setError("Copying failed: select the link and copy it by hand.");
    }
  }

  return (
    <section className="card stack" aria-label="Share">
      <h2>Share links</h2>
      <p className="muted small">
        Anyone with a link sees this dashboard read-only, without signing in. It opens nothing else: not the datasets'
        rows, unless they are public.
      </p>
      {links === null && error === null ? <p className="muted">Loading share links…</p> : null}
      {links !== null && links.length === 0 ? <p className="muted">No active share links.</p> : null}
      {links !== null && links.length > 0 ? (
        <ul className="list">
          {links.map((link) => (
            <li key={link.id} className="dashboard-share-link">
              <div className="dashboard-share-url">
                <code>{link.url}</code>
                <div className="muted small">created {formatDate(link.created_at)}</div>
              </div>
              <div className="row">
                <button type="button" className="btn btn-small" onClick={() => copy(link)}>
                  {copied === link.id ? "Copied" : "Copy"}
                </button>
                <button type="button" className="btn btn-small btn-danger" onClick={() => revoke(link)}>
                  Revoke
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {error !== null ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <div>
        <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={create}>
          Create share link
        </button>
      </div>
    </section>
  );
}
