import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Register as RegisterSchema } from '../../../../../src/modules/cards/schemas.ts';
import type { PairingDetail as PairingDetailSchema } from '../../../../../src/modules/pairings/schemas.ts';
import { api } from '../../../lib/api';

export type Register = z.infer<typeof RegisterSchema>;
export type PairingDetail = z.infer<typeof PairingDetailSchema>;

/**
 * The register (册) of a pairing's year: the pairing and its compliance, the plan and its tasks with
 * their latest mid-year check, progress notes, the year's visits with photos, and the sign-offs.
 */
export const getRegister = (id: number, year?: number) =>
  api.get<Register>(`/api/pairings/${id}/register`, { year });
export const registerQuery = (id: number, year?: number) =>
  queryOptions({
    queryKey: ['pairings', id, 'register', year ?? 'current'],
    queryFn: () => getRegister(id, year),
  });
export const useRegister = (id: number, year?: number) => useQuery(registerQuery(id, year));

/** The pairing itself, for the five standing systems' schedule (obligationStatus). */
export const getPairing = (id: number, year?: number) =>
  api.get<PairingDetail>(`/api/pairings/${id}`, { year });
export const pairingQuery = (id: number, year?: number) =>
  queryOptions({
    queryKey: ['pairings', id, 'detail', year ?? 'current'],
    queryFn: () => getPairing(id, year),
  });
export const usePairing = (id: number, year?: number) => useQuery(pairingQuery(id, year));
