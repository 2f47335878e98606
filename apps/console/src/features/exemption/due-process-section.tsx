import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { countdown, formatDateTime, formatEvidenceRefs } from '../../lib/format';
import type { ExemptionRecordDto } from '../../lib/queries';

type DueProcess = ExemptionRecordDto['dueProcess'];
type Distinction = DueProcess['distinctions'][number];
type Hearing = DueProcess['hearings'][number];
type Statement = Hearing['statements'][number];
type Referral = Hearing['persons'][number];
type Evidence = Distinction['evidence'];
type PreviousRound = ExemptionRecordDto['previousRounds'][number];
type AppealRound = DueProcess['appealRounds'][number];
type Appeal = AppealRound['appeals'][number];
type Proposal = AppealRound['proposals'][number];

const OUTCOME_COLOR: Record<string, string> = { exempt: 'green', partial: 'orange', not_exempt: 'red' };
const RESULT_COLOR: Record<string, string> = { upheld: 'blue', modified: 'orange', overturned: 'green' };

const STATUS_COLOR: Record<Statement['status'], string> = { answered: 'green', awaiting: 'blue', lapsed: 'red', unanswered: 'default' };

/** One part of the section: a group named by its heading (a reader's landmark, and the browser tests' handle). */
const Part = ({ title, level = 3, children }: { title: string; level?: 3 | 4; children: ReactNode }) => (
  <div role="group" aria-label={title}>
    <Typography.Title level={level} style={{ fontSize: level === 3 ? 14 : 13, marginTop: 16 }}>
      {title}
    </Typography.Title>
    {children}
  </div>
);

/**
 * 正当程序 of the exemption review (machine version 5), for a decision panel and for an auditor years
 * later: the three distinctions, each hearing with every person's statement, the legality reviews, the
 * appeal period, every appeal and its ruling, the reopenings and the decisions they superseded. Every
 * round stays on the record; nothing here is hidden because a later round replaced it.
 */
export function DueProcessSection({ r, who, now }: { r: ExemptionRecordDto; who: (id: string | null | undefined) => string; now: number }) {
  const { t, code, lang } = useI18n();
  const zh = lang === 'zh-CN';
  const dp = r.dueProcess as DueProcess | undefined;
  const title = t('dp.title');
  const region = { role: 'region', 'aria-label': title } as const;
  // Older records: no section at all, or a review opened before the due-process rules with nothing recorded.
  const recorded =
    !!dp && (dp.hearings.length > 0 || dp.legalityReviews.length > 0 || dp.appealRounds.length > 0 || dp.reopenings.length > 0);
  const stamp = (by: string | null | undefined, at: string | null | undefined) => (by ? `${who(by)} · ${formatDateTime(at)}` : '—');
  const outcomeTag = (o: string | null | undefined) => (o ? <Tag color={OUTCOME_COLOR[o]}>{code('value', o)}</Tag> : '—');
  const previous = r.previousRounds;
  // Earlier decisions of this review, each kept: superseded by a reopening, or reconsidered after an upheld objection.
  const earlierRounds = previous.length > 0 && (
    <Part title={t('dp.earlierRounds')} level={4}>
      <Table<PreviousRound>
        rowKey={(p) => `${p.decision.by}-${p.decision.at}`}
        size="small"
        pagination={false}
        dataSource={previous}
        columns={[
          { title: t('dp.roundColumn'), key: 'n', render: (_: unknown, _p, i) => t('dp.round', { round: i + 1 }) },
          { title: code('field', 'outcome'), key: 'outcome', render: (_: unknown, p) => outcomeTag(p.decision.outcome) },
          { title: t('dp.decidedBy'), key: 'by', render: (_: unknown, p) => stamp(p.decision.by, p.decision.at) },
          { title: code('field', 'reasons'), key: 'reasons', render: (_: unknown, p) => p.decision.reasons },
          {
            title: t('dp.status'),
            key: 'status',
            render: (_: unknown, p) =>
              p.superseded ? (
                <Tag color="volcano">{t('dp.supersededBy', { who: who(p.superseded.by), at: formatDateTime(p.superseded.at) })}</Tag>
              ) : (
                <Tag>{t('dp.reconsidered')}</Tag>
              ),
          },
        ]}
      />
    </Part>
  );
  if (!dp || (dp.policyVersion === null && !recorded)) {
    return (
      <Card size="small" title={title} {...region}>
        <Typography.Text type="secondary">{t('dp.notApplicable')}</Typography.Text>
        {earlierRounds}
      </Card>
    );
  }
  const referrals = (list: Referral[]) =>
    list.length
      ? list
          .map(
            (a) =>
              `${who(a.userId)}（${code('value', a.responsibility)}${a.reduction ? `，${code('value', a.reduction)}` : ''}）${a.reason ? `：${a.reason}` : ''}`,
          )
          .join('；')
      : '—';
  // Who sat on this round's decision (its decider and the panel's votes): the appeal body must exclude them.
  const sitters = new Set([r.decidedBy, ...(r.panel?.votes ?? []).map((v) => v.by)].filter((x): x is string => !!x));
  const bodyCheck = (a: AppealRound) => {
    if (!a.ruling || a.round !== dp.round || sitters.size === 0) return null;
    const sat = a.ruling.members.filter((m) => sitters.has(m));
    return sat.length === 0 ? (
      <Tag color="green">{t('dp.membersExcluded')}</Tag>
    ) : (
      <Tag color="red">{t('dp.membersSat', { names: sat.map((m) => who(m)).join('、') })}</Tag>
    );
  };

  // Machine version 7: each ruling proposed to the body, and each member's confirmation or that it is awaited.
  const proposals = (a: AppealRound) =>
    // Under review rules 5 the ruling was recorded by one member naming the body: no confirmations to show.
    a.proposals.length > 0 &&
    a.ruling?.confirmations !== null && (
      <Part title={t('dp.proposals')} level={4}>
        <Table<Proposal>
          rowKey={(p) => `${p.by}-${p.at}`}
          size="small"
          pagination={false}
          dataSource={a.proposals}
          columns={[
            { title: t('dp.rulingProposedBy'), key: 'by', render: (_: unknown, p) => stamp(p.by, p.at) },
            {
              title: t('dp.ruling'),
              key: 'result',
              render: (_: unknown, p) => (
                <span>
                  <Tag color={RESULT_COLOR[p.result]}>{code('value', p.result)}</Tag> {p.outcome ? outcomeTag(p.outcome) : null}
                </span>
              ),
            },
            {
              title: t('dp.confirmations'),
              key: 'confirmations',
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  {p.members.map((m) => {
                    const c = p.confirmations.find((x) => x.by === m);
                    return c ? (
                      <Tag key={m} color="green" title={c.note ?? undefined}>
                        {who(m)} · {t('dp.confirmedAt', { at: formatDateTime(c.at) })}
                      </Tag>
                    ) : (
                      <Tag key={m} color={p.lapsed ? 'default' : 'gold'}>
                        {who(m)} · {t('dp.awaitingConfirmation')}
                      </Tag>
                    );
                  })}
                </Space>
              ),
            },
            {
              title: t('dp.proposalState'),
              key: 'state',
              render: (_: unknown, p) =>
                p.lapsed ? (
                  <Tag>{t(p.lapsed.why === 'replaced' ? 'dp.proposalLapsedReplaced' : 'dp.proposalLapsedNewAppeal')}</Tag>
                ) : p.waitingFor.length > 0 ? (
                  <Tag color="gold">{t('dp.proposalPending')}</Tag>
                ) : (
                  <Tag color="green">{t('dp.proposalInEffect')}</Tag>
                ),
            },
          ]}
        />
      </Part>
    );

  return (
    <Card
      size="small"
      title={title}
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('dp.policy', { version: dp.policyVersion ?? '—', round: dp.round })}
        </Typography.Text>
      }
      {...region}
    >
      <Part title={t('dp.distinctions')}>
        {dp.culpable.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 8 }}
            title={t('dp.culpable', { items: dp.culpable.map((c) => code('value', c)).join('、') })}
          />
        )}
        <Table<Distinction>
          rowKey="distinction"
          size="small"
          pagination={false}
          dataSource={dp.distinctions}
          columns={[
            {
              title: t('dp.distinction'),
              key: 'distinction',
              width: '28%',
              render: (_: unknown, d) => <span title={zh ? d.titleZh : d.title}>{code('value', d.distinction)}</span>,
            },
            {
              title: t('dp.side'),
              dataIndex: 'side',
              width: 110,
              render: (side: Distinction['side']) =>
                side ? <Tag color={side === 'culpable' ? 'red' : 'green'}>{code('value', side)}</Tag> : <Tag>{t('dp.sidePending')}</Tag>,
            },
            { title: t('dp.byAt'), key: 'by', width: 150, render: (_: unknown, d) => stamp(d.by, d.at) },
            { title: t('dp.reasons'), dataIndex: 'reasons', render: (v: string | null) => v ?? '—' },
            { title: t('dp.evidence'), dataIndex: 'evidence', render: (ev: Evidence) => formatEvidenceRefs(ev) },
          ]}
        />
      </Part>
      <Part title={t('dp.hearings')}>
        {dp.hearings.length === 0 ? (
          <Typography.Text type="secondary">{t('dp.noHearing')}</Typography.Text>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {dp.hearings.map((h, n) => (
              <Card
                key={`${h.round}-${h.at}`}
                size="small"
                type="inner"
                title={
                  <span>
                    {t('dp.round', { round: h.round })} · {t('dp.hearing')} {n + 1}{' '}
                    {h.current ? <Tag color="blue">{t('dp.hearingCurrent')}</Tag> : <Tag>{t('dp.hearingReplaced')}</Tag>}
                  </span>
                }
                aria-label={`${t('dp.hearing')} ${n + 1}`}
                role="group"
              >
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t('dp.proposedBy')}>{stamp(h.by, h.at)}</Descriptions.Item>
                  <Descriptions.Item label={t('dp.proposed')}>
                    {outcomeTag(h.proposedOutcome)} {h.reasons}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('dp.period')}>
                    {t('dp.periodWorkingDays', { days: h.periodDays, at: formatDateTime(h.endsAt), calendar: h.calendarVersion })}
                    {h.current && Date.parse(h.endsAt) >= now && (
                      <Typography.Text type="secondary"> · {countdown(h.endsAt, now, lang).text}</Typography.Text>
                    )}
                  </Descriptions.Item>
                </Descriptions>
                <Table<Statement>
                  rowKey="userId"
                  size="small"
                  pagination={false}
                  dataSource={h.statements}
                  columns={[
                    {
                      title: t('dp.person'),
                      dataIndex: 'userId',
                      render: (id: string) => who(id),
                    },
                    {
                      title: t('dp.responsibility'),
                      key: 'responsibility',
                      render: (_: unknown, s) => {
                        const p = h.persons.find((x) => x.userId === s.userId);
                        return p ? code('value', p.responsibility) : '—';
                      },
                    },
                    {
                      title: t('dp.status'),
                      key: 'status',
                      // On the server's clock (the one that refuses a late statement), not this browser's.
                      render: (_: unknown, s) => <Tag color={STATUS_COLOR[s.status]}>{t(`dp.${s.status}`)}</Tag>,
                    },
                    { title: t('dp.statementAt'), dataIndex: 'at', render: (at: string | null) => formatDateTime(at) },
                    { title: t('dp.statement'), dataIndex: 'statement', render: (v: string | null) => v ?? '—' },
                    { title: t('dp.evidence'), dataIndex: 'evidence', render: (ev: Evidence) => formatEvidenceRefs(ev) },
                  ]}
                />
              </Card>
            ))}
          </Space>
        )}
      </Part>
      <Part title={t('dp.legality')}>
        {dp.legalityReviews.length === 0 ? (
          <Typography.Text type="secondary">{t('dp.noLegality')}</Typography.Text>
        ) : (
          dp.legalityReviews.map((l) => (
            <Descriptions
              key={`${l.round}-${l.at}`}
              size="small"
              column={1}
              bordered
              style={{ marginBottom: 8 }}
              title={
                <span>
                  {t('dp.round', { round: l.round })}{' '}
                  <Tag color={l.conclusion === 'favourable' ? 'green' : 'red'}>{code('value', l.conclusion)}</Tag>
                </span>
              }
            >
              <Descriptions.Item label={t('dp.reviewer')}>{stamp(l.by, l.at)}</Descriptions.Item>
              <Descriptions.Item label={t('dp.proposal')}>
                {outcomeTag(l.proposedOutcome)} {referrals(l.proposedAccountability)}
              </Descriptions.Item>
              <Descriptions.Item label={t('dp.lawfulBasis')}>{l.lawfulBasis}</Descriptions.Item>
              <Descriptions.Item label={t('dp.procedure')}>{l.procedure}</Descriptions.Item>
              <Descriptions.Item label={t('dp.proportionality')}>{l.proportionality}</Descriptions.Item>
            </Descriptions>
          ))
        )}
      </Part>
      <Part title={t('dp.appeals')}>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('dp.appealPeriod')}>
            {dp.appeal?.endsAt
              ? t('dp.appealPeriodValue', {
                  days: dp.appeal.periodDays ?? '—',
                  at: formatDateTime(dp.appeal.endsAt),
                  body: dp.appeal.body ?? '—',
                })
              : t('dp.noAppealPeriod')}
          </Descriptions.Item>
        </Descriptions>
        {dp.appealRounds.length === 0 ? (
          <Typography.Text type="secondary">{t('dp.noAppeal')}</Typography.Text>
        ) : (
          dp.appealRounds.map((a, n) => (
            <Card
              key={`${a.round}-${n}`}
              size="small"
              type="inner"
              role="group"
              aria-label={`${t('dp.appeals')} ${n + 1}`}
              style={{ marginBottom: 8 }}
              title={
                <span>
                  {t('dp.round', { round: a.round })} · {t('dp.ruling')}{' '}
                  {a.ruling ? (
                    <Tag color={RESULT_COLOR[a.ruling.result]}>{code('value', a.ruling.result)}</Tag>
                  ) : (
                    <Tag color="gold">{t('dp.rulingPending')}</Tag>
                  )}
                </span>
              }
            >
              <Table<Appeal>
                rowKey={(x) => `${x.by}-${x.at}`}
                size="small"
                pagination={false}
                dataSource={a.appeals}
                columns={[
                  { title: t('dp.appellant'), dataIndex: 'by', render: (id: string) => who(id) },
                  { title: t('committee.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at) },
                  { title: t('dp.grounds'), dataIndex: 'grounds' },
                  { title: t('dp.evidence'), dataIndex: 'evidence', render: (ev: Evidence) => formatEvidenceRefs(ev) },
                ]}
              />
              {proposals(a)}
              {a.ruling && (
                <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
                  <Descriptions.Item label={t('dp.ruledBy')}>{stamp(a.ruling.by, a.ruling.at)}</Descriptions.Item>
                  <Descriptions.Item label={t('dp.members')}>
                    {a.ruling.members.map((m) => who(m)).join('、')} {bodyCheck(a)}
                    {a.ruling.confirmations && <Tag color="green">{t('dp.confirmedByEach')}</Tag>}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('dp.reasons')}>{a.ruling.reasons}</Descriptions.Item>
                  <Descriptions.Item label={t('dp.outcomeBefore')}>
                    {outcomeTag(a.ruling.before.outcome)} {referrals(a.ruling.before.accountability)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('dp.outcomeAfter')}>
                    {outcomeTag(a.ruling.outcome)} {referrals(a.ruling.accountability)}
                  </Descriptions.Item>
                </Descriptions>
              )}
            </Card>
          ))
        )}
      </Part>
      <Part title={t('dp.reopenings')}>
        {dp.reopenings.length === 0 ? (
          <Typography.Text type="secondary">{t('dp.noReopening')}</Typography.Text>
        ) : (
          dp.reopenings.map((x, n) => (
            <Descriptions key={`${x.by}-${x.at}`} size="small" column={1} bordered style={{ marginBottom: 8 }} title={`#${n + 1}`}>
              <Descriptions.Item label={t('dp.reopenedBy')}>{stamp(x.by, x.at)}</Descriptions.Item>
              <Descriptions.Item label={t('dp.ground')}>{code('value', x.ground)}</Descriptions.Item>
              <Descriptions.Item label={t('dp.reasons')}>{x.reasons}</Descriptions.Item>
              <Descriptions.Item label={t('dp.evidence')}>{formatEvidenceRefs(x.evidence)}</Descriptions.Item>
            </Descriptions>
          ))
        )}
        {earlierRounds}
      </Part>
    </Card>
  );
}
