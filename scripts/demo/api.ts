// The demo's calls to Rampart's API, as one principal (the admin token): JSON in, status and JSON out.
export type Api = (path: string, method: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export function apiClient(baseUrl: string, token: string): Api {
  return async (path, method, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the error message.
    }
    return { status: response.status, body: parsed };
  };
}

/** Throws what was being done and what Rampart answered. */
export function apiFailure(what: string, result: { status: number; body: unknown }): never {
  throw new Error(`${what}: HTTP ${result.status} ${typeof result.body === "string" ? result.body : JSON.stringify(result.body)}`);
}
