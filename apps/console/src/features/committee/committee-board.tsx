import { Card, Col, Descriptions, Empty, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import { usePersonName } from '../../components/person';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { useCommitteeRule, type CaseDto } from '../../lib/queries';
import { EventActions } from '../cases/event-actions';

interface Vote {
  by: string;
  at: string;
  vote: string;
  reason: string;
}
interface RiskOpinion {
  by: string;
  at: string;
  opinion: string;
  reason: string;
  conditions: string | null;
}
interface Decision {
  round: number;
  approved: boolean;
  ruleVersion: string;
  overrideReason: string | null;
  at: string;
}

const VOTE_COLORS: Record<string, string> = { approve: 'green', reject: 'red', abstain: 'default' };

/** The vote board: each vote with its reason, quorum and threshold as progress, the risk opinion beside it. */
export function CommitteeBoard({ kase }: { kase: CaseDto }) {
  const { t, code } = useI18n();
  const person = usePersonName();
  const rule = useCommitteeRule().data;
  const wf = kase.workflow as { votes?: Vote[]; round?: number; riskOpinion?: RiskOpinion | null; committeeDecision?: Decision | null };
  const votes = wf.votes ?? [];
  const approve = votes.filter((v) => v.vote === 'approve').length;
  const abstain = votes.filter((v) => v.vote === 'abstain').length;
  const counted = rule && !rule.abstentionsCountAsCast ? votes.length - abstain : votes.length;
  const needed = rule ? Math.ceil((counted * rule.approvalNumerator) / rule.approvalDenominator) : 0;
  const risk = wf.riskOpinion;
  const decision = wf.committeeDecision;
  return (
    <Row gutter={16}>
      <Col xs={24} xl={15}>
        <Card size="small" title={`${t('committee.title')} · ${t('committee.round', { round: wf.round ?? 1 })}`}>
          {rule && (
            <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
              <div>
                <Typography.Text>{t('committee.quorum', { cast: votes.length, quorum: rule.quorum })}</Typography.Text>
                <Progress
                  percent={Math.min(100, Math.round((votes.length / rule.quorum) * 100))}
                  status={votes.length >= rule.quorum ? 'success' : 'active'}
                  aria-label={t('committee.quorum', { cast: votes.length, quorum: rule.quorum })}
                />
              </div>
              <div>
                <Typography.Text>
                  {t('committee.approval', { approve, num: rule.approvalNumerator, den: rule.approvalDenominator })}
                </Typography.Text>
                <Progress
                  percent={counted ? Math.round((approve / counted) * 100) : 0}
                  success={{ percent: counted ? Math.round((Math.min(approve, needed) / counted) * 100) : 0 }}
                  status={counted && approve >= needed ? 'success' : 'normal'}
                  aria-label={t('committee.approval', { approve, num: rule.approvalNumerator, den: rule.approvalDenominator })}
                />
              </div>
            </Space>
          )}
          <Table<Vote>
            rowKey={(v) => `${v.by}:${v.at}`}
            size="small"
            pagination={false}
            dataSource={votes}
            locale={{ emptyText: t('committee.noVotes') }}
            columns={[
              { title: t('committee.member'), dataIndex: 'by', render: (v: string) => person(v) },
              {
                title: t('committee.vote'),
                dataIndex: 'vote',
                render: (v: string) => <Tag color={VOTE_COLORS[v]}>{code('value', v)}</Tag>,
              },
              { title: t('committee.reason'), dataIndex: 'reason' },
              { title: t('committee.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
            ]}
          />
          {decision && (
            <Descriptions size="small" style={{ marginTop: 16 }} title={t('committee.decision')} column={1}>
              <Descriptions.Item label={t('committee.decision')}>
                <Tag color={decision.approved ? 'green' : 'red'}>
                  {decision.approved ? t('committee.approved') : t('committee.rejected')}
                </Tag>
                {formatDateTime(decision.at)} · {decision.ruleVersion}
              </Descriptions.Item>
              {decision.overrideReason && (
                <Descriptions.Item label={code('field', 'overrideReason')}>{decision.overrideReason}</Descriptions.Item>
              )}
            </Descriptions>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Card size="small" title={t('committee.risk')}>
            {risk ? (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={code('field', 'opinion')}>
                  <Tag color={risk.opinion === 'pass' ? 'green' : risk.opinion === 'fail' ? 'red' : 'orange'}>
                    {code('value', risk.opinion)}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={code('field', 'reason')}>{risk.reason}</Descriptions.Item>
                {risk.conditions && <Descriptions.Item label={code('field', 'conditions')}>{risk.conditions}</Descriptions.Item>}
                <Descriptions.Item label={t('case.by')}>
                  {person(risk.by)} · {formatDateTime(risk.at)}
                </Descriptions.Item>
              </Descriptions>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
          {!kase.asOf && <EventActions kase={kase} title={t('case.actions')} />}
        </Space>
      </Col>
    </Row>
  );
}
