/** better-auth's provider id for the configured OpenID Connect issuer; shared by server and sign-in page. */
export const OIDC_PROVIDER_ID = "oidc";
