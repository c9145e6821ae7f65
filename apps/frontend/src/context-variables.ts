import type { Logger } from 'pino';
import type { MerchantApi } from './api.js';
import type { SessionData, SessionOptions } from './session/session.js';

/** Hono context variables set by the middleware chain in app.ts. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    locale: string;
    session: SessionData;
    sessionOptions: SessionOptions;
    /** Set for signed-in routes only. */
    api: MerchantApi;
  };
}
