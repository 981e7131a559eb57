import { defineError } from './base.js';

/** The admin socket (`MXCP_ADMIN_ENABLED`, `MXCP_ADMIN_SOCKET`). */
export const adminErrors = {
  MXCP_E_ADMIN_SOCKET_IN_USE: defineError<{ path: string }>(
    'MXCP_E_ADMIN_SOCKET_IN_USE',
    (p) => `Admin socket ${p.path} is answered by another running daemon: stop it, or set MXCP_ADMIN_SOCKET to another path`,
  ),
  MXCP_E_ADMIN_SOCKET_NOT_SOCKET: defineError<{ path: string }>(
    'MXCP_E_ADMIN_SOCKET_NOT_SOCKET',
    (p) => `Admin socket path ${p.path} exists and is not a socket: refusing to replace it`,
  ),
  MXCP_E_ADMIN_SOCKET_FAILED: defineError<{ path: string; detail: string }>(
    'MXCP_E_ADMIN_SOCKET_FAILED',
    (p) => `Cannot open the admin socket ${p.path}: ${p.detail}`,
  ),
};
