const { OpenFeature } = require("@openfeature/server-sdk");
const { createClient } = require("@rampart/sdk");
const { RampartProvider } = require("@rampart/sdk/openfeature");
const { runService } = require("./service-flow.cjs");

runService({ createClient, RampartProvider, OpenFeature }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
