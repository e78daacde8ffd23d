import { z } from "zod";

export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** The API's one error body, or a stand-in for network failures and unexpected answers. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** A network failure, overload or database outage: worth trying again, unlike a refusal. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /** The message for one request field ("percentage", "removalTicket.dueDate"), if the API named it. */
  fieldMessage(path: string): string | undefined {
    return this.details.find((detail) => detail.path === path)?.message;
  }
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
  }),
});

export interface ApiRequest {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** The flag state version the page showed; a newer one on the server answers 409. */
  ifMatch?: number;
}

/** Calls the Rampart API with the session cookie (audited as source=ui) and throws ApiError on failure. */
export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (request.ifMatch !== undefined) headers["if-match"] = String(request.ifMatch);

  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch {
    throw new ApiError(0, "network_error", "Could not reach Rampart. Check the connection and try again.");
  }

  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;

  const parsed = errorBodySchema.safeParse(payload);
  if (!parsed.success) {
    throw new ApiError(response.status, `http_${response.status}`, `The request failed (HTTP ${response.status}).`);
  }
  const { code, message, details, requestId } = parsed.data.error;
  throw new ApiError(response.status, code, message, details, requestId ?? null);
}
