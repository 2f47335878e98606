import { Alert, App, Button, Card, Empty, Form, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiErrorAlert, errorText } from '../../components/api-error-alert';
import { SchemaFields, toPayload } from '../../components/schema-form';
import { useI18n } from '../../i18n/i18n';
import { api, ApiError, call, newIdempotencyKey } from '../../lib/http';
import { eventSchema, useOpenApi } from '../../lib/openapi';
import { invalidateCase, keys, type CaseDto } from '../../lib/queries';
import { EvidenceCaseContext } from '../files/evidence-picker';

/**
 * "What you can do now": one button per event in `availableEvents`, each opening a form generated
 * from that event's schema in the OpenAPI document. The body carries the version the person saw; a
 * 409 offers a reload that keeps what they typed. Each submission carries an Idempotency-Key, the
 * same for a retry of the same body (a lost answer, a double click), so the event is recorded once.
 */
export interface EventChoice {
  type: string;
  /** Prefilled values (e.g. the criterion a checklist row names). */
  values?: Record<string, unknown>;
  /** Distinguishes two choices of the same event (each gets a fresh form). */
  key?: string;
}

export function EventActions(props: {
  kase: CaseDto;
  only?: string[];
  title?: string;
  choice?: EventChoice | null;
  onChoice?: (c: EventChoice | null) => void;
}) {
  const { kase, only, title } = props;
  const { t, code } = useI18n();
  const events: string[] = kase.availableEvents.filter((e) => !only || only.includes(e));
  const [own, setOwn] = useState<EventChoice | null>(null);
  const choice = props.onChoice ? (props.choice ?? null) : own;
  const setChoice = props.onChoice ?? setOwn;
  const selected = choice?.type ?? null;
  const setSelected = (type: string | null) => setChoice(type ? { type } : null);
  const active = selected && (events.includes(selected) ? selected : null);
  return (
    <Card title={title ?? t('case.actions')} size="small">
      {events.length === 0 && !selected && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('case.noActions')} />}
      <Space wrap style={{ marginBottom: selected ? 16 : 0 }}>
        {events.map((e) => (
          <Button key={e} type={e === selected ? 'primary' : 'default'} onClick={() => setSelected(e === selected ? null : e)}>
            {code('event', e)}
          </Button>
        ))}
      </Space>
      {choice && (
        <EventForm
          key={`${choice.type}:${choice.key ?? ''}`}
          kase={kase}
          type={choice.type}
          initialValues={choice.values}
          gone={!active}
          onDone={() => setSelected(null)}
        />
      )}
    </Card>
  );
}

function EventForm(props: { kase: CaseDto; type: string; gone: boolean; onDone: () => void; initialValues?: Record<string, unknown> }) {
  const { kase, type, gone, onDone } = props;
  const { t, code, lang } = useI18n();
  const doc = useOpenApi();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [conflict, setConflict] = useState(false);
  const schema = doc.data ? eventSchema(doc.data, type) : null;
  // The key of the last submission: kept while the body is the same, new for another body.
  const submission = useRef<{ body: string; key: string } | null>(null);
  const send = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const payload = doc.data && schema ? toPayload(doc.data, schema, values, lang) : {};
      const body = { ...payload, type, expectedVersion: kase.version };
      const json = JSON.stringify(body);
      if (submission.current?.body !== json) submission.current = { body: json, key: newIdempotencyKey() };
      return call(
        api.POST('/api/cases/{id}/events', {
          params: { path: { id: kase.id }, header: { 'Idempotency-Key': submission.current.key } },
          body: body as never,
        }),
      );
    },
    onSuccess: async (next) => {
      qc.setQueryData(keys.case(kase.id, null), next);
      await invalidateCase(qc, kase.id);
      void message.success(t('case.sent', { event: code('event', type) }));
      form.resetFields();
      onDone();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
    },
  });
  const reload = async () => {
    await qc.refetchQueries({ queryKey: keys.case(kase.id, null) });
    await invalidateCase(qc, kase.id);
    setConflict(false);
    send.reset();
  };
  if (doc.error) return <ApiErrorAlert error={doc.error} />;
  if (!doc.data) return null;
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={props.initialValues}
      onFinish={(v) => send.mutate(v)}
      aria-label={code('event', type)}
      name={`event-${type}`}
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('case.conflict')}
          action={
            <Button size="small" type="primary" onClick={() => void reload()}>
              {t('common.reload')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      ) : (
        send.error && <Alert type="error" showIcon role="alert" title={errorText(send.error, lang)} style={{ marginBottom: 16 }} />
      )}
      {gone && <Alert type="info" showIcon title={t('case.eventGone')} style={{ marginBottom: 16 }} />}
      {schema && (
        <EvidenceCaseContext.Provider value={kase.id}>
          <SchemaFields doc={doc.data} schema={schema} />
        </EvidenceCaseContext.Provider>
      )}
      <Space>
        <Button type="primary" htmlType="submit" loading={send.isPending} disabled={gone || conflict}>
          {t('common.submit')} · {code('event', type)}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
