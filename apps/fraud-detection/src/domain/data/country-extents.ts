/**
 * Roughly how far (km) most of a large country's people live from its point in
 * data/country-centroids.ts. Centroid-to-centroid distance overstates a trip between big neighbours
 * (New York–Toronto is 550 km); subtracting both extents gives the typical least distance travelled
 * (geo.ts minTravelDistanceKm). Not a strict bound: a trip from a country's far edge (Vancouver,
 * Perth, Vladivostok) can still look faster than it was. Unlisted countries use DEFAULT_EXTENT_KM.
 */
export const DEFAULT_EXTENT_KM = 200;

// biome-ignore format: a table reads best packed
export const COUNTRY_EXTENTS_KM: Readonly<Record<string, number>> = {
  AF: 400, AO: 500, AR: 700, AU: 1500, BO: 500, BR: 1000, BW: 400, BY: 300, CA: 1000, CD: 700,
  CF: 400, CG: 300, CI: 300, CL: 1000, CM: 400, CN: 1200, CO: 500, DE: 350, DZ: 500, EC: 300,
  EG: 400, ES: 450, ET: 500, FI: 400, FR: 450, GA: 300, GB: 400, GL: 800, GN: 300, GY: 300,
  ID: 1500, IN: 1000, IQ: 400, IR: 700, IT: 500, JP: 700, KE: 400, KZ: 900, LA: 400, LY: 500,
  MA: 500, MG: 500, ML: 500, MM: 600, MN: 600, MR: 400, MX: 700, MY: 700, MZ: 700, NA: 500,
  NE: 500, NG: 500, NO: 600, NZ: 600, OM: 400, PE: 600, PG: 500, PH: 600, PK: 600, PL: 300,
  PY: 300, RO: 300, RU: 1500, SA: 700, SD: 600, SE: 500, SO: 600, SS: 400, TD: 500, TH: 500,
  TM: 400, TR: 600, TZ: 500, UA: 500, US: 1500, UZ: 500, VE: 500, VN: 700, YE: 400, ZA: 700,
  ZM: 400, ZW: 300,
};
