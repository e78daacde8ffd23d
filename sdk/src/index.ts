export type { FlagState } from "./flag-state";
export { basisPointsToPercentage, percentageToBasisPoints } from "./flag-state";
