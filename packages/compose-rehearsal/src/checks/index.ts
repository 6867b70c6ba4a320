import { dashboardChecks } from './dashboard-check.ts';
import { fraudCheck } from './fraud-check.ts';
import type { IngressCheck } from './ingress-check.ts';
import { iotCheck } from './iot-check.ts';
import { recommendationsCheck } from './recommendations-check.ts';

export type { CheckContext, IngressCheck } from './ingress-check.ts';

/** One check per pipeline profile; `observability` has none of its own (it checks the traces of the others). */
export const ingressChecks: readonly IngressCheck[] = [
  fraudCheck,
  recommendationsCheck,
  iotCheck,
  ...dashboardChecks,
];
