/** The key of a direct pair's log of claims (packages/store/src/write-pipeline/pair-claims.ts): its customer and both agents. */
export const directPairKey = (customerId: string, a: string, b: string): string =>
  `direct:${customerId}:${[a, b].sort().join(':')}`;
