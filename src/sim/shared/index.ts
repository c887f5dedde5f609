export { Rng, hashSeed } from './prng';
export { TokenBucket } from './rate-limit';
export { startHttpServer, readBody, delay, type StartedServer } from './http';
