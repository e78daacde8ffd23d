import { defineConfig } from "tsup";

// ESM and CommonJS builds of the two public entries, with .d.ts/.d.cts and source maps, for Node ≥ 18.
// eventsource-parser is bundled: it ships ESM only and declares Node ≥ 22.12, so a `require()`
// on Node 18/20 could not load it. @datadog/sketches-js stays a dependency (CommonJS, no deps of
// its own; it loads protobufjs only inside toProto/fromProto, which the SDK never calls).
export default defineConfig({
  // `evaluator` is not exported: as its own entry it gets its own chunk, so a service bundling
  // only `evaluate` (with sideEffects: false) leaves out the client and @datadog/sketches-js.
  entry: { index: "src/index.ts", openfeature: "src/openfeature.ts", evaluator: "src/evaluator.ts" },
  format: ["esm", "cjs"],
  platform: "node",
  target: "node18",
  tsconfig: "tsconfig.build.json",
  dts: true,
  sourcemap: true,
  clean: true,
  // Shared chunks in both formats, so a client made from the main entry is a RampartClient to
  // the provider in `./openfeature` (its `instanceof` check) under `require()` too.
  splitting: true,
  // Rollup writes the CommonJS chunks (tsup would otherwise convert them with sucrase, which
  // downlevels ?. and ?? into helper calls on the evaluation path).
  treeshake: true,
  outDir: "dist",
  noExternal: ["eventsource-parser"],
});
