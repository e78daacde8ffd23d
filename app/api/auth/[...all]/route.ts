import { handleAuthRequest } from "@/lib/auth/auth";

// better-auth's own endpoints: sign-in, sign-out, session. Its handler answers errors itself.
async function handle(request: Request): Promise<Response> {
  return handleAuthRequest(request);
}

export { handle as GET, handle as POST };
