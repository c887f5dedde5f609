import assert from 'node:assert/strict';
import type { MappingConfig } from '../../src/config/schema';
import { validateMapping } from '../../src/mapping';
import { column, defaultColumns, smallMapping, smallTarget } from './target';

function problemsOf(mapping: MappingConfig, columns = defaultColumns()): string[] {
  return validateMapping(mapping, smallTarget(columns)).problems;
}

function has(list: string[], ...parts: string[]): boolean {
  return list.some((p) => parts.every((part) => p.includes(part)));
}

describe('validateMapping', () => {
  it('resolves a valid mapping to column ids, matching names case-insensitively and ids exactly', () => {
    const result = validateMapping(
      smallMapping({
        fields: { serialNumber: 'serial number', deviceModel: 'c_model', status: 'ABM STATUS' },
      }),
      smallTarget(),
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.resolved, {
      mappingId: 'apple-devices',
      identifier: { field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number' },
      fields: [
        { field: 'serialNumber', columnId: 'c_serial', columnName: 'Serial Number', type: 'text' },
        { field: 'deviceModel', columnId: 'c_model', columnName: 'Model', type: 'text' },
        {
          field: 'status',
          columnId: 'c_status',
          columnName: 'ABM Status',
          type: 'list',
          options: ['ASSIGNED', 'UNASSIGNED'],
        },
      ],
    });
  });

  it('keeps the resolved mapping plain JSON so it can travel through Temporal', () => {
    const { resolved } = validateMapping(smallMapping(), smallTarget());
    assert.deepEqual(JSON.parse(JSON.stringify(resolved)), resolved);
  });

  it('reports a target column that does not exist, in the admin’s words, listing the columns', () => {
    const problems = problemsOf(
      smallMapping({ fields: { serialNumber: 'Serial Number', deviceModel: 'Modell' } }),
    );
    assert.ok(
      has(problems, 'fields.deviceModel', '"Modell"', 'does not exist', '"Apple Devices"', '"Model"'),
      problems.join('\n'),
    );
  });

  it('reports a target column that is deleted', () => {
    const columns = [...defaultColumns(), column('c_old', 'Old Model', { deleted: true })];
    const problems = problemsOf(
      smallMapping({ fields: { serialNumber: 'Serial Number', deviceModel: 'Old Model' } }),
      columns,
    );
    assert.ok(has(problems, 'fields.deviceModel', '"Old Model"', 'is deleted'), problems.join('\n'));
  });

  it('reports an identifier whose column is not marked unique', () => {
    const columns = defaultColumns().map((c) => (c.id === 'c_serial' ? { ...c, isUnique: false } : c));
    const problems = problemsOf(smallMapping(), columns);
    assert.ok(has(problems, 'uniqueIdentifier', '"Serial Number"', 'not marked unique'), problems.join('\n'));
  });

  it('reports an identifier field that is not unique per device', () => {
    const columns = [...defaultColumns(), column('c_model_u', 'Unique Model', { isUnique: true })];
    const problems = problemsOf(
      smallMapping({
        uniqueIdentifier: 'deviceModel',
        fields: { serialNumber: 'Serial Number', deviceModel: 'Unique Model' },
      }),
      columns,
    );
    assert.ok(
      has(problems, 'uniqueIdentifier', 'Device Model', 'not unique per device'),
      problems.join('\n'),
    );
  });

  it('allows a non-serial identifier with a warning that serial is recommended', () => {
    const result = validateMapping(
      smallMapping({ uniqueIdentifier: 'imei', fields: { serialNumber: 'Serial Number', imei: 'IMEI' } }),
      smallTarget(),
    );
    assert.deepEqual(result.problems, []);
    assert.ok(
      has(result.warnings, 'uniqueIdentifier', '"imei"', 'serialNumber is the recommended', 'cellular'),
    );
    assert.equal(result.resolved?.identifier.columnId, 'c_imei');
  });

  it('reports a required column the mapping leaves empty, saying which and that every create would fail', () => {
    const columns = [...defaultColumns(), column('c_tag', 'Asset Tag', { isRequired: true })];
    const problems = problemsOf(smallMapping(), columns);
    assert.ok(has(problems, 'required column "Asset Tag"', 'every create would fail'), problems.join('\n'));
  });

  it('warns when a required column is fed by a field ABM sends only for some devices', () => {
    const columns = defaultColumns().map((c) => (c.id === 'c_imei' ? { ...c, isRequired: true } : c));
    const result = validateMapping(
      smallMapping({ fields: { serialNumber: 'Serial Number', imei: 'IMEI' } }),
      smallTarget(columns),
    );
    assert.deepEqual(result.problems, []);
    assert.ok(has(result.warnings, 'fields.imei', '"IMEI"', 'required', 'cellular devices'));
  });

  it('reports a text list going into a number column', () => {
    const problems = problemsOf(smallMapping({ fields: { serialNumber: 'Serial Number', imei: 'Count' } }));
    assert.ok(has(problems, 'fields.imei', '"Count"', 'type number', 'list of text'), problems.join('\n'));
  });

  it('reports a text list going into a date column', () => {
    const problems = problemsOf(smallMapping({ fields: { serialNumber: 'Serial Number', meid: 'Added' } }));
    assert.ok(has(problems, 'fields.meid', '"Added"', 'type date'), problems.join('\n'));
  });

  it('reports a date and time going into a list column', () => {
    const problems = problemsOf(
      smallMapping({ fields: { serialNumber: 'Serial Number', orderDateTime: 'ABM Status' } }),
    );
    assert.ok(has(problems, 'fields.orderDateTime', '"ABM Status"', 'type list'), problems.join('\n'));
  });

  it('warns when a list column lacks an option for a known ABM value', () => {
    const columns = defaultColumns().map((c) => (c.id === 'c_status' ? { ...c, options: ['ASSIGNED'] } : c));
    const result = validateMapping(
      smallMapping({ fields: { serialNumber: 'Serial Number', status: 'ABM Status' } }),
      smallTarget(columns),
    );
    assert.ok(has(result.warnings, 'fields.status', '"ABM Status"', '"UNASSIGNED"', 'INVALID_VALUE'));
  });

  it('reports two fields writing the same column', () => {
    const problems = problemsOf(
      smallMapping({ fields: { serialNumber: 'Serial Number', deviceModel: 'Model', productType: 'model' } }),
    );
    assert.ok(has(problems, 'fields.deviceModel and fields.productType', '"Model"'), problems.join('\n'));
  });

  it('reports a sync direction other than ABM to Asset Panda', () => {
    const mapping = { ...smallMapping(), syncDirection: 'assetpanda-to-abm' } as unknown as MappingConfig;
    assert.ok(has(problemsOf(mapping), 'syncDirection', '"assetpanda-to-abm"', 'abm-to-assetpanda'));
  });

  it('reports an external entity other than devices', () => {
    const mapping = { ...smallMapping(), externalEntity: 'users' } as unknown as MappingConfig;
    assert.ok(has(problemsOf(mapping), 'externalEntity', '"users"'));
  });

  it('reports every problem at once and resolves nothing while any remain', () => {
    const columns = [
      column('c_serial', 'Serial Number', { isUnique: false }),
      column('c_tag', 'Asset Tag', { isRequired: true }),
      column('c_count', 'Count', { type: 'number' }),
    ];
    const result = validateMapping(
      smallMapping({ fields: { serialNumber: 'Serial Number', deviceModel: 'Nope', imei: 'Count' } }),
      smallTarget(columns),
    );
    assert.equal(result.resolved, undefined);
    assert.ok(has(result.problems, '"Nope"', 'does not exist'));
    assert.ok(has(result.problems, '"Count"', 'type number'));
    assert.ok(has(result.problems, '"Asset Tag"', 'required'));
    assert.ok(has(result.problems, '"Serial Number"', 'not marked unique'));
    assert.equal(result.problems.length, 4, result.problems.join('\n'));
  });
});
