import { AsyncLocalStorage } from 'node:async_hooks';

/** The request being served, so that every log line can carry its id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export const currentRequestId = (): string | undefined => requestContext.getStore()?.requestId;
