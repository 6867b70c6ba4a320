/** Infrastructure the chaos run started and may stop and start again (same port, same data). */
export interface RestartableInfra {
  readonly name: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}
