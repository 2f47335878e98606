import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { cstToIso, toFen, type Lang } from '../lib/format';
import type { JsonSchema, OpenApiDocument } from '../lib/openapi';
import { resolveSchema } from '../lib/openapi';
import { EvidencePicker, useEvidenceCase } from '../features/files/evidence-picker';
import { MoneyInput, moneyUnit } from './money-input';

/** Fields every event carries, filled in by the console rather than typed. */
const IMPLICIT = new Set(['type', 'expectedVersion']);

type NamePath = (string | number)[];

function isMoney(name: string, s: JsonSchema): boolean {
  return /Fen$/.test(name) && (s.type === 'integer' || s.type === 'number');
}

/**
 * The inputs of an object schema from the OpenAPI document: text, long text, money (元/万元 → fen),
 * dates (China Standard Time), enums, booleans, nested objects and lists of objects. A new event
 * (or a new field) is usable without screen code.
 */
export function SchemaFields(props: { doc: OpenApiDocument; schema: JsonSchema; path?: NamePath; listField?: boolean }) {
  const { doc, schema } = props;
  const path = props.path ?? [];
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {})
        .filter(([name]) => path.length > 0 || !IMPLICIT.has(name))
        .map(([name, raw]) => (
          <SchemaField
            key={name}
            doc={doc}
            name={name}
            schema={resolveSchema(doc, raw)}
            path={[...path, name]}
            required={required.has(name)}
          />
        ))}
    </>
  );
}

function SchemaField(props: { doc: OpenApiDocument; name: string; schema: JsonSchema; path: NamePath; required: boolean }) {
  const { doc, name, schema, path, required } = props;
  const { t, code, lang } = useI18n();
  const evidenceCase = useEvidenceCase();
  const label = code('field', name);
  const rules = required && schema.type !== 'boolean' ? [{ required: true, message: t('form.required', { field: label }) }] : [];
  const common = { label, name: path, rules, tooltip: schema.description };

  if (schema.type === 'object' && schema.properties) {
    return (
      <Card size="small" title={label} style={{ marginBottom: 16 }}>
        <SchemaFields doc={doc} schema={schema} path={path} />
      </Card>
    );
  }
  if (schema.type === 'array') {
    const items = resolveSchema(doc, schema.items);
    if (items.enum) {
      return (
        <Form.Item {...common}>
          <Select mode="multiple" allowClear options={items.enum.map((v) => ({ value: v, label: code('value', String(v)) }))} />
        </Form.Item>
      );
    }
    if (items.type === 'object') {
      return <ObjectList doc={doc} label={label} schema={items} path={path} />;
    }
    if (name === 'evidenceIds' && evidenceCase) {
      return (
        <Form.Item {...common}>
          <EvidencePicker caseId={evidenceCase} />
        </Form.Item>
      );
    }
    return (
      <Form.Item {...common} help={lang === 'en' ? 'One per line' : '每行一项'}>
        <Input.TextArea autoSize={{ minRows: 2 }} />
      </Form.Item>
    );
  }
  let input: ReactNode;
  if (schema.enum) {
    input = <Select allowClear={!required} options={schema.enum.map((v) => ({ value: v, label: code('value', String(v)) }))} />;
  } else if (schema.type === 'boolean') {
    return (
      <Form.Item {...common} valuePropName="checked" initialValue={false}>
        <Switch />
      </Form.Item>
    );
  } else if (isMoney(name, schema)) {
    input = <MoneyInput aria-required={required} />;
    common.rules = [
      ...rules,
      {
        validator: (_: unknown, v: unknown) =>
          v === undefined || v === null || v === '' || toFen(v as string, moneyUnit(lang)) !== null
            ? Promise.resolve()
            : Promise.reject(new Error(t('form.money'))),
      } as never,
    ];
  } else if (schema.format === 'date-time' || schema.format === 'date') {
    input = (
      <DatePicker
        showTime={schema.format === 'date-time' ? { format: 'HH:mm' } : false}
        format={schema.format === 'date-time' ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD'}
        needConfirm={false}
        style={{ width: '100%' }}
      />
    );
  } else if (schema.type === 'integer' || schema.type === 'number') {
    input = <InputNumber style={{ width: '100%' }} min={schema.minimum} max={schema.maximum} />;
  } else if ((schema.maxLength ?? 0) > 500) {
    input = <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} maxLength={schema.maxLength} />;
  } else {
    input = <Input maxLength={schema.maxLength} placeholder={typeof schema.example === 'string' ? schema.example : undefined} />;
  }
  return <Form.Item {...common}>{input}</Form.Item>;
}

function ObjectList(props: { doc: OpenApiDocument; label: string; schema: JsonSchema; path: NamePath }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={props.label} style={{ marginBottom: 16 }}>
      <Form.List name={props.path}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                type="inner"
                title={`${props.label} ${i + 1}`}
                extra={
                  <Button size="small" danger onClick={() => remove(f.name)}>
                    {t('common.remove')}
                  </Button>
                }
                style={{ marginBottom: 8 }}
              >
                <SchemaFields doc={props.doc} schema={props.schema} path={[f.name]} listField />
              </Card>
            ))}
            <Space>
              <Button onClick={() => add()}>
                {t('common.add')} {props.label}
              </Button>
            </Space>
          </>
        )}
      </Form.List>
    </Card>
  );
}

/** Form values → the JSON body the schema describes (fen, UTC instants, no empty optionals). */
export function toPayload(
  doc: OpenApiDocument,
  schema: JsonSchema,
  values: Record<string, unknown> | undefined,
  lang: Lang,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    if (IMPLICIT.has(name)) continue;
    const s = resolveSchema(doc, raw);
    const v = values?.[name];
    if (v === undefined || v === null || v === '') continue;
    const converted = convert(doc, name, s, v, lang);
    if (converted === undefined) continue;
    // An optional list left empty is not sent (the API may allow it only in some cases).
    if (Array.isArray(converted) && converted.length === 0 && !(schema.required ?? []).includes(name)) continue;
    out[name] = converted;
  }
  return out;
}

function convert(doc: OpenApiDocument, name: string, s: JsonSchema, v: unknown, lang: Lang): unknown {
  if (s.type === 'object' && s.properties) return toPayload(doc, s, v as Record<string, unknown>, lang);
  if (s.type === 'array') {
    const items = resolveSchema(doc, s.items);
    if (items.type === 'object') return (v as Record<string, unknown>[]).filter(Boolean).map((x) => toPayload(doc, items, x, lang));
    if (typeof v === 'string')
      return v
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    return v;
  }
  if (isMoney(name, s)) return toFen(v as string, moneyUnit(lang));
  if (s.format === 'date-time' || s.format === 'date') {
    const d = v as Dayjs;
    return cstToIso(d.year(), d.month() + 1, d.date(), s.format === 'date-time' ? d.hour() : 0, s.format === 'date-time' ? d.minute() : 0);
  }
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  return v;
}
