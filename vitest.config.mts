import path from "node:path";
import { defineConfig } from "vitest/config";

// Without DATABASE_URL every test file gets its own in-memory PGlite; with it, all share
// that PostgreSQL database, so tests create their own flags with unique keys.
const onPostgres = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  resolve: {
    // @rampart/sdk from its source, as tsconfig.json's paths have it: the package's exports
    // point at sdk/dist, which exists only after `npm run build -w @rampart/sdk`.
    alias: [
      { find: /^@rampart\/sdk$/, replacement: path.resolve(import.meta.dirname, "sdk/src/index.ts") },
      { find: /^@rampart\/sdk\/openfeature$/, replacement: path.resolve(import.meta.dirname, "sdk/src/openfeature.ts") },
      { find: "@", replacement: path.resolve(import.meta.dirname) },
    ],
  },
  test: {
    environment: "node",
    include: ["{lib,app,sdk,db,scripts}/**/*.test.ts", ...(onPostgres ? ["{lib,app,db}/**/*.pg-test.ts"] : [])],
    // The token scripts/server.mjs makes at each boot, fixed here so tests can connect "from" an address.
    env: { RAMPART_PEER_ADDRESS_TOKEN: "vitest-peer-token", ...(onPostgres ? {} : { RAMPART_DATA_DIR: "memory://" }) },
    // Files sharing one PostgreSQL database run one at a time: some add environments (and their
    // application databases) that others enumerate. With PGlite each file has its own database.
    fileParallelism: !onPostgres,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
