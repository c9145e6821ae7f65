/** @payday/frontend: the merchant dashboard. */
export type { DashboardApi, MerchantApi } from './api.js';
export { ApiError, ApiUnavailableError } from './api.js';
export { createDashboardApi } from './api-client.js';
export {
  type ApiAnswer,
  type ApiRequest,
  type Exchange,
  undiciExchange,
  withDeadline,
} from './api-transport.js';
export { type AppDeps, createApp } from './app.js';
export { ConfigError, type FrontendConfig, loadConfig } from './config.js';
export { type RunningFrontend, start } from './server.js';
