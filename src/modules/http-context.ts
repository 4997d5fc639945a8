import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from './context.ts';

/** How a route gets the context of its use case from a request (the county; later the user). */
export type ContextOf = (request: FastifyRequest) => Promise<ServiceContext>;
