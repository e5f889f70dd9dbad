// Bundled in place of @aws-sdk/credential-provider-node (see esbuild.config.cjs). In Lambda the execution role's
// credentials are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the
// SDK's own environment provider is the whole chain; the SSO, INI, process and web-identity providers (~90 KB
// minified with their nested STS/SSO clients) can never apply there.
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
