import { OpenFeature } from "@openfeature/server-sdk";
import { createClient } from "@rampart/sdk";
import { RampartProvider } from "@rampart/sdk/openfeature";
import { runService } from "./service-flow.cjs";

await runService({ createClient, RampartProvider, OpenFeature });
