/** Limits shared by the transports. */

/**
 * Largest JSON-RPC message accepted (HTTP body, stdio line). Tool arguments are small; 4 MiB leaves room
 * for SQL text and bulk parameters while bounding what one request can make the daemon buffer.
 */
export const kMaxMessageBytes = 4 * 1024 * 1024;

/** Legacy-era HTTP sessions unused this long are closed (their client re-initializes on the 404). */
export const kSessionIdleMs = 30 * 60 * 1000;
