import type { Actor } from "@/lib/auth/actor";
import { getAuth } from "@/lib/auth/auth";
import { forwardedHost } from "@/lib/auth/trusted-proxies";
import { findCredentialActor } from "@/lib/credentials/credential-actor";
import type { Db } from "@/lib/db/client";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

// Here, not in lib/auth: the bearer lookup is lib/credentials', which builds on auth's Actor and
// Role, so auth may not import it; the route wrapper composes sessions (auth) and credentials.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who is calling: a bearer API token or SDK key, else the signed-in user's session cookie.
 * Nobody → 401. A cookie on a cross-site mutating request → 403.
 */
export async function authenticate(db: Db, request: Request): Promise<Actor> {
  const secret = bearerSecret(request);
  if (secret !== null) return authenticateBearer(db, secret);

  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session) throw new UnauthorizedError();
  const { user } = session;
  if (user.disabled) throw new UnauthorizedError("This account is disabled.");
  if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
  return { kind: "user", name: user.email, role: user.role as Actor["role"], environment: null };
}

async function authenticateBearer(db: Db, secret: string): Promise<Actor> {
  const actor = await findCredentialActor(db, secret);
  if (!actor) throw new UnauthorizedError("The bearer token is unknown or revoked.");
  return actor;
}

/** `Authorization: Bearer <secret>` → the secret; anything else → null. */
function bearerSecret(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

/**
 * CSRF defence beside SameSite=Lax cookies: a browser names the page that sent a mutating
 * request in Origin, and it must be this server: its Host, RAMPART_URL, or the host a trusted
 * proxy reports in X-Forwarded-Host (any client can send that header, so only then).
 */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const allowed = new Set([(request.headers.get("host") ?? new URL(request.url).host).toLowerCase()]);
  const forwarded = forwardedHost(request.headers);
  if (forwarded) allowed.add(forwarded);
  if (process.env.RAMPART_URL) allowed.add(new URL(process.env.RAMPART_URL).host);

  const sameOrigin = origin !== null && origin !== "null" && allowed.has(safeHost(origin));
  if (!sameOrigin || (fetchSite !== null && fetchSite !== "same-origin")) {
    throw new ForbiddenError("Cross-site request refused: send it from Rampart's own pages or use an API token.", "cross_site_request");
  }
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return "";
  }
}
