/**
 * Query keys shared across features. A saved or corrected visit changes counts, compliance, the
 * home's to-dos and the register: every query under these keys is refreshed after one.
 */
export const VISIT_AFFECTED_KEYS = [['pairings'], ['pairing'], ['home'], ['summary'], ['laggards']] as const;
