// Reads of the public API, with the read key from session storage when there is one.

export const KEY_STORAGE = "alignwatch.readKey";

export class AuthNeeded extends Error {
  constructor(detail, status) {
    super(detail);
    this.status = status;
  }
}

export function readKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function apiUrl(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, value);
  }
  return url.pathname + url.search;
}

export async function apiFetch(path, params = {}) {
  const headers = { Accept: "application/json" };
  const key = readKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(apiUrl(path, params), { headers, credentials: "omit" });
  if (response.status === 401 || response.status === 403) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch {
      /* not problem+json */
    }
    throw new AuthNeeded(detail, response.status);
  }
  return response;
}

export async function api(path, params = {}) {
  const response = await apiFetch(path, params);
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch {
      /* not problem+json */
    }
    throw new Error(`${path}: ${detail}`);
  }
  return response.json();
}
