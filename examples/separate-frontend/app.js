// A front end deployed apart from Datamill: JWT sign-in, the person's datasets, an aggregate query.
// Everything goes through the public API across origins (CORS); no cookie is involved, so no CSRF token.

const api = (new URLSearchParams(location.search).get("api") ||
  document.querySelector('meta[name="datamill-api"]').content).replace(/\/$/, "");
const REFRESH_KEY = "datamill.refresh"; // the refresh token survives a reload of this tab only
let access = null;

const $ = (id) => document.getElementById(id);

function show(id, visible) {
  $(id).hidden = !visible;
}

function problem(message) {
  $("problem").textContent = message;
  show("problem", Boolean(message));
}

function errorMessage(body, status) {
  return body?.error?.message || `Datamill answered ${status}.`;
}

async function call(path, { method = "GET", body, auth = true, retry = true } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && access) headers.Authorization = `Bearer ${access}`;
  let response;
  try {
    response = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Error(
      `Could not reach Datamill at ${api}. If it is running, this page's origin (${location.origin}) ` +
        "is probably not in its CORS_ALLOWED_ORIGINS.",
    );
  }
  if (response.status === 401 && auth && retry && sessionStorage.getItem(REFRESH_KEY)) {
    await refresh();
    return call(path, { method, body, auth, retry: false });
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error(errorMessage(data, response.status));
  return data;
}

function keep(pair) {
  access = pair.access;
  sessionStorage.setItem(REFRESH_KEY, pair.refresh);
}

async function refresh() {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  try {
    keep(await call("/api/v1/auth/jwt/refresh/", { method: "POST", body: { refresh: refreshToken }, auth: false }));
  } catch (error) {
    signedOut();
    throw error;
  }
}

function signedOut() {
  access = null;
  sessionStorage.removeItem(REFRESH_KEY);
  $("who").textContent = "";
  show("sign-out", false);
  show("sign-in", true);
  show("datasets", false);
  show("query", false);
}

async function signedIn() {
  const me = await call("/api/v1/me/");
  $("who").textContent = me.email;
  show("sign-out", true);
  show("sign-in", false);
  await listDatasets();
}

async function listDatasets() {
  const page = await call("/api/v1/datasets/");
  const list = $("dataset-list");
  list.replaceChildren();
  for (const dataset of page.results) {
    const item = document.createElement("li");
    const label = document.createElement("span");
    const rows = dataset.current_version?.row_count;
    label.textContent = `${dataset.title} (${dataset.workspace})${rows == null ? "" : `, ${rows} rows`}`;
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = "Aggregate";
    open.setAttribute("aria-label", `Aggregate ${dataset.title}`);
    open.disabled = !dataset.current_version || dataset.current_version.status !== "ready";
    open.addEventListener("click", () => chooseDataset(dataset).catch((error) => problem(error.message)));
    item.append(label, open);
    list.append(item);
  }
  if (!page.results.length) list.textContent = "No datasets yet.";
  show("datasets", true);
}

let current = null;

async function chooseDataset(dataset) {
  problem("");
  const version = await call(`/api/v1/datasets/${dataset.id}/versions/${dataset.current_version.number}/`);
  current = dataset;
  $("query-title").textContent = `Aggregate ${dataset.title}`;
  const groupBy = $("query-form").elements.group_by;
  const measure = $("query-form").elements.measure;
  groupBy.replaceChildren(...version.columns.map((column) => new Option(column.name, column.name)));
  const numbers = version.columns.filter((column) => ["integer", "bigint", "float"].includes(column.type));
  measure.replaceChildren(
    new Option("count", "count"),
    ...numbers.map((column) => new Option(`avg of ${column.name}`, `avg:${column.name}`)),
  );
  show("result", false);
  show("query", true);
}

async function runQuery(event) {
  event.preventDefault();
  problem("");
  const form = event.target.elements;
  const [fn, column] = form.measure.value.split(":");
  const body = {
    group_by: [form.group_by.value],
    measures: [column ? { fn, column } : { fn }],
    order_by: [{ column: form.group_by.value }],
    limit: 100,
  };
  const answer = await call(`/api/v1/datasets/${current.id}/query/`, { method: "POST", body });
  const table = $("result");
  const head = document.createElement("tr");
  head.append(...answer.columns.map((c) => Object.assign(document.createElement("th"), { textContent: c.name })));
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(
    ...answer.rows.map((row) => {
      const tr = document.createElement("tr");
      for (const c of answer.columns) {
        const td = document.createElement("td");
        td.textContent = row[c.name] ?? "";
        if (typeof row[c.name] === "number") td.className = "num";
        tr.append(td);
      }
      return tr;
    }),
  );
  show("result", true);
}

async function signIn(event) {
  event.preventDefault();
  problem("");
  const form = event.target.elements;
  $("status").textContent = "Signing in…";
  try {
    keep(
      await call("/api/v1/auth/jwt/", {
        method: "POST",
        body: { email: form.email.value, password: form.password.value },
        auth: false,
      }),
    );
    form.password.value = "";
    await signedIn();
  } catch (error) {
    problem(error.message);
  } finally {
    $("status").textContent = "";
  }
}

async function signOut() {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  signedOut();
  if (refreshToken) {
    await call("/api/v1/auth/jwt/revoke/", { method: "POST", body: { refresh: refreshToken }, auth: false }).catch(
      (error) => problem(error.message),
    );
  }
}

$("api-origin").textContent = `API: ${api}`;
$("sign-in-form").addEventListener("submit", signIn);
$("query-form").addEventListener("submit", (event) => runQuery(event).catch((error) => problem(error.message)));
$("sign-out").addEventListener("click", signOut);
if (sessionStorage.getItem(REFRESH_KEY)) {
  refresh()
    .then(signedIn)
    .catch(() => signedOut());
}
