/** The pairings module's rules the card and register reuse: who may see a pairing, who may log for it. */
export { mayLog, requirePairing } from '../pairings/service.ts';
