/**
 * Apple hardware the simulated fleet is drawn from. Names, product types, capacities and colours
 * match what ABM reports for real models, so mapping and list-column code meets realistic values.
 */
export type ProductFamily = 'Mac' | 'iPhone' | 'iPad' | 'AppleTV' | 'Watch' | 'Vision';

export interface CatalogModel {
  family: ProductFamily;
  deviceModel: string;
  productType: string;
  /** Product type of the cellular variant, when it differs (iPad, Watch). */
  cellularProductType?: string;
  /** Share of units sold with cellular: 1 for iPhones, 0 for Macs. */
  cellularShare: number;
  /** SIM slots that carry an IMEI on cellular units. */
  imeiCount: 1 | 2;
  /** iPhones still report an MEID alongside the IMEI. */
  meid: boolean;
  capacities: readonly string[];
  colors: readonly string[];
  /** Built-in Ethernet ports (Macs only; ABM reports their MACs as a list). */
  ethernetPorts: number;
  year: number;
}

const m = (
  family: ProductFamily,
  deviceModel: string,
  productType: string,
  year: number,
  capacities: readonly string[],
  colors: readonly string[],
  extra: Partial<CatalogModel> = {},
): CatalogModel => ({
  family,
  deviceModel,
  productType,
  year,
  capacities,
  colors,
  cellularShare: 0,
  imeiCount: 1,
  meid: false,
  ethernetPorts: 0,
  ...extra,
});

const phone = { cellularShare: 1, imeiCount: 2, meid: true } as const;

export const CATALOG: readonly CatalogModel[] = [
  m(
    'Mac',
    'MacBook Pro (14-inch, M3, Nov 2023)',
    'Mac15,3',
    2023,
    ['512GB', '1TB'],
    ['SPACE GRAY', 'SILVER'],
  ),
  m('Mac', 'MacBook Pro (16-inch, 2019)', 'MacBookPro16,1', 2019, ['512GB', '1TB'], ['SPACE GRAY', 'SILVER']),
  m(
    'Mac',
    'MacBook Air (13-inch, M2, 2022)',
    'Mac14,2',
    2022,
    ['256GB', '512GB'],
    ['MIDNIGHT', 'STARLIGHT', 'SPACE GRAY', 'SILVER'],
  ),
  m(
    'Mac',
    'MacBook Air (15-inch, M3, 2024)',
    'Mac15,13',
    2024,
    ['256GB', '512GB'],
    ['MIDNIGHT', 'STARLIGHT', 'SPACE GRAY', 'SILVER'],
  ),
  m(
    'Mac',
    'iMac (24-inch, M1, 2021)',
    'iMac21,1',
    2021,
    ['256GB', '512GB'],
    ['BLUE', 'GREEN', 'PINK', 'SILVER'],
    {
      ethernetPorts: 1,
    },
  ),
  m('Mac', 'iMac 21.5"', 'iMac16,2', 2015, ['750GB', '1TB'], ['SILVER'], { ethernetPorts: 1 }),
  m('Mac', 'Mac mini (M2, 2023)', 'Mac14,3', 2023, ['256GB', '512GB'], ['SILVER'], { ethernetPorts: 1 }),
  m('Mac', 'Mac Studio (2023)', 'Mac14,13', 2023, ['512GB', '1TB'], ['SILVER'], { ethernetPorts: 1 }),
  m('Mac', 'Mac Pro (2023)', 'Mac14,8', 2023, ['1TB', '2TB'], ['SILVER'], { ethernetPorts: 2 }),
  m(
    'iPhone',
    'iPhone 15 Pro',
    'iPhone16,1',
    2023,
    ['128GB', '256GB', '512GB'],
    ['NATURAL TITANIUM', 'BLUE TITANIUM', 'WHITE TITANIUM', 'BLACK TITANIUM'],
    phone,
  ),
  m(
    'iPhone',
    'iPhone 15',
    'iPhone15,4',
    2023,
    ['128GB', '256GB'],
    ['BLACK', 'BLUE', 'GREEN', 'YELLOW', 'PINK'],
    phone,
  ),
  m(
    'iPhone',
    'iPhone 14',
    'iPhone14,7',
    2022,
    ['128GB', '256GB'],
    ['MIDNIGHT', 'STARLIGHT', 'BLUE', 'PURPLE', 'RED'],
    phone,
  ),
  m(
    'iPhone',
    'iPhone 13 Pro Max',
    'iPhone14,3',
    2021,
    ['128GB', '256GB', '1TB'],
    ['GRAPHITE', 'GOLD', 'SILVER', 'SIERRA BLUE'],
    phone,
  ),
  m(
    'iPhone',
    'iPhone SE (3rd generation)',
    'iPhone14,6',
    2022,
    ['64GB', '128GB'],
    ['MIDNIGHT', 'STARLIGHT', 'RED'],
    phone,
  ),
  m(
    'iPhone',
    'iPhone 11',
    'iPhone12,1',
    2019,
    ['64GB', '128GB'],
    ['BLACK', 'WHITE', 'PURPLE', 'GREEN'],
    phone,
  ),
  m(
    'iPad',
    'iPad (10th generation)',
    'iPad13,18',
    2022,
    ['64GB', '256GB'],
    ['BLUE', 'PINK', 'YELLOW', 'SILVER'],
    {
      cellularProductType: 'iPad13,19',
      cellularShare: 0.3,
    },
  ),
  m('iPad', 'iPad Pro 11-inch (M4)', 'iPad16,3', 2024, ['256GB', '512GB', '1TB'], ['SPACE BLACK', 'SILVER'], {
    cellularProductType: 'iPad16,4',
    cellularShare: 0.4,
  }),
  m(
    'iPad',
    'iPad Air 11-inch (M2)',
    'iPad14,8',
    2024,
    ['128GB', '256GB'],
    ['SPACE GRAY', 'BLUE', 'PURPLE', 'STARLIGHT'],
    {
      cellularProductType: 'iPad14,9',
      cellularShare: 0.3,
    },
  ),
  m(
    'iPad',
    'iPad mini (6th generation)',
    'iPad14,1',
    2021,
    ['64GB', '256GB'],
    ['SPACE GRAY', 'PINK', 'PURPLE', 'STARLIGHT'],
    {
      cellularProductType: 'iPad14,2',
      cellularShare: 0.3,
    },
  ),
  m(
    'Watch',
    'Apple Watch Series 9 (41mm)',
    'Watch7,1',
    2023,
    ['64GB'],
    ['MIDNIGHT', 'STARLIGHT', 'SILVER', 'PINK'],
    {
      cellularProductType: 'Watch7,3',
      cellularShare: 0.4,
    },
  ),
  m('Watch', 'Apple Watch Ultra 2', 'Watch7,5', 2023, ['64GB'], ['NATURAL TITANIUM'], { cellularShare: 1 }),
  m(
    'Watch',
    'Apple Watch SE (40mm) (2nd generation)',
    'Watch6,10',
    2022,
    ['32GB'],
    ['MIDNIGHT', 'STARLIGHT', 'SILVER'],
    {
      cellularProductType: 'Watch6,12',
      cellularShare: 0.2,
    },
  ),
  m('AppleTV', 'Apple TV 4K (3rd generation)', 'AppleTV14,1', 2022, ['64GB', '128GB'], ['BLACK']),
  m('AppleTV', 'Apple TV HD', 'AppleTV5,3', 2015, ['32GB'], ['BLACK']),
  m('Vision', 'Apple Vision Pro', 'RealityDevice14,1', 2024, ['256GB', '512GB', '1TB'], ['']),
];

/** How a business fleet is typically split between families. */
export const FAMILY_WEIGHTS: ReadonlyArray<readonly [ProductFamily, number]> = [
  ['iPhone', 35],
  ['Mac', 28],
  ['iPad', 20],
  ['Watch', 7],
  ['AppleTV', 6],
  ['Vision', 4],
];

export const MODELS_BY_FAMILY: ReadonlyMap<ProductFamily, readonly CatalogModel[]> = new Map(
  FAMILY_WEIGHTS.map(([family]) => [family, CATALOG.filter((c) => c.family === family)]),
);

/** Apple manufacturing-site prefixes seen on 12-character serials (C02XL0AAJGH5 style). */
export const SERIAL_SITES = ['C02', 'C07', 'C17', 'F5K', 'DMP', 'FVF', 'G8W', 'DNP', 'F4H', 'W80'] as const;

/** Region suffixes of Apple part numbers (MTL73LL/A). */
export const PART_REGIONS = ['LL/A', 'LL/A', 'LL/A', 'B/A', 'ZP/A', 'D/A', 'J/A'] as const;

/** Apple's Wi-Fi and Bluetooth OUIs, so MACs look like Apple's. */
export const APPLE_OUIS = [
  'F0:18:98',
  'A4:83:E7',
  '3C:22:FB',
  '8C:85:90',
  'BC:D0:74',
  'D0:81:7A',
  '14:98:77',
] as const;
