import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';

/** What a service needs to know about the caller: who, which request, from where. Built once per request. */
export interface RequestContext {
  actor: Actor | null;
  requestId: string;
  ip: string | null;
}

export function contextOf(request: FastifyRequest): RequestContext {
  return { actor: request.actor, requestId: String(request.id), ip: request.ip ?? null };
}

/** Context for work not started by a request (jobs, seed, scripts). */
export function systemContext(label: string): RequestContext {
  return { actor: null, requestId: `sys-${label}`, ip: null };
}
