/**
 * TLS without a proxy (`transport.http.tls`): certificate and key (PEM), optional CA for client certificates
 * (mutual TLS: a client without a certificate signed by it is refused in the handshake). TLS 1.2 is the
 * minimum and the cipher list is Mozilla's "intermediate" set (ECDHE with AES-GCM or ChaCha20 for TLS 1.2;
 * TLS 1.3 suites are Node's defaults). The files are read again on SIGHUP, so a renewed certificate is
 * served to new connections without a restart; a bad renewal keeps the previous one and says why.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { Errors } from '../../../sdk/errors/index.js';

export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

export const kTlsCiphers = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The files read and checked (a context is built once, so a key that does not match fails here). */
export function loadTls(files: TlsFiles): SecureContextOptions {
  const read = (what: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Errors.MXCP_E_TLS_LOAD({ what: `${what} ${path}`, detail: (err as Error).message }, { cause: err });
    }
  };
  const options: SecureContextOptions = {
    cert: read('certificate', files.cert),
    key: read('key', files.key),
    ...(files.ca ? { ca: read('CA', files.ca) } : {}),
    minVersion: 'TLSv1.2',
    ciphers: kTlsCiphers,
    honorCipherOrder: true,
  };
  try {
    createSecureContext(options);
  } catch (err) {
    throw new Errors.MXCP_E_TLS_LOAD({ what: `${files.cert} with ${files.key}`, detail: (err as Error).message }, { cause: err });
  }
  return options;
}
