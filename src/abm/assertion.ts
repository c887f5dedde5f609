import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { ABM_ASSERTION_AUDIENCE } from './account';

export interface AssertionOptions {
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  /** Apple documents `kid` as required; one live report says it must be left out (spec 1.5). */
  sendKid?: boolean;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
  /** Seconds the assertion stays valid. */
  lifetimeSec?: number;
}

/** Clock skew between us and Apple makes a fresh `iat` look like the future (spec 6.4). */
export const ASSERTION_BACKDATE_SEC = 60;
/**
 * Apple allows up to 180 days, but a leaked long-lived assertion is as good as the key; we mint
 * one per token request instead, so a few minutes is plenty.
 */
export const ASSERTION_LIFETIME_SEC = 15 * 60;

/** The ES256 client assertion for the token request (spec 1.2). */
export async function createClientAssertion(o: AssertionOptions): Promise<string> {
  const iat = Math.floor((o.now ?? Date.now()) / 1000) - ASSERTION_BACKDATE_SEC;
  const exp = iat + (o.lifetimeSec ?? ASSERTION_LIFETIME_SEC);
  const header = o.sendKid === false ? { alg: 'ES256' } : { alg: 'ES256', kid: o.keyId };
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(ABM_ASSERTION_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(o.privateKey);
}
