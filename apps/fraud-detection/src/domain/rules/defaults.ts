/**
 * The seeded rule set. sql/migrations/001_rules.sql inserts the same rows (a test checks they agree).
 * With the default thresholds (review 0.5, decline 0.9) each injected fraud pattern is reviewed or
 * declined on its own, while a big purchase at a new merchant is only flagged (0.3, approved unless
 * the model or another rule adds to it).
 */
import type { Rule } from './types.ts';

export const defaultRules: readonly Rule[] = Object.freeze([
  {
    id: 'R-CARD-TESTING',
    description: 'tiny probe payments, then a large one within minutes',
    condition: { pattern: 'card_testing' },
    score: 0.95,
    action: 'decline',
    enabled: true,
    priority: 10,
  },
  {
    id: 'R-IMPOSSIBLE-TRAVEL',
    description: 'used in a country too far away to have travelled there since the last payment',
    condition: { pattern: 'impossible_travel' },
    score: 0.8,
    action: 'review',
    enabled: true,
    priority: 20,
  },
  {
    id: 'R-VELOCITY-BURST',
    description: 'far more payments or money in a short time than this card normally does',
    condition: { pattern: 'velocity_burst' },
    score: 0.7,
    action: 'review',
    enabled: true,
    priority: 30,
  },
  {
    id: 'R-HIGH-RISK-MCC-FIRST-USE',
    description:
      'first payment of this card at a gambling, money-transfer or quasi-cash merchant, and an unusual amount',
    condition: {
      all: [
        { pattern: 'high_risk_mcc_first_use' },
        { feature: 'new_device', op: '==', value: 1 },
        { feature: 'amount_zscore', op: '>=', value: 1 },
      ],
    },
    score: 0.6,
    action: 'review',
    enabled: true,
    priority: 40,
  },
  {
    id: 'R-LARGE-NEW-MERCHANT',
    description: 'an unusually large amount for this card at a merchant it never used',
    condition: {
      all: [
        { feature: 'amount_zscore', op: '>=', value: 3 },
        { feature: 'new_merchant', op: '==', value: 1 },
        { feature: 'log_card_payments', op: '>=', value: Math.log1p(5) },
      ],
    },
    score: 0.3,
    action: 'flag',
    enabled: true,
    priority: 50,
  },
  {
    id: 'R-LARGE-FIRST-ABROAD',
    description: 'an unusually large first payment in a country this card never paid in',
    condition: {
      all: [
        { feature: 'new_country', op: '==', value: 1 },
        { feature: 'new_merchant', op: '==', value: 1 },
        { feature: 'amount_zscore', op: '>=', value: 2.5 },
      ],
    },
    score: 0.6,
    action: 'review',
    enabled: true,
    priority: 55,
  },
  {
    id: 'R-EMBARGOED-COUNTRY',
    description: 'payment in a comprehensively sanctioned country',
    condition: { field: 'country', op: 'in', value: ['CU', 'IR', 'KP', 'SY'] },
    score: 0.6,
    action: 'review',
    enabled: true,
    priority: 60,
  },
] satisfies Rule[]);
