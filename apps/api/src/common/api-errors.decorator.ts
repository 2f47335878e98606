import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body';

const WHEN: Record<number, string> = {
  400: 'The body or query fails validation (unknown fields are rejected).',
  401: 'No token, a bad token or an expired token.',
  403: 'This role or this person may not do this (including separation of duties).',
  404: 'No such resource.',
  409: 'expectedVersion is not the current version, or the resource is held or exists already.',
  413: 'The uploaded file is larger than the configured limit; nothing was stored.',
  415: 'The uploaded file’s content is not of an accepted type; nothing was stored.',
  422: 'The event is not allowed in the current state, or its rule fails (the message names it).',
};

/** Documents the error responses a route can give, with the contract's error body. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: WHEN[status], type: ErrorBodyDto })));

/** A route behind the bearer guard, with the roles allowed (documented in the description). */
export const ApiAuth = (...statuses: number[]) => applyDecorators(ApiBearerAuth(), ApiErrors(401, ...statuses));
