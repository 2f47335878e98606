import { Alert, App, Button, Card, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiErrorAlert, errorText } from '../../components/api-error-alert';
import { CursorPager } from '../../components/cursor-pager';
import { usePersonName } from '../../components/person';
import { useI18n } from '../../i18n/i18n';
import { EVENTS } from '../../i18n/messages';
import { cstToIso, formatDateTime, isoToCst, shortId } from '../../lib/format';
import { api, call, download } from '../../lib/http';
import { useUserNames, type AuditEntryDto } from '../../lib/queries';
import { useUrlState } from '../../lib/url-state';
import { DocumentCheck } from '../files/document-check';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toIso = (d: Dayjs) => cstToIso(d.year(), d.month() + 1, d.date(), d.hour(), d.minute());
const fromIso = (iso: string | undefined) => {
  if (!iso) return null;
  const p = isoToCst(iso);
  return dayjs(new Date(p.year, p.month - 1, p.day, p.hour, p.minute));
};

/** 审计: history entries by case, person, type and time window; chain verification; CSV/JSON exports. */
export function Component() {
  const { t, code, lang } = useI18n();
  const { message } = App.useApp();
  const { get, set } = useUrlState();
  const names = useUserNames();
  const person = usePersonName();
  const [caseText, setCaseText] = useState(get('caseId') ?? '');
  const filters = {
    caseId: get('caseId'),
    actorId: get('actorId'),
    type: get('type'),
    from: get('from'),
    to: get('to'),
    cursor: get('cursor'),
  };
  const entries = useQuery({
    queryKey: ['audit', filters],
    queryFn: () => call(api.GET('/api/audit/events', { params: { query: { ...filters, limit: 100 } } })),
  });
  const verify = useMutation({
    mutationFn: (caseId?: string) => call(api.GET('/api/audit/verify', { params: { query: caseId ? { caseId } : {} } })),
  });
  const broken = verify.data?.firstBrokenSeq;
  const exportFile = async (format: 'csv' | 'json') => {
    const q = new URLSearchParams({ format, ...(filters.caseId ? { caseId: filters.caseId } : {}) });
    try {
      await download(`/api/audit/export?${q.toString()}`, `audit-${filters.caseId ?? 'all'}.${format}`);
    } catch (err) {
      void message.error(errorText(err, lang));
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {t('audit.title')}
          </Typography.Title>
        }
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('audit.caseId')}
            placeholder={t('audit.caseId')}
            style={{ width: 340 }}
            value={caseText}
            onChange={(e) => setCaseText(e.target.value)}
            onSearch={(v) => set({ caseId: UUID.test(v.trim()) ? v.trim() : undefined })}
            enterButton={t('audit.search')}
            allowClear
          />
          <Select
            aria-label={t('audit.actor')}
            placeholder={t('audit.actor')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            value={get('actorId')}
            onChange={(v: string | undefined) => set({ actorId: v })}
            options={[...names.entries()].map(([id, name]) => ({ value: id, label: name }))}
          />
          <Select
            aria-label={t('audit.type')}
            placeholder={t('audit.type')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            value={get('type')}
            onChange={(v: string | undefined) => set({ type: v })}
            options={Object.keys(EVENTS).map((e) => ({ value: e, label: code('event', e) }))}
          />
          <DatePicker.RangePicker
            aria-label={t('audit.window')}
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={[fromIso(get('from')), fromIso(get('to'))]}
            onChange={(r) => set({ from: r?.[0] ? toIso(r[0]) : undefined, to: r?.[1] ? toIso(r[1]) : undefined })}
          />
        </Space>
        <Space wrap style={{ marginBottom: 16 }}>
          <Button type="primary" loading={verify.isPending} onClick={() => verify.mutate(filters.caseId)}>
            {filters.caseId ? t('audit.verifyCase') : t('audit.verify')}
          </Button>
          <Button onClick={() => void exportFile('csv')}>{t('audit.csv')}</Button>
          <Button onClick={() => void exportFile('json')}>{t('audit.json')}</Button>
        </Space>
        {verify.error && <ApiErrorAlert error={verify.error} />}
        {verify.data && (
          <Alert
            role="status"
            style={{ marginBottom: 16 }}
            type={verify.data.valid ? 'success' : 'error'}
            showIcon
            title={
              verify.data.valid
                ? t('audit.valid', { checked: verify.data.checked, chains: verify.data.chains })
                : t('audit.broken', { broken: verify.data.brokenChains, seq: broken ?? '?' })
            }
            description={verify.data.broken
              .slice(0, 5)
              .map((b) => JSON.stringify(b))
              .join('\n')}
          />
        )}
        <ApiErrorAlert error={entries.error} />
        <Table<AuditEntryDto>
          rowKey="seq"
          size="small"
          loading={entries.isLoading}
          dataSource={entries.data?.items ?? []}
          pagination={false}
          rowClassName={(e) => (e.seq === broken ? 'ant-table-row-selected' : '')}
          onRow={(e) => (e.seq === broken ? { 'aria-invalid': true, style: { outline: '2px solid #cf1322' } } : {})}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq' },
            { title: t('audit.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
            { title: t('audit.type'), dataIndex: 'type', render: (v: string) => code('event', v) },
            {
              title: t('audit.actor'),
              dataIndex: 'actorId',
              render: (v: string | null, e) => `${person(v)} ${e.actorRoles.map((r) => code('role', r)).join('、')}`,
            },
            {
              title: t('audit.case'),
              dataIndex: 'caseId',
              render: (v: string | null) => (v ? <Link to={`/cases/${v}?tab=timeline`}>{shortId(v)}</Link> : '—'),
            },
            {
              title: t('audit.transition'),
              key: 'tr',
              render: (_: unknown, e) => (e.fromState || e.toState ? `${code('state', e.fromState)} → ${code('state', e.toState)}` : '—'),
            },
            { title: t('case.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '' },
          ]}
        />
        <CursorPager nextCursor={entries.data?.nextCursor} />
      </Card>
      <DocumentCheck />
    </Space>
  );
}
