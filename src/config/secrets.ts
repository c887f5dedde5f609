import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { loadPrivateKey } from '../abm/key';
import { ConfigError, type LoadedConfig } from './load';

/** The secrets a worker needs. They come from the environment (and a key file), never from workflow input. */
export interface Secrets {
  abmPrivateKey: KeyObject;
  assetPandaApiKey: string;
  assetPandaApiSecret: string;
}

/** Reads every secret, reporting every missing or unreadable one at once, without printing any. */
export function loadSecrets(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Secrets {
  const problems: string[] = [];
  const apiKey = env.ASSETPANDA_API_KEY?.trim();
  const apiSecret = env.ASSETPANDA_API_SECRET?.trim();
  if (!apiKey)
    problems.push(
      'ASSETPANDA_API_KEY is not set: create an API key in Asset Panda (Settings > API Configuration)',
    );
  if (!apiSecret)
    problems.push('ASSETPANDA_API_SECRET is not set: it is shown with the API key when you create it');

  let key: KeyObject | undefined;
  try {
    key = readAbmKey(loaded, env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0 || !key || !apiKey || !apiSecret) throw new ConfigError(problems, 'Credentials');
  return { abmPrivateKey: key, assetPandaApiKey: apiKey, assetPandaApiSecret: apiSecret };
}

function readAbmKey(loaded: LoadedConfig, env: NodeJS.ProcessEnv): KeyObject {
  if (env.ABM_PRIVATE_KEY && env.ABM_PRIVATE_KEY.trim() !== '')
    return loadPrivateKey(env.ABM_PRIVATE_KEY, 'ABM_PRIVATE_KEY');
  const file = loaded.config.abm.privateKeyFile;
  if (!file) {
    throw new Error(
      'No ABM private key: set ABM_PRIVATE_KEY (the PEM text) or abm.privateKeyFile in the config',
    );
  }
  const full = path.resolve(loaded.dir, file);
  let pem: string;
  try {
    pem = readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `ABM private key file ${full} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}: ` +
        'abm.privateKeyFile is relative to the config file; the .pem is the one downloaded when the API key was generated',
    );
  }
  return loadPrivateKey(pem, full);
}
