// TEST SERVER — a stand-in for the Kubernetes API used only by tests; not a Kubernetes implementation.
//
// Failure answers in the shape of the API server's metav1.Status objects.

import type { ResourceType } from './resources.ts';

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

/** Thrown inside request handling; the router turns it into a Status response. */
export class StatusError extends Error {
  constructor(readonly status: StatusObject) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: StatusObject['details']): StatusError {
  const status: StatusObject = {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code,
  };
  if (details) status.details = details;
  return new StatusError(status);
}

function detailsOf(type: ResourceType, name: string): StatusObject['details'] {
  return type.group ? { name, group: type.group, kind: type.resource } : { name, kind: type.resource };
}

function qualified(type: ResourceType): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

export function notFound(type: ResourceType, name: string): StatusError {
  return failure(404, 'NotFound', `${qualified(type)} "${name}" not found`, detailsOf(type, name));
}

export function unknownPath(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(type: ResourceType, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(type)} "${name}" already exists`, detailsOf(type, name));
}

export function conflict(type: ResourceType, name: string): StatusError {
  return failure(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; ` +
      'please apply your changes to the latest version and try again',
    detailsOf(type, name));
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function invalid(type: ResourceType, name: string, message: string): StatusError {
  return failure(422, 'Invalid', `${type.kind} "${name}" is invalid: ${message}`, detailsOf(type, name));
}

export function forbidden(type: ResourceType, name: string, message: string): StatusError {
  return failure(403, 'Forbidden', `${qualified(type)} "${name}" is forbidden: ${message}`, detailsOf(type, name));
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(contentType: string, strategic = true): StatusError {
  return failure(415, 'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ` +
      `application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${strategic ? ', application/strategic-merge-patch+json' : ''}`);
}

/** The 410 a watch gets when its resourceVersion has left the server's history. */
export function expired(requested: number, oldest: number): StatusObject {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`, reason: 'Expired', code: 410,
  };
}
