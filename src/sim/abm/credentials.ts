import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

export interface AbmSimCredentials {
  clientId: string;
  keyId: string;
  /** SEC1, labelled `EC PRIVATE KEY`: what the label promises. */
  privateKeyPem: string;
  /** PKCS#8 DER under an `EC PRIVATE KEY` label after an `EC PARAMETERS` block: what Apple has been seen to ship. */
  pkcs8UnderEcLabelPem: string;
}

/** DER of the prime256v1 OID, as `openssl ecparam` prints it before the key. */
const EC_PARAMETERS_P256 = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh API account: generated at run time so no key ever lands in the repository. */
export function generateCredentials(o: { school?: boolean; clientId?: string; keyId?: string }): {
  credentials: AbmSimCredentials;
  publicKey: KeyObject;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const prefix = o.school ? 'SCHOOLAPI.' : 'BUSINESSAPI.';
  return {
    publicKey,
    credentials: {
      clientId: o.clientId ?? `${prefix}${randomUUID()}`,
      keyId: o.keyId ?? randomUUID(),
      privateKeyPem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      pkcs8UnderEcLabelPem:
        EC_PARAMETERS_P256 + pem('EC PRIVATE KEY', privateKey.export({ type: 'pkcs8', format: 'der' })),
    },
  };
}
