import { Button, Card, Checkbox, Form, Input, Modal, Select, Space, Table, Typography, App } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { CursorPager } from '../../components/cursor-pager';
import { MoneyInput, moneyUnit } from '../../components/money-input';
import { StateTag } from '../../components/state-tag';
import { useI18n } from '../../i18n/i18n';
import { STATES } from '../../i18n/messages';
import { formatDateTime, formatMoney, toFen } from '../../lib/format';
import { api, call } from '../../lib/http';
import { keys, useFundNames, useFunds, type CaseDto } from '../../lib/queries';
import { hasRole, useSession } from '../../lib/session';
import { useUrlState } from '../../lib/url-state';

const TOP_STATES = Object.keys(STATES).filter((s) => !s.includes('.'));

/** Cases with filters (state, fund, owner) in the URL and keyset paging. */
export function Component() {
  const { t, code, lang } = useI18n();
  const s = useSession();
  const { get, set } = useUrlState();
  const fundNames = useFundNames();
  const funds = useFunds();
  const [creating, setCreating] = useState(false);
  const filters = {
    state: get('state'),
    fundId: get('fundId'),
    ownerId: get('owner') === 'me' ? s?.user.id : undefined,
    cursor: get('cursor'),
  };
  const list = useQuery({
    queryKey: keys.cases(filters),
    queryFn: () => call(api.GET('/api/cases', { params: { query: { ...filters, limit: 20 } } })),
  });
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('cases.title')}
        </Typography.Title>
      }
      extra={
        hasRole(s, 'investment_manager') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('cases.new')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }} aria-label={t('common.filters')}>
        <Select
          aria-label={t('cases.state')}
          placeholder={t('cases.state')}
          allowClear
          style={{ width: 180 }}
          value={get('state')}
          onChange={(v: string | undefined) => set({ state: v })}
          options={TOP_STATES.map((st) => ({ value: st, label: code('state', st) }))}
        />
        <Select
          aria-label={t('cases.fund')}
          placeholder={t('cases.fund')}
          allowClear
          style={{ width: 240 }}
          value={get('fundId')}
          onChange={(v: string | undefined) => set({ fundId: v })}
          options={(funds.data ?? []).map((f) => ({ value: f.id, label: f.name }))}
        />
        <Checkbox checked={get('owner') === 'me'} onChange={(e) => set({ owner: e.target.checked ? 'me' : undefined })}>
          {t('cases.mine')}
        </Checkbox>
      </Space>
      <ApiErrorAlert error={list.error} />
      <Table<CaseDto>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('cases.company'), dataIndex: 'companyName', render: (v: string, c) => <Link to={`/cases/${c.id}`}>{v}</Link> },
          { title: t('cases.fund'), dataIndex: 'fundId', render: (v: string) => fundNames.get(v) ?? '—' },
          { title: t('cases.amount'), dataIndex: 'requestedAmountFen', align: 'right', render: (v: number) => formatMoney(v, lang) },
          { title: t('cases.state'), dataIndex: 'state', render: (v: string) => <StateTag state={v} /> },
          { title: t('cases.version'), dataIndex: 'version' },
          { title: t('cases.updated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
        ]}
      />
      <CursorPager nextCursor={list.data?.nextCursor} />
      {creating && <NewCaseModal onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface NewCaseForm {
  companyName: string;
  sector: string;
  fundId: string;
  amount: string;
  summary: string;
}

function NewCaseModal({ onClose }: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const funds = useFunds();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewCaseForm>();
  const create = useMutation({
    mutationFn: (v: NewCaseForm) =>
      call(
        api.POST('/api/cases', {
          body: {
            companyName: v.companyName,
            sector: v.sector,
            fundId: v.fundId,
            summary: v.summary,
            requestedAmountFen: toFen(v.amount, moneyUnit(lang)) ?? 0,
          },
        }),
      ),
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: ['cases'] });
      void message.success(t('cases.created'));
      onClose();
      void navigate(`/cases/${c.id}`);
    },
  });
  const req = (field: string) => [{ required: true, message: t('form.required', { field }) }];
  return (
    <Modal
      open
      title={t('cases.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
    >
      <ApiErrorAlert error={create.error} />
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item name="companyName" label={t('cases.company')} rules={req(t('cases.company'))}>
          <Input />
        </Form.Item>
        <Form.Item name="sector" label={t('cases.sector')} rules={req(t('cases.sector'))}>
          <Input />
        </Form.Item>
        <Form.Item name="fundId" label={t('cases.fund')} rules={req(t('cases.fund'))}>
          <Select options={(funds.data ?? []).map((f) => ({ value: f.id, label: f.name }))} />
        </Form.Item>
        <Form.Item name="amount" label={t('cases.amount')} rules={req(t('cases.amount'))}>
          <MoneyInput />
        </Form.Item>
        <Form.Item name="summary" label={t('cases.summary')} rules={req(t('cases.summary'))}>
          <Input.TextArea autoSize={{ minRows: 3 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
