/** The authenticated agent on whose behalf a request runs. */
export interface Caller {
  readonly agentId: string;
  readonly customerId: string;
}
