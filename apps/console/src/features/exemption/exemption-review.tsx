import { Alert, Button, Card, Col, Descriptions, Empty, List, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { usePersonName } from '../../components/person';
import { useI18n } from '../../i18n/i18n';
import { countdown, formatDateTime, formatEvidenceRefs, formatMoney } from '../../lib/format';
import { useExemption, type CaseDto, type ExemptionRecordDto } from '../../lib/queries';
import { useNow } from '../../lib/use-now';
import { EventActions, type EventChoice } from '../cases/event-actions';
import { DueProcessSection } from './due-process-section';

type Criterion = ExemptionRecordDto['criteria'][number];
type ReportItem = ExemptionRecordDto['proceduralReport']['items'][number];
type Participant = ExemptionRecordDto['participants'][number];

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(2)}%`);

/**
 * 尽职免责: the record of GET /api/cases/:id/exemption made readable (criteria as a checklist with the
 * automatic evidence beside each manual finding, the negative list, the procedural-compliance report
 * with links into the timeline, due process, positions, loss and tier, the frozen tolerance, the decision, the notice)
 * and the forms to verify, flag, decide, object and conclude.
 */
export function ExemptionReview({ kase, onShowEntry }: { kase: CaseDto; onShowEntry: (seq: string) => void }) {
  const { t, code, lang } = useI18n();
  const record = useExemption(kase.id);
  const person = usePersonName();
  const now = useNow();
  const [choice, setChoice] = useState<EventChoice | null>(null);
  if (record.isLoading) return <Skeleton active />;
  const r = record.data;
  if (!r) return <Empty description={t('exemption.none')} />;
  const zh = lang === 'zh-CN';
  const title = (x: { title: string; titleZh: string | null }) => (zh && x.titleZh ? x.titleZh : x.title);
  const who = (id: string | null | undefined) => person(id, r.people);
  const can = (e: string) => kase.availableEvents.includes(e as never);
  const seqLinks = (seqs: string[]) =>
    seqs.map((s) => (
      <Button key={s} type="link" size="small" onClick={() => onShowEntry(s)} style={{ padding: '0 4px' }}>
        #{s}
      </Button>
    ));
  return (
    <Row gutter={16}>
      <Col xs={24} xl={15}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Card size="small" title={t('exemption.criteria')}>
            <Table<Criterion>
              rowKey="criterion"
              size="small"
              pagination={false}
              dataSource={r.criteria}
              columns={[
                { title: code('field', 'criterion'), key: 'title', render: (_: unknown, c) => <span title={c.criterion}>{title(c)}</span> },
                {
                  title: t('exemption.auto'),
                  key: 'auto',
                  render: (_: unknown, c) =>
                    c.autoEvidence ? (
                      <Tag color={c.autoEvidence.met ? 'green' : 'red'}>
                        {c.autoEvidence.met ? code('value', 'met') : `${code('value', 'not_met')}: ${c.autoEvidence.unmet.join(', ')}`}
                      </Tag>
                    ) : (
                      '—'
                    ),
                },
                {
                  title: t('exemption.manual'),
                  key: 'finding',
                  render: (_: unknown, c) =>
                    c.finding ? (
                      <Space orientation="vertical" size={0}>
                        <Tag color={c.finding === 'met' ? 'green' : 'red'}>{code('value', c.finding)}</Tag>
                        <Typography.Text type="secondary">
                          {who(c.verifiedBy)} · {formatDateTime(c.verifiedAt)}
                        </Typography.Text>
                        {c.note && <span>{c.note}</span>}
                      </Space>
                    ) : can('VERIFY_CRITERION') ? (
                      <Button
                        size="small"
                        onClick={() => setChoice({ type: 'VERIFY_CRITERION', values: { criterion: c.criterion }, key: c.criterion })}
                      >
                        {t('exemption.verify')}
                      </Button>
                    ) : (
                      <Tag>{t('exemption.unverified')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
          <Card
            size="small"
            title={`${t('exemption.negativeList')} · ${r.negativeList.clear ? t('exemption.clear') : t('exemption.flagged')}`}
          >
            <List
              size="small"
              dataSource={r.negativeList.items}
              renderItem={(i) => (
                <List.Item
                  actions={
                    can('FLAG_NEGATIVE_LIST') && !i.flagged
                      ? [
                          <Button
                            key="f"
                            size="small"
                            danger
                            onClick={() => setChoice({ type: 'FLAG_NEGATIVE_LIST', values: { item: i.item }, key: i.item })}
                          >
                            {t('exemption.flag')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <Space orientation="vertical" size={0}>
                    <span>
                      {i.flagged ? <Tag color="red">{t('exemption.flagged')}</Tag> : <Tag color="green">✓</Tag>} {title(i)}
                    </span>
                    {i.flags.map((f) => (
                      <Typography.Text key={f.at} type="secondary">
                        {who(f.by)} · {formatDateTime(f.at)}: {f.note}
                      </Typography.Text>
                    ))}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('exemption.report')}>
            <Table<ReportItem>
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={r.proceduralReport.items}
              columns={[
                { title: t('exemption.rule'), key: 'rule', render: (_: unknown, i) => (zh ? i.ruleZh : i.rule) },
                { title: t('exemption.finding'), dataIndex: 'finding' },
                {
                  title: '',
                  key: 'met',
                  render: (_: unknown, i) =>
                    i.applicable === false ? (
                      <Tag>{t('exemption.notApplicable')}</Tag>
                    ) : (
                      <Tag color={i.met ? 'green' : 'red'}>{code('value', i.met ? 'met' : 'not_met')}</Tag>
                    ),
                },
                { title: t('case.by'), dataIndex: 'by', render: (by: string[]) => by.map((b) => who(b)).join('、') || '—' },
                { title: t('exemption.evidence'), dataIndex: 'evidence', render: (seqs: string[]) => seqLinks(seqs) },
              ]}
            />
          </Card>
          <DueProcessSection r={r} who={who} now={now} />
          <Card size="small" title={t('exemption.participants')}>
            <Table<Participant>
              rowKey="userId"
              size="small"
              pagination={false}
              dataSource={r.participants}
              columns={[
                { title: t('committee.member'), dataIndex: 'userId', render: (v: string) => who(v) },
                {
                  title: code('field', 'accountability'),
                  dataIndex: 'roles',
                  render: (roles: string[]) => roles.map((x) => code('role', x)).join('、'),
                },
                {
                  title: t('exemption.participants'),
                  key: 'actions',
                  render: (_: unknown, p) => (
                    <Space orientation="vertical" size={0}>
                      {p.actions.map((a) => (
                        <span key={a.seq}>
                          {a.position}
                          {a.reason ? `：${a.reason}` : ''} {seqLinks([a.seq])}
                        </span>
                      ))}
                    </Space>
                  ),
                },
                {
                  title: t('exemption.dissent'),
                  dataIndex: 'dissent',
                  render: (d: boolean) => (d ? <Tag color="gold">{t('exemption.dissent')}</Tag> : '—'),
                },
                {
                  title: t('exemption.referrals'),
                  dataIndex: 'referral',
                  render: (v: string | null) => (v ? <Tag color="red">{code('value', v)}</Tag> : '—'),
                },
              ]}
            />
          </Card>
        </Space>
      </Col>
      <Col xs={24} xl={9}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {!kase.asOf && <EventActions kase={kase} title={t('case.actions')} choice={choice} onChoice={setChoice} />}
          <Card size="small" title={t('exemption.loss')}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('cases.invested')}>{formatMoney(r.loss.investedFen, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('cases.proceeds')}>{formatMoney(r.loss.proceedsFen, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('exemption.lossFen')}>{formatMoney(r.loss.lossFen, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('exemption.lossRate')}>{pct(r.loss.lossRate)}</Descriptions.Item>
              <Descriptions.Item label={t('exemption.tier')}>
                <Tag color={r.loss.tier.code === 'grave' ? 'red' : r.loss.tier.code === 'major' ? 'orange' : 'blue'}>
                  {zh ? r.loss.tier.titleZh : r.loss.tier.titleEn}
                </Tag>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {r.tolerance && (
            <Card
              size="small"
              title={`${t('exemption.tolerance')} · ${r.tolerance.basis === 'decision' ? t('exemption.toleranceFrozen') : t('exemption.toleranceLive')}`}
            >
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('funds.limit')}>{pct(r.tolerance.limitRate)}</Descriptions.Item>
                <Descriptions.Item label={t('funds.lossRate')}>{pct(r.tolerance.lossRate)}</Descriptions.Item>
                <Descriptions.Item label={t('funds.within')}>
                  <Tag color={r.tolerance.withinTolerance ? 'green' : 'red'}>
                    {r.tolerance.withinTolerance ? t('exemption.within') : t('exemption.over')}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('case.details')}>
                  {formatDateTime(r.tolerance.asOf)} · {r.tolerance.policyVersion}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          {r.application && (
            <Card size="small" title={t('exemption.application')}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={code('field', 'lossCause')}>{code('value', r.application.lossCause)}</Descriptions.Item>
                <Descriptions.Item label={code('field', 'statement')}>{r.application.statement}</Descriptions.Item>
                <Descriptions.Item label={t('exemption.declarations')}>
                  {Object.entries(r.application.declarations).map(([k, v]) => (
                    <Tag key={k} color={v ? 'green' : 'red'}>
                      {code('field', k)}
                    </Tag>
                  ))}
                </Descriptions.Item>
                <Descriptions.Item label={code('field', 'evidence')}>{formatEvidenceRefs(r.application.evidence)}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          {r.outcome && (
            <Card size="small" title={t('exemption.decision')}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={code('field', 'outcome')}>
                  <Tag color={r.outcome === 'exempt' ? 'green' : r.outcome === 'partial' ? 'orange' : 'red'}>
                    {code('value', r.outcome)}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={code('field', 'reasons')}>{r.reasons}</Descriptions.Item>
                <Descriptions.Item label={t('case.by')}>
                  {who(r.decidedBy)} · {formatDateTime(r.decidedAt)}
                </Descriptions.Item>
                {r.accountability.length > 0 && (
                  <Descriptions.Item label={t('exemption.referrals')}>
                    {r.accountability.map((a) => `${who(a.userId)}（${zh ? a.responsibilityZh : a.responsibility}）`).join('、')}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
          )}
          {r.notice && (
            <Card size="small" title={t('exemption.notice')}>
              {r.notice.concludedAt ? (
                <Alert type="success" title={`${code('event', 'CONCLUDE_NOTICE')} · ${formatDateTime(r.notice.concludedAt)}`} />
              ) : (
                <Alert
                  type="info"
                  title={t('exemption.noticeEnds', { at: formatDateTime(r.notice.endsAt) })}
                  description={countdown(r.notice.endsAt, now, lang).text}
                />
              )}
              <Typography.Title level={3} style={{ fontSize: 14, marginTop: 12 }}>
                {t('exemption.objections')}
              </Typography.Title>
              <List
                size="small"
                dataSource={r.objections}
                locale={{ emptyText: t('common.none') }}
                renderItem={(o) => (
                  <List.Item>
                    <Space orientation="vertical" size={0}>
                      <span>
                        #{o.index} {o.text}
                      </span>
                      <Typography.Text type="secondary">
                        {who(o.by)} · {formatDateTime(o.at)} ·{' '}
                        {o.ruling ? (o.ruling.upheld ? t('exemption.upheld') : t('exemption.dismissed')) : t('exemption.pending')}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Card size="small" title={t('exemption.versions')}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {Object.entries(r.configVersions)
                .filter(([, v]) => typeof v === 'string')
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(' · ')}
            </Typography.Text>
          </Card>
        </Space>
      </Col>
    </Row>
  );
}
