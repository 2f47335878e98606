import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tabs, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { components } from '../../api/schema';
import { ApiErrorAlert, errorText } from '../../components/api-error-alert';
import { MoneyInput, moneyUnit } from '../../components/money-input';
import { useI18n } from '../../i18n/i18n';
import { ROLES } from '../../i18n/messages';
import { formatDateTime, formatMoney, toFen } from '../../lib/format';
import { api, call } from '../../lib/http';
import { keys, useFunds, type FundDto } from '../../lib/queries';
import { useUrlState } from '../../lib/url-state';

type UserDto = components['schemas']['UserDto'];
type CreateUser = components['schemas']['CreateUserDto'];
type FundType = components['schemas']['CreateFundDto']['type'];
const FUND_TYPES: FundType[] = ['seed', 'angel', 'venture', 'industry', 'buyout'];

/** Administration (admin): users and funds. */
export function Component() {
  const { t } = useI18n();
  const { get, set } = useUrlState();
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('admin.title')}
        </Typography.Title>
      }
    >
      <Tabs
        activeKey={get('tab') ?? 'users'}
        onChange={(k) => set({ tab: k })}
        items={[
          { key: 'users', label: t('admin.users'), children: <Users /> },
          { key: 'funds', label: t('admin.funds'), children: <Funds /> },
        ]}
      />
    </Card>
  );
}

function Users() {
  const { t, code, lang } = useI18n();
  const [creating, setCreating] = useState(false);
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(api.GET('/api/users')) });
  const qc = useQueryClient();
  const { message } = App.useApp();
  const toggle = useMutation({
    mutationFn: (u: UserDto) =>
      call(api.POST(u.active ? '/api/users/{id}/deactivate' : '/api/users/{id}/activate', { params: { path: { id: u.id } }, body: {} })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
    onError: (err) => void message.error(errorText(err, lang)),
  });
  return (
    <>
      <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 16 }}>
        {t('admin.newUser')}
      </Button>
      <ApiErrorAlert error={users.error} />
      <Table<UserDto>
        rowKey="id"
        size="small"
        loading={users.isLoading}
        dataSource={users.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          {
            title: t('admin.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{code('role', r)}</Tag>),
          },
          {
            title: t('admin.active'),
            dataIndex: 'active',
            render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? t('admin.activeYes') : t('admin.activeNo')}</Tag>,
          },
          { title: t('cases.updated'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: t('work.actions'),
            key: 'actions',
            render: (_: unknown, u) => (
              <Button
                size="small"
                danger={u.active}
                loading={toggle.isPending && toggle.variables?.id === u.id}
                onClick={() => toggle.mutate(u)}
              >
                {u.active ? t('admin.deactivate') : t('admin.activate')}
              </Button>
            ),
          },
        ]}
      />
      {creating && <NewUser onClose={() => setCreating(false)} />}
    </>
  );
}

function NewUser({ onClose }: { onClose: () => void }) {
  const { t, code } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateUser>();
  const create = useMutation({
    mutationFn: (body: CreateUser) => call(api.POST('/api/users', { body })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['users'] });
      void message.success(t('admin.created'));
      onClose();
    },
  });
  const req = (f: string) => [{ required: true, message: t('form.required', { field: f }) }];
  return (
    <Modal
      open
      title={t('admin.newUser')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
    >
      <ApiErrorAlert error={create.error} />
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item name="username" label={t('admin.username')} rules={req(t('admin.username'))}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.displayName')} rules={req(t('admin.displayName'))}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('admin.password')} rules={req(t('admin.password'))}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.roles')} rules={req(t('admin.roles'))}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={Object.keys(ROLES).map((r) => ({ value: r, label: code('role', r) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface NewFundForm {
  name: string;
  type: FundType;
  size: string;
  vintageYear: number;
  termYears: number;
}

function Funds() {
  const { t, code, lang } = useI18n();
  const funds = useFunds();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<NewFundForm>();
  const create = useMutation({
    mutationFn: (v: NewFundForm) =>
      call(
        api.POST('/api/funds', {
          body: {
            name: v.name,
            type: v.type,
            sizeFen: toFen(v.size, moneyUnit(lang)) ?? 0,
            vintageYear: v.vintageYear,
            termYears: v.termYears,
          },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.funds });
      void message.success(t('funds.created'));
      setCreating(false);
    },
  });
  const req = (f: string) => [{ required: true, message: t('form.required', { field: f }) }];
  return (
    <>
      <Button type="primary" onClick={() => setCreating(true)} style={{ marginBottom: 16 }}>
        {t('funds.new')}
      </Button>
      <Table<FundDto>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={funds.data ?? []}
        columns={[
          { title: t('funds.name'), dataIndex: 'name' },
          { title: t('funds.type'), dataIndex: 'type', render: (v: string) => code('value', v) },
          { title: t('funds.size'), dataIndex: 'sizeFen', align: 'right', render: (v: number) => formatMoney(v, lang) },
          { title: t('funds.vintage'), dataIndex: 'vintageYear' },
          { title: t('funds.term'), dataIndex: 'termYears' },
        ]}
      />
      {creating && (
        <Modal
          open
          title={t('funds.new')}
          onCancel={() => setCreating(false)}
          onOk={() => form.submit()}
          okText={t('common.submit')}
          cancelText={t('common.cancel')}
          confirmLoading={create.isPending}
        >
          <ApiErrorAlert error={create.error} />
          <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
            <Form.Item name="name" label={t('funds.name')} rules={req(t('funds.name'))}>
              <Input />
            </Form.Item>
            <Form.Item name="type" label={t('funds.type')} rules={req(t('funds.type'))}>
              <Select options={FUND_TYPES.map((f) => ({ value: f, label: code('value', f) }))} />
            </Form.Item>
            <Form.Item name="size" label={t('funds.size')} rules={req(t('funds.size'))}>
              <MoneyInput />
            </Form.Item>
            <Form.Item name="vintageYear" label={t('funds.vintage')} rules={req(t('funds.vintage'))}>
              <InputNumber min={1990} max={2100} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="termYears" label={t('funds.term')} rules={req(t('funds.term'))}>
              <InputNumber min={1} max={30} style={{ width: '100%' }} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}
