import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbmKeyError, loadPrivateKey, loadPrivateKeyFile } from '../../src/abm';
import { generateCredentials } from '../../src/sim/abm';

/** The label Apple puts on its key files (spelt out here so no key-like text sits in the repo). */
const EC_KEY_LABEL = ['EC', 'PRIVATE', 'KEY'].join(' ');

/** Base64 lines of a PEM: none of them may ever appear in an error message. */
function keyMaterial(pem: string): string[] {
  return pem.split(/\r?\n/).filter((l) => l.length > 20 && !l.startsWith('-----'));
}

function assertNoKeyMaterial(message: string, pem: string): void {
  for (const line of keyMaterial(pem))
    assert.ok(!message.includes(line.slice(0, 16)), 'error message leaks key material');
}

describe('ABM private key loader', () => {
  const { credentials } = generateCredentials({});
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'abm-key-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  function assertP256(pem: string, source = 'test'): void {
    const key = loadPrivateKey(pem, source);
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  }

  it('loads a true SEC1 file labelled EC PRIVATE KEY', () => {
    assert.match(credentials.privateKeyPem, new RegExp(`^-----BEGIN ${EC_KEY_LABEL}-----`));
    assertP256(credentials.privateKeyPem);
  });

  it('loads PKCS#8 under an EC PRIVATE KEY label after an EC PARAMETERS block', () => {
    assert.match(
      credentials.pkcs8UnderEcLabelPem,
      new RegExp(`^-----BEGIN EC PARAMETERS-----[\\s\\S]+-----BEGIN ${EC_KEY_LABEL}-----`),
    );
    assertP256(credentials.pkcs8UnderEcLabelPem);
  });

  it('loads a PKCS#8 key under its own PRIVATE KEY label', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    assertP256(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  });

  it('loads a key with CRLF line ends', () => {
    assertP256(credentials.pkcs8UnderEcLabelPem.replace(/\n/g, '\r\n'));
  });

  it('loads a key pasted into an environment variable with literal \\n escapes', () => {
    const oneLine = credentials.privateKeyPem.trim().replace(/\n/g, '\\n');
    assert.ok(!oneLine.includes('\n'));
    assertP256(oneLine, 'ABM_PRIVATE_KEY');
  });

  it('loads both layouts from files', () => {
    assert.equal(loadPrivateKeyFile(write('sec1.pem', credentials.privateKeyPem)).asymmetricKeyType, 'ec');
    assert.equal(
      loadPrivateKeyFile(write('pkcs8.pem', credentials.pkcs8UnderEcLabelPem)).asymmetricKeyType,
      'ec',
    );
  });

  it('refuses an RSA key, naming the file and the key type without printing the key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const path = write('rsa.pem', pem);
    assert.throws(
      () => loadPrivateKeyFile(path),
      (err: unknown) => {
        assert.ok(err instanceof AbmKeyError);
        assert.ok(err.message.includes(path), err.message);
        assert.match(err.message, /RSA private key/);
        assertNoKeyMaterial(err.message, pem);
        return true;
      },
    );
  });

  it('refuses an EC key on another curve, saying which', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    assert.throws(
      () => loadPrivateKey(pem, 'ABM_PRIVATE_KEY'),
      (err: unknown) => {
        assert.ok(err instanceof AbmKeyError);
        assert.match(err.message, /ABM_PRIVATE_KEY/);
        assert.match(err.message, /secp384r1, not P-256/);
        assertNoKeyMaterial(err.message, pem);
        return true;
      },
    );
  });

  it('refuses a file without a PEM block, naming the file', () => {
    const path = write('garbage.pem', 'this is not a key at all\n');
    assert.throws(
      () => loadPrivateKeyFile(path),
      (err: unknown) => {
        assert.ok(err instanceof AbmKeyError);
        assert.ok(err.message.includes(path));
        assert.match(err.message, /no PEM block/);
        return true;
      },
    );
  });

  it('refuses a PEM block whose body is not a key, without echoing the body', () => {
    const body = 'QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB';
    const path = write(
      'broken.pem',
      `-----BEGIN ${EC_KEY_LABEL}-----\n${body}\n-----END ${EC_KEY_LABEL}-----\n`,
    );
    assert.throws(
      () => loadPrivateKeyFile(path),
      (err: unknown) => {
        assert.ok(err instanceof AbmKeyError);
        assert.match(err.message, /"EC PRIVATE KEY" block that is not a readable private key/);
        assert.ok(!err.message.includes(body.slice(0, 16)));
        return true;
      },
    );
  });

  it('refuses a file holding only EC PARAMETERS', () => {
    const params =
      credentials.pkcs8UnderEcLabelPem.split('-----END EC PARAMETERS-----')[0] +
      '-----END EC PARAMETERS-----\n';
    assert.throws(() => loadPrivateKey(params, 'only-params.pem'), /only an EC PARAMETERS block/);
  });

  it('names a missing file', () => {
    const path = join(dir, 'nope.pem');
    assert.throws(
      () => loadPrivateKeyFile(path),
      (err: unknown) => {
        assert.ok(err instanceof AbmKeyError);
        assert.ok(err.message.includes(path));
        assert.match(err.message, /does not exist/);
        return true;
      },
    );
  });
});
