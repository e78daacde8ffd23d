import { NextResponse, type NextRequest } from "next/server";

// Pages learn the path they render from this header, so sign-in can send people back there.
// Not a security check: every page and route verifies the session itself.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-rampart-path", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|icon.svg).*)"] };
