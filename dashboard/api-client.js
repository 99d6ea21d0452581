// The JSON API with the key this tab was given: kept in sessionStorage (gone with the tab)
// and sent as a Bearer token to this server only.

const KEY = 'clv-dashboard-api-key';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const storedKey = () => sessionStorage.getItem(KEY);
export const storeKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

export async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${storedKey() ?? ''}`, accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  return body;
}
