import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CASE_EVENT_TYPES, isCaseEventType, type CaseEventType, type EventRequest } from '@app/case-workflow';
import { EVENT_DTOS } from './case-events.dto';

function messages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (prefix ? `${path}: ${m}` : m));
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/** Picks the DTO class by `type` and validates the body against it (unknown fields rejected). */
@Injectable()
export class EventBodyPipe implements PipeTransform<unknown, Promise<EventRequest>> {
  async transform(body: unknown): Promise<EventRequest> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException('The request body must be a JSON object with type and expectedVersion.');
    }
    const type = (body as { type?: unknown }).type;
    if (!isCaseEventType(type)) throw new BadRequestException(`type must be one of ${CASE_EVENT_TYPES.join(', ')}.`);
    return validated(type, body);
  }
}

/** The body as the DTO class of its type validated it: the client's fields, plain, without type and version. */
async function validated<T extends CaseEventType>(type: T, body: object): Promise<EventRequest<T>> {
  const dto = plainToInstance(EVENT_DTOS[type], body);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new BadRequestException(messages(errors));
  const { type: _type, expectedVersion, ...input } = instanceToPlain(dto) as typeof dto;
  return { type, expectedVersion, input } as EventRequest<T>;
}
