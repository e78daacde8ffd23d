import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships wasm and must load from node_modules at run time, not from the bundle.
  serverExternalPackages: ["@electric-sql/pglite"],
  transpilePackages: ["@rampart/sdk"],
  poweredByHeader: false,
};

export default nextConfig;
