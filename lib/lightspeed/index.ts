/**
 * The Lightspeed Retail (R-Series) module: the only code that talks to Lightspeed. See sandbox/lightspeed/README.md
 * for the API's behaviour this client is written against.
 */
export * from "./domain";
export { createLightspeedClient, SALE_RELATIONS, ITEM_RELATIONS } from "./client";
export type { LightspeedClient, LightspeedStats, LsCursor, Page, ReadOptions, CreateLightspeedClientOptions } from "./client";
export { lightspeedConfig, type LsConfig } from "./config";
export { saveLightspeedTokens, markLightspeedNeedsReauth, loadLightspeedCredentials, type LightspeedTokens } from "./token-store";
export { verifyLightspeedAccessToken, type LightspeedAccessClaims, type VerifyAccessTokenOptions } from "./verify-access-token";
export { verifyLaunchUrl, type LaunchContext, type VerifyLaunchOptions } from "./verify-launch-url";
export { lsInstant, buildQuery, predictCost, type LsFilter, type LsOperator, type LsQuery } from "./query";
