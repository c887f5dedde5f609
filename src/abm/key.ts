import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A private key that cannot be used. The message names where the key came from and what was found
 * there, never the key material itself.
 */
export class AbmKeyError extends Error {
  constructor(
    readonly source: string,
    readonly found: string,
  ) {
    super(
      `ABM private key from ${source} is unusable: ${found}. ` +
        'Use the .pem downloaded from Apple Business/School Manager (Preferences > API) for this Key ID: an EC P-256 private key.',
    );
    this.name = 'AbmKeyError';
  }
}

interface PemBlock {
  label: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Keys pasted into environment variables arrive with CRLF line ends, literal `\n` escapes or
 * surrounding quotes; undo all of that before looking for PEM blocks.
 */
function normalise(pemText: string): string {
  return pemText
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*["']|["']\s*$/g, '');
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const body = m[2]
      .split('\n')
      // RFC 1421 style headers (`Proc-Type: ...`) mark encrypted PEM; they are not base64.
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    blocks.push({ label: m[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

function tryParse(der: Buffer): KeyObject | undefined {
  // Apple's download is labelled "EC PRIVATE KEY" but has been seen to hold PKCS#8 as well as
  // SEC1, so the label is ignored and both DER structures are tried.
  for (const type of ['pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the other structure
    }
  }
  return undefined;
}

/**
 * Loads Apple's ES256 private key from PEM text, whatever its label claims (spec 1.6).
 * `source` names where the text came from (a file path or `ABM_PRIVATE_KEY`) for error messages.
 */
export function loadPrivateKey(pemText: string, source: string): KeyObject {
  const text = normalise(pemText);
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    const what =
      text.trim() === '' ? 'it is empty' : 'no PEM block (-----BEGIN ... PRIVATE KEY-----) was found';
    throw new AbmKeyError(source, what);
  }
  const candidates = blocks.filter((b) => b.label !== 'EC PARAMETERS');
  if (candidates.length === 0) {
    throw new AbmKeyError(source, 'it holds only an EC PARAMETERS block and no private key');
  }
  const problems: string[] = [];
  for (const block of candidates) {
    if (block.label === 'ENCRYPTED PRIVATE KEY') {
      problems.push(
        'an encrypted private key (decrypt it with `openssl pkcs8 -in KEY.pem -out abm.pem`, which asks for the passphrase)',
      );
      continue;
    }
    if (block.label === 'CERTIFICATE' || block.label === 'PUBLIC KEY' || block.label === 'EC PUBLIC KEY') {
      problems.push(`a ${block.label} block, not a private key`);
      continue;
    }
    const key = tryParse(block.der);
    if (!key) {
      problems.push(`a "${block.label}" block that is not a readable private key`);
      continue;
    }
    if (key.asymmetricKeyType !== 'ec') {
      problems.push(`an ${String(key.asymmetricKeyType).toUpperCase()} private key, not an EC key`);
      continue;
    }
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1') {
      problems.push(`an EC key on curve ${curve ?? 'unknown'}, not P-256 (prime256v1)`);
      continue;
    }
    return key;
  }
  throw new AbmKeyError(source, `found ${problems.join('; ')}`);
}

/** Reads and loads the key file; a missing or unreadable file is named in the error. */
export function loadPrivateKeyFile(path: string): KeyObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const what =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES'
          ? 'the file is not readable (permission denied)'
          : code === 'EISDIR'
            ? 'it is a directory, not a file'
            : `the file cannot be read (${code ?? 'unknown error'})`;
    throw new AbmKeyError(path, what);
  }
  return loadPrivateKey(text, path);
}
