import { Alert, Button, Card, Col, DatePicker, Descriptions, Row, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { StateTag } from '../../components/state-tag';
import { useI18n } from '../../i18n/i18n';
import { countdown, cstToIso, formatDateTime, formatMoney, isoToCst, shortId } from '../../lib/format';
import { useCase, useFundNames, type TaskDto } from '../../lib/queries';
import { useSession } from '../../lib/session';
import { useUrlState } from '../../lib/url-state';
import { CommitteeBoard } from '../committee/committee-board';
import { ExemptionReview } from '../exemption/exemption-review';
import { CaseFiles } from '../files/case-files';
import { CaseTimeline } from './case-timeline';
import { EventActions } from './event-actions';
import { LifecycleSteps } from './lifecycle-steps';

/** One case: header, lifecycle, open tasks, what the person can do now, timeline, time travel. */
export function Component() {
  const { id = '' } = useParams();
  const { t, code, lang } = useI18n();
  const { get, set } = useUrlState();
  const asOf = get('asOf');
  const me = useSession()?.user;
  const kase = useCase(id, asOf);
  const fundNames = useFundNames();
  if (kase.error)
    return (
      <>
        <ApiErrorAlert error={kase.error} />
        {asOf && <Button onClick={() => set({ asOf: undefined })}>{t('case.asOfNow')}</Button>}
      </>
    );
  if (!kase.data) return <Skeleton active />;
  const c = kase.data;
  const who = (uid: string | null) => (uid === null ? t('common.unassigned') : uid === me?.id ? me.displayName : shortId(uid));
  const wf = c.workflow as { votes?: unknown[]; committeeDecision?: unknown; riskOpinion?: unknown; exemption?: unknown };
  const showCommittee = c.state === 'committee' || !!wf.committeeDecision || (wf.votes?.length ?? 0) > 0;
  const showExemption = c.state.startsWith('exemptionReview') || !!wf.exemption;
  const tab = get('tab') ?? (c.state.startsWith('exemptionReview') ? 'exemption' : c.state === 'committee' ? 'committee' : 'tasks');
  const sidePanel = tab !== 'committee' && tab !== 'exemption';
  const showEntry = (seq: string) => set({ tab: 'timeline', seq }, { keepCursor: true });
  const asOfValue = asOf
    ? (() => {
        const p = isoToCst(asOf);
        return dayjs(new Date(p.year, p.month - 1, p.day, p.hour, p.minute));
      })()
    : null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {c.companyName} <StateTag state={c.state} />
          </Typography.Title>
          <Space>
            <span>{t('case.asOf')}</span>
            <DatePicker
              aria-label={t('case.asOf')}
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={asOfValue}
              onChange={(d) => set({ asOf: d ? cstToIso(d.year(), d.month() + 1, d.date(), d.hour(), d.minute(), 59) : undefined })}
            />
          </Space>
        </Space>
        {asOf && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            title={t('case.asOfBanner', { at: formatDateTime(asOf) })}
            action={
              <Button size="small" onClick={() => set({ asOf: undefined })}>
                {t('case.asOfNow')}
              </Button>
            }
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('cases.fund')}>{fundNames.get(c.fundId) ?? shortId(c.fundId)}</Descriptions.Item>
          <Descriptions.Item label={t('cases.sector')}>{c.sector}</Descriptions.Item>
          <Descriptions.Item label={t('cases.owner')}>{who(c.ownerId)}</Descriptions.Item>
          <Descriptions.Item label={t('cases.amount')}>{formatMoney(c.requestedAmountFen, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('cases.invested')}>{formatMoney(c.investedFen, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('cases.proceeds')}>{formatMoney(c.proceedsFen, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('cases.version')}>{c.version}</Descriptions.Item>
          <Descriptions.Item label={t('cases.updated')}>{formatDateTime(c.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('case.team')}>{c.team.map(who).join('、')}</Descriptions.Item>
        </Descriptions>
        <div style={{ marginTop: 16 }}>
          <LifecycleSteps
            state={c.state}
            reachedExemption={c.state.startsWith('exemptionReview') || (c.proceedsFen ?? Infinity) < (c.investedFen ?? 0)}
          />
        </div>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={sidePanel ? 15 : 24}>
          <Card>
            <Tabs
              activeKey={tab}
              onChange={(k) => set({ tab: k, seq: undefined }, { keepCursor: true })}
              items={[
                {
                  key: 'tasks',
                  label: t('case.tasks'),
                  children: (
                    <Table<TaskDto>
                      rowKey="id"
                      size="small"
                      pagination={false}
                      dataSource={c.tasks}
                      columns={[
                        { title: t('work.kind'), dataIndex: 'kind', render: (v: string) => code('task', v) },
                        { title: t('work.queue'), dataIndex: 'queue', render: (v: string) => code('role', v) },
                        { title: t('work.assignee'), dataIndex: 'assigneeId', render: (v: string | null) => who(v) },
                        {
                          title: t('work.due'),
                          dataIndex: 'dueAt',
                          render: (v: string, task) => (
                            <Space>
                              {countdown(v, Date.now(), lang).text}
                              {task.escalated && <Tag color="volcano">{t('work.escalated')}</Tag>}
                            </Space>
                          ),
                        },
                      ]}
                    />
                  ),
                },
                { key: 'timeline', label: t('case.timeline'), children: <CaseTimeline caseId={c.id} highlightSeq={get('seq')} /> },
                { key: 'files', label: t('files.tab'), children: <CaseFiles kase={c} /> },
                ...(showCommittee ? [{ key: 'committee', label: t('committee.title'), children: <CommitteeBoard kase={c} /> }] : []),
                ...(showExemption
                  ? [{ key: 'exemption', label: t('exemption.title'), children: <ExemptionReview kase={c} onShowEntry={showEntry} /> }]
                  : []),
              ]}
            />
          </Card>
        </Col>
        {sidePanel && (
          <Col xs={24} lg={9}>
            {asOf ? null : <EventActions kase={c} />}
          </Col>
        )}
      </Row>
    </Space>
  );
}
