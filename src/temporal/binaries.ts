import path from 'node:path';

export type BinaryKind = 'cli' | 'testServer';
export type ResolvedBinary =
  { source: 'env' | 'local' | 'path' | 'pip'; path: string } | { source: 'sdk-download'; tried: string[] };

interface BinariesModule {
  resolveBinary(
    kind: BinaryKind,
    opts?: { install?: boolean; allowSdkDownload?: boolean; log?: (m: string) => void },
  ): ResolvedBinary;
}

// The resolver is plain JavaScript so `.ci/run` and npm scripts can run it before anything is built.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const impl = require(path.join(__dirname, '..', '..', 'scripts', 'temporal-binaries.js')) as BinariesModule;

/** Finds (or installs into .tools/) a Temporal binary; see scripts/temporal-binaries.js for the order. */
export function resolveTemporalBinary(
  kind: BinaryKind,
  opts: { allowSdkDownload?: boolean; log?: (m: string) => void } = {},
): ResolvedBinary {
  return impl.resolveBinary(kind, { install: true, ...opts });
}
