/**
 * Rough units of each ISO 4217 currency per euro (2025 levels, 2 significant digits at most).
 * Only for thresholds: "is this payment tiny / large / an unusual sum" must mean the same on a
 * yen card and a euro card. It is not an exchange-rate service: volatile currencies drift, and a
 * factor of two changes little, since the detector mostly compares a card's amounts with each other.
 * Fund and accounting units (BOV, CHE, CHW, CLF, COU, MXV, UYI, UYW, USN) are priced as their base.
 * A unit test checks that every code of @streamkit/schemas' CURRENCY_CODES is present.
 */
// biome-ignore format: a rate table reads best packed
export const UNITS_PER_EUR: Readonly<Record<string, number>> = {
  AED: 4, AFN: 77, ALL: 98, AMD: 420, ANG: 2, AOA: 1000, ARS: 1200, AUD: 1.65, AWG: 2, AZN: 1.85,
  BAM: 1.96, BBD: 2.2, BDT: 130, BGN: 1.96, BHD: 0.41, BIF: 3200, BMD: 1.1, BND: 1.45, BOB: 7.5, BOV: 7.5,
  BRL: 6, BSD: 1.1, BTN: 92, BWP: 15, BYN: 3.6, BZD: 2.2, CAD: 1.5, CDF: 3100, CHE: 0.95, CHF: 0.95,
  CHW: 0.95, CLF: 0.03, CLP: 1000, CNY: 7.9, COP: 4500, COU: 4500, CRC: 560, CUC: 1.1, CUP: 26, CVE: 110,
  CZK: 25, DJF: 195, DKK: 7.46, DOP: 66, DZD: 146, EGP: 54, ERN: 16.5, ETB: 150, EUR: 1, FJD: 2.5,
  FKP: 0.85, GBP: 0.85, GEL: 3, GHS: 16, GIP: 0.85, GMD: 78, GNF: 9500, GTQ: 8.5, GYD: 230, HKD: 8.6,
  HNL: 28, HTG: 145, HUF: 400, IDR: 17500, ILS: 4, INR: 92, IQD: 1440, IRR: 46000, ISK: 150, JMD: 175,
  JOD: 0.78, JPY: 160, KES: 142, KGS: 95, KHR: 4450, KMF: 492, KPW: 990, KRW: 1500, KWD: 0.34, KYD: 0.92,
  KZT: 560, LAK: 24000, LBP: 98000, LKR: 330, LRD: 220, LSL: 20, LYD: 6, MAD: 10.8, MDL: 19.5, MGA: 5000,
  MKD: 61.5, MMK: 2300, MNT: 3800, MOP: 8.8, MRU: 44, MUR: 50, MVR: 17, MWK: 1900, MXN: 20, MXV: 20,
  MYR: 4.9, MZN: 70, NAD: 20, NGN: 1700, NIO: 40, NOK: 11.7, NPR: 148, NZD: 1.85, OMR: 0.42, PAB: 1.1,
  PEN: 4.1, PGK: 4.4, PHP: 63, PKR: 310, PLN: 4.3, PYG: 8500, QAR: 4, RON: 5, RSD: 117, RUB: 95,
  RWF: 1550, SAR: 4.1, SBD: 9.2, SCR: 15.5, SDG: 650, SEK: 11.3, SGD: 1.45, SHP: 0.85, SLE: 25, SLL: 25000,
  SOS: 630, SRD: 38, SSP: 4500, STN: 24.5, SVC: 9.6, SYP: 14000, SZL: 20, THB: 37, TJS: 11.8, TMT: 3.85,
  TND: 3.4, TOP: 2.6, TRY: 40, TTD: 7.5, TWD: 35, TZS: 2900, UAH: 46, UGX: 4000, USD: 1.1, USN: 1.1,
  UYI: 45, UYU: 45, UYW: 45, UZS: 14000, VED: 40, VES: 40, VND: 28000, VUV: 132, WST: 3, XAF: 656,
  XCD: 2.95, XCG: 2, XOF: 656, XPF: 119, YER: 270, ZAR: 20, ZMW: 29, ZWG: 28, ZWL: 28,
};
