/** The environment pages and the API act in when none is named; every installation starts with it (migration 0001). */
export const DEFAULT_ENVIRONMENT = "production";
