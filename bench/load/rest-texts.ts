/**
 * Message texts for the REST write-path benchmark: what agents type to each other, 100–200
 * characters, varied so that no layer can benefit from identical bodies. Both the HTTP poster and
 * the raw driver writer store these same texts.
 */
const LINES = [
  'Customer on line 3 asks whether the refund for order 48213 went out; billing says Tuesday, can you confirm before I call back?',
  'I have looked into the ticket: the replacement router ships today by courier, tracking number follows in the confirmation email.',
  'Can someone from the second shift take over chat 7719? The customer wants to talk about the contract renewal and I am off at six.',
  'Heads up: the payment provider is slow again, card payments take up to two minutes; tell customers to wait before retrying, please.',
  'Thanks! Escalated to tier 2 with the logs attached. The customer prefers a call back tomorrow morning between nine and eleven.',
];

/** The `n`-th message of a writer: one of the lines above, numbered so that every text differs. */
export function messageText(n: number): string {
  return `${LINES[n % LINES.length] ?? ''} (#${n})`;
}
