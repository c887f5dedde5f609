import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..');

async function lintAs(relativePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativePath) });
  return result.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('lint rules for the workflow sandbox', function () {
  this.timeout(60_000);

  it('rejects a workflow file that imports undici', async () => {
    const messages = await lintAs(
      'src/workflows/sync.ts',
      "import { request } from 'undici';\nexport const r = request;\n",
    );
    assert.ok(
      messages.some((m) => m.includes('no-restricted-imports') && m.includes('undici')),
      messages.join('\n'),
    );
  });

  it('rejects a workflow file that imports a Node built-in', async () => {
    const messages = await lintAs(
      'src/workflows/sync.ts',
      "import fs from 'node:fs';\nexport const f = fs;\n",
    );
    assert.ok(
      messages.some((m) => m.includes('no-restricted-imports')),
      messages.join('\n'),
    );
  });

  it('rejects a value import of the activities in a workflow file but allows a type import', async () => {
    const value = await lintAs(
      'src/workflows/sync.ts',
      "import { createActivities } from '../activities';\nexport const c = createActivities;\n",
    );
    assert.ok(
      value.some((m) => m.includes('no-restricted-imports')),
      value.join('\n'),
    );
    const typeOnly = await lintAs(
      'src/workflows/sync.ts',
      "import type { SyncActivities } from '../activities';\nexport type A = SyncActivities;\n",
    );
    assert.deepEqual(
      typeOnly.filter((m) => m.includes('no-restricted-imports')),
      [],
    );
  });

  it('allows undici outside workflow code', async () => {
    const messages = await lintAs(
      'src/http/client.ts',
      "import { request } from 'undici';\nexport const r = request;\n",
    );
    assert.deepEqual(
      messages.filter((m) => m.includes('no-restricted-imports')),
      [],
    );
  });
});
