// The server's public HTTP API, as the web atlas uses it: /vocabulaire, /criteres, items, styles, processes.
// No search logic here: the server turns criteria into CQL2 filters (/criteres).

const ROOT = document.body.dataset.root || "";

export function url(path, params) {
  const target = new URL(ROOT + path, window.location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") target.searchParams.set(key, value);
  }
  return target.toString();
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function check(response) {
  if (response.ok) return response;
  let message = response.statusText;
  try {
    const body = await response.json();
    message = body.description || body.detail || JSON.stringify(body);
  } catch (_) { /* not JSON */ }
  throw new ApiError(response.status, message);
}

export async function getJson(path, params, signal) {
  const headers = { Accept: "application/json" };
  const response = await fetch(url(path, { f: "json", ...params }), { signal, headers });
  return (await check(response)).json();
}

export const vocabulary = () => getJson("/vocabulaire");

/** The criteria (flat parameters) normalised by the server, described in words, with each collection's query. */
export const criteres = (params, signal) => getJson("/criteres", params, signal);

/** One page of a collection's items (GeoJSON) with the query of /criteres for that collection. */
export function items(collection, query, { limit = 20, offset = 0, properties, skipGeometry, sortby } = {}, signal) {
  return getJson(`/collections/${collection}/items`, {
    ...query, limit, offset, properties, sortby, skipGeometry: skipGeometry ? "true" : undefined,
  }, signal);
}

export const style = (collection) => getJson(`/styles/${collection}.maplibre.json`);

/** Process inputs of flat criteria: lists as arrays, booleans and years typed. */
export function processInputs(criteria, kinds) {
  const inputs = {};
  for (const [name, value] of Object.entries(criteria)) {
    const kind = kinds[name];
    if (kind === "codes" || kind === "ids") inputs[name] = String(value).split(",").filter(Boolean);
    else if (kind === "bool") inputs[name] = value === "true";
    else if (kind === "year") inputs[name] = Number(value);
    else inputs[name] = value;
  }
  return inputs;
}

/** Execute a process synchronously; JSON results are parsed, files returned as a Blob. */
export async function execute(process, inputs, signal) {
  const response = await check(await fetch(url(`/processes/${process}/execution`), {
    method: "POST", signal, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ inputs }),
  }));
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.blob();
}

/** Start a process as an asynchronous job (Prefer: respond-async); returns the job's status URL. */
export async function startJob(process, inputs) {
  const response = await check(await fetch(url(`/processes/${process}/execution`), {
    method: "POST", headers: { "Content-Type": "application/json", Prefer: "respond-async" },
    body: JSON.stringify({ inputs }),
  }));
  const location = response.headers.get("Location");
  if (!location) throw new ApiError(response.status, "no job location");
  const job = new URL(location, window.location.origin);
  return url(job.pathname.slice(ROOT.length));
}

/** Poll a job until it ends; onProgress(percent) on each status. Resolves to the results URL. */
export async function waitJob(jobUrl, onProgress, everyMs = 500) {
  for (;;) {
    const status = await (await check(await fetch(jobUrl + "?f=json"))).json();
    const state = String(status.status || "").toLowerCase();
    onProgress(Number(status.progress) || 0, state);
    if (state === "successful") {
      const link = (status.links || []).find((l) => String(l.rel || "").endsWith("results"));
      const target = link ? new URL(link.href, window.location.origin) : new URL(jobUrl + "/results");
      return url(target.pathname.slice(ROOT.length), { f: target.searchParams.get("f") || undefined });
    }
    if (state === "failed" || state === "dismissed") throw new ApiError(500, status.message || state);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
