import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CASE_EVENT_TYPES, type CaseEventType } from '@app/case-workflow';
import type { EventInput } from '@app/domain';
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
export class EventBodyPipe implements PipeTransform<unknown, Promise<EventInput>> {
  async transform(body: unknown): Promise<EventInput> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException('The request body must be a JSON object with type and expectedVersion.');
    }
    const type = (body as { type?: unknown }).type;
    if (typeof type !== 'string' || !(CASE_EVENT_TYPES as readonly string[]).includes(type)) {
      throw new BadRequestException(`type must be one of ${CASE_EVENT_TYPES.join(', ')}.`);
    }
    const dto = plainToInstance(EVENT_DTOS[type as CaseEventType], body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length > 0) throw new BadRequestException(messages(errors));
    const { type: _t, expectedVersion, ...payload } = instanceToPlain(dto) as Record<string, unknown>;
    return { type: type as CaseEventType, expectedVersion: expectedVersion as number, payload };
  }
}
