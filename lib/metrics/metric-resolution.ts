/** The bucket sizes path metrics are kept at. */
export const metricResolutions = ["minute", "hour"] as const;
export type MetricResolution = (typeof metricResolutions)[number];
