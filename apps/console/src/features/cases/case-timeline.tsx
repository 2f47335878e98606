import { useEffect } from 'react';
import { Badge, Collapse, Space, Tag, Timeline, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n';
import { usePersonName } from '../../components/person';
import { formatDateTime } from '../../lib/format';
import { useChainVerification, useHistory, type AuditEntryDto } from '../../lib/queries';

/** Every history entry: who (role), when, from → to, reason, details on demand; the chain's badge. */
export function CaseTimeline({ caseId, highlightSeq }: { caseId: string; highlightSeq?: string }) {
  const { t, code } = useI18n();
  const history = useHistory(caseId);
  const verify = useChainVerification(caseId);
  const person = usePersonName();
  const entries = history.data ?? [];
  useEffect(() => {
    if (highlightSeq && entries.length) document.querySelector(`[data-seq="${highlightSeq}"]`)?.scrollIntoView({ block: 'center' });
  }, [highlightSeq, entries.length]);
  const actor = (e: AuditEntryDto) => person(e.actorId);
  return (
    <div>
      <Space style={{ marginBottom: 16 }}>
        {verify.isLoading && <Badge status="processing" text={t('case.chainChecking')} />}
        {verify.data &&
          (verify.data.valid ? (
            <Tag color="success" role="status">
              ✓ {t('case.chainValid')} · {verify.data.checked}
            </Tag>
          ) : (
            <Tag color="error" role="status">
              ✗ {t('case.chainBroken')} · #{verify.data.firstBrokenSeq}
            </Tag>
          ))}
      </Space>
      <Timeline
        items={entries.map((e) => ({
          color: e.seq === highlightSeq ? 'red' : e.toState && e.toState !== e.fromState ? 'blue' : 'gray',
          title: formatDateTime(e.at),
          content: (
            <div data-seq={e.seq}>
              <Space wrap>
                <Typography.Text strong>{code('event', e.type)}</Typography.Text>
                <span>
                  {actor(e)} {e.actorRoles.map((r) => code('role', r)).join('、')}
                </span>
                {e.fromState && e.toState && e.fromState !== e.toState && (
                  <Typography.Text type="secondary">
                    {code('state', e.fromState)} → {code('state', e.toState)}
                  </Typography.Text>
                )}
              </Space>
              {e.reason && <div>{e.reason}</div>}
              {Object.keys(e.payload).length > 0 && (
                <Collapse
                  size="small"
                  ghost
                  items={[
                    {
                      key: 'd',
                      label: t('case.details'),
                      children: <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, margin: 0 }}>{JSON.stringify(e.payload, null, 2)}</pre>,
                    },
                  ]}
                />
              )}
            </div>
          ),
        }))}
      />
    </div>
  );
}
