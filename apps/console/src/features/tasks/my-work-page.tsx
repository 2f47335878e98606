import { App, Button, Card, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { components, operations } from '../../api/schema';
import { ApiErrorAlert, errorText } from '../../components/api-error-alert';
import { CursorPager } from '../../components/cursor-pager';
import { StateTag } from '../../components/state-tag';
import { useI18n } from '../../i18n/i18n';
import { countdown } from '../../lib/format';
import { api, call } from '../../lib/http';
import { invalidateCase, keys, useFundNames } from '../../lib/queries';
import { useSession } from '../../lib/session';
import { useNow } from '../../lib/use-now';
import { useUrlState } from '../../lib/url-state';

type TaskQuery = NonNullable<operations['TasksController_list']['parameters']['query']>;
type QueueTaskDto = components['schemas']['QueueTaskDto'];

/** 工作台: the caller's queues (GET /api/tasks), overdue first, claim and release, filters in the URL. */
export function Component() {
  const { t, code, lang } = useI18n();
  const s = useSession();
  const now = useNow();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { get, set } = useUrlState();
  const fundNames = useFundNames();
  const filters = { queue: get('queue'), assignee: get('assignee'), cursor: get('cursor') };
  const tasks = useQuery({
    queryKey: keys.tasks(filters),
    queryFn: () =>
      call(
        api.GET('/api/tasks', {
          params: {
            query: {
              queue: filters.queue as TaskQuery['queue'],
              assignee: filters.assignee as TaskQuery['assignee'],
              cursor: filters.cursor,
              limit: 50,
            },
          },
        }),
      ),
  });
  const items = tasks.data?.items ?? [];
  const act = useMutation({
    mutationFn: ({ task, action }: { task: QueueTaskDto; action: 'claim' | 'release' }) =>
      call(api.POST(action === 'claim' ? '/api/tasks/{id}/claim' : '/api/tasks/{id}/release', { params: { path: { id: task.id } } })),
    onSuccess: async (_r, { task, action }) => {
      await invalidateCase(qc, task.caseId);
      void message.success(t(action === 'claim' ? 'work.claimed' : 'work.released'));
    },
    onError: (err) => void message.error(errorText(err, lang)),
  });
  const myQueues = (s?.user.roles ?? []).filter((r) => r !== 'admin');
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('work.title')}
        </Typography.Title>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('work.queue')}
          style={{ width: 200 }}
          value={get('queue') ?? ''}
          onChange={(v: string) => set({ queue: v || undefined })}
          options={[{ value: '', label: t('common.all') }, ...myQueues.map((r) => ({ value: r, label: code('role', r) }))]}
        />
        <Segmented
          aria-label={t('work.assignee')}
          value={get('assignee') ?? 'any'}
          onChange={(v) => set({ assignee: v === 'any' ? undefined : v })}
          options={[
            { value: 'any', label: t('work.assignee.any') },
            { value: 'me', label: t('work.assignee.me') },
            { value: 'unassigned', label: t('work.assignee.unassigned') },
          ]}
        />
      </Space>
      <ApiErrorAlert error={tasks.error} />
      <Table<QueueTaskDto>
        rowKey="id"
        loading={tasks.isLoading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('work.empty') }}
        rowClassName={(x) => (x.overdue ? 'row-overdue' : '')}
        columns={[
          { title: t('work.kind'), dataIndex: 'kind', render: (v: string, x) => <Link to={`/cases/${x.caseId}`}>{code('task', v)}</Link> },
          { title: t('work.case'), dataIndex: 'companyName' },
          { title: t('work.fund'), dataIndex: 'fundId', render: (v: string) => fundNames.get(v) ?? '…' },
          { title: t('work.state'), dataIndex: 'caseState', render: (v: string) => <StateTag state={v} /> },
          { title: t('work.queue'), dataIndex: 'queue', render: (v: string) => code('role', v) },
          {
            title: t('work.due'),
            dataIndex: 'dueAt',
            render: (v: string, x) => {
              const cd = countdown(v, now, lang);
              return (
                <Space size={4} wrap>
                  <Typography.Text type={cd.overdue || x.overdue ? 'danger' : undefined}>{cd.text}</Typography.Text>
                  {x.overdue && <Tag color="red">{t('work.overdue')}</Tag>}
                  {x.escalated && <Tag color="volcano">{t('work.escalated')}</Tag>}
                </Space>
              );
            },
          },
          {
            title: t('work.assignee'),
            dataIndex: 'assigneeId',
            render: (v: string | null) => (v === null ? t('common.unassigned') : v === s?.user.id ? s.user.displayName : t('work.heldBy')),
          },
          {
            title: t('work.actions'),
            key: 'actions',
            render: (_: unknown, x) => (
              <Space>
                {x.assigneeId === null && (
                  <Button size="small" onClick={() => act.mutate({ task: x, action: 'claim' })}>
                    {t('work.claim')}
                  </Button>
                )}
                {x.assigneeId === s?.user.id && (
                  <Button size="small" onClick={() => act.mutate({ task: x, action: 'release' })}>
                    {t('work.release')}
                  </Button>
                )}
                <Link to={`/cases/${x.caseId}`}>{t('common.open')}</Link>
              </Space>
            ),
          },
        ]}
      />
      <CursorPager nextCursor={tasks.data?.nextCursor} />
    </Card>
  );
}
