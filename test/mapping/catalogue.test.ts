import assert from 'node:assert/strict';
import { ABM_FIELD_KEYS } from '../../src/config/schema';
import { FIELD_CATALOGUE, catalogueField, fieldsToFetch } from '../../src/mapping';
import { smallMapping } from './target';

describe('ABM field catalogue', () => {
  it('describes every ABM attribute a mapping may use, once', () => {
    assert.deepEqual([...FIELD_CATALOGUE.map((f) => f.key)].sort(), [...ABM_FIELD_KEYS].sort());
  });

  it('marks exactly serial, IMEI, MEID, EID and the Bluetooth and WiFi MACs unique per device', () => {
    const unique = FIELD_CATALOGUE.filter((f) => f.uniquePerDevice).map((f) => f.key);
    assert.deepEqual(unique.sort(), [
      'bluetoothMacAddress',
      'eid',
      'imei',
      'meid',
      'serialNumber',
      'wifiMacAddress',
    ]);
  });

  it('recommends the serial as identifier, IMEI/MEID for cellular fleets and the MACs as alternates', () => {
    assert.equal(catalogueField('serialNumber').identifier, 'recommended');
    assert.equal(catalogueField('imei').identifier, 'cellular-fleets');
    assert.equal(catalogueField('meid').identifier, 'cellular-fleets');
    assert.equal(catalogueField('wifiMacAddress').identifier, 'alternate');
    assert.equal(catalogueField('bluetoothMacAddress').identifier, 'alternate');
    assert.equal(catalogueField('deviceModel').identifier, 'no');
  });

  it('says IMEI and MEID exist only on cellular devices and EID only with an eSIM', () => {
    assert.equal(catalogueField('imei').presentOn, 'cellular devices');
    assert.equal(catalogueField('meid').presentOn, 'cellular devices');
    assert.equal(catalogueField('eid').presentOn, 'devices with an eSIM');
  });

  it('types lists, dates and enums as ABM sends them', () => {
    assert.equal(catalogueField('imei').valueType, 'textList');
    assert.equal(catalogueField('ethernetMacAddress').valueType, 'textList');
    assert.equal(catalogueField('releasedFromOrgDateTime').valueType, 'datetime');
    assert.equal(catalogueField('status').valueType, 'enum');
    assert.equal(catalogueField('serialNumber').name, 'Serial Number');
  });
});

describe('fieldsToFetch', () => {
  it('asks ABM only for the mapped attributes plus identifier, serial and updatedDateTime', () => {
    const fields = fieldsToFetch(
      smallMapping({ uniqueIdentifier: 'imei', fields: { imei: 'IMEI', color: 'Color' } }),
    );
    assert.deepEqual(fields, ['serialNumber', 'imei', 'color', 'updatedDateTime']);
  });
});
