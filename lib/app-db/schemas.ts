import { z } from "zod";
import { appDbKinds, DSN_SCHEMES } from "./app-db-kind";

export const addAppDatabaseSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/, "must be 1–64 letters, digits, spaces or _ . : -"),
    kind: z.enum(appDbKinds, "must be postgresql or mysql"),
    /** Never echoed back, not even in an error: the messages name the problem, not the value. */
    dsn: z.string().min(1, "is required").max(2_000, "must be at most 2000 characters"),
  })
  .superRefine((input, ctx) => {
    const schemes = DSN_SCHEMES[input.kind];
    let url: URL;
    try {
      url = new URL(input.dsn);
    } catch {
      ctx.addIssue({ code: "custom", path: ["dsn"], message: `must be a URL such as ${schemes[0]}//user:password@host:port/database` });
      return;
    }
    if (!schemes.includes(url.protocol)) ctx.addIssue({ code: "custom", path: ["dsn"], message: `must start with ${schemes.map((s) => `${s}//`).join(" or ")} for ${input.kind}` });
    else if (!url.hostname) ctx.addIssue({ code: "custom", path: ["dsn"], message: "must name a host" });
  });
export type AddAppDatabaseInput = z.infer<typeof addAppDatabaseSchema>;
