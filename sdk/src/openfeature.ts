// A separate entry (`@rampart/sdk/openfeature`) so the main entry never loads @openfeature/server-sdk.
export type { RampartProviderOptions } from "./openfeature-provider";
export { OPENFEATURE_REASONS, RampartProvider, toRampartContext } from "./openfeature-provider";
