import { Card, Col, Empty, List, Row, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useI18n } from '../../i18n/i18n';
import { formatMoney } from '../../lib/format';
import { api, call } from '../../lib/http';
import { useFunds, type CaseDto, type FundDto } from '../../lib/queries';
import { hasRole, useSession } from '../../lib/session';
import { useUrlState } from '../../lib/url-state';
import { LossChart } from './loss-chart';

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const MAX_PAGES = 5;

/** 基金: per fund, the life-to-date loss rate against its tolerance limit, cases by state, exemption outcomes. */
export function Component() {
  const { t, code, lang } = useI18n();
  const s = useSession();
  const funds = useFunds();
  const { get, set } = useUrlState();
  const selected = get('fund') ?? funds.data?.[0]?.id;
  const labels = useMemo(() => ({ loss: t('funds.lossRate'), limit: t('funds.limit') }), [t]);
  const bars = useMemo(
    () => (funds.data ?? []).map((f) => ({ name: f.name, lossRate: f.tolerance.lossRate, limitRate: f.tolerance.limitRate })),
    [funds.data],
  );
  const canReadCases = !hasRole(s, 'admin') || s!.user.roles.length > 1;
  const cases = useQuery({
    queryKey: ['fund-cases', selected],
    enabled: !!selected && canReadCases,
    queryFn: async () => {
      const all: CaseDto[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await call(api.GET('/api/cases', { params: { query: { fundId: selected, limit: 200, cursor } } }));
        all.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return all;
    },
  });
  const byState = new Map<string, number>();
  const outcomes = new Map<string, number>();
  for (const c of cases.data ?? []) {
    const top = c.state.split('.')[0];
    byState.set(top, (byState.get(top) ?? 0) + 1);
    const outcome = (c.workflow as { exemption?: { decision?: { outcome?: string } | null } | null }).exemption?.decision?.outcome;
    if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {t('funds.title')}
          </Typography.Title>
        }
      >
        <ApiErrorAlert error={funds.error} />
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {t('funds.chart')}
        </Typography.Title>
        {bars.length > 0 && <LossChart bars={bars} labels={labels} title={t('funds.chart')} />}
        <Table<FundDto>
          rowKey="id"
          size="small"
          pagination={false}
          loading={funds.isLoading}
          dataSource={funds.data ?? []}
          rowSelection={{ type: 'radio', selectedRowKeys: selected ? [selected] : [], onChange: (keys) => set({ fund: String(keys[0]) }) }}
          onRow={(f) => ({ onClick: () => set({ fund: f.id }) })}
          columns={[
            { title: t('funds.name'), dataIndex: 'name' },
            { title: t('funds.type'), dataIndex: 'type', render: (v: string) => code('value', v) },
            { title: t('funds.size'), dataIndex: 'sizeFen', align: 'right', render: (v: number) => formatMoney(v, lang) },
            {
              title: t('funds.invested'),
              key: 'inv',
              align: 'right',
              render: (_: unknown, f) => formatMoney(f.tolerance.investedFen, lang),
            },
            {
              title: t('funds.loss'),
              key: 'loss',
              align: 'right',
              render: (_: unknown, f) => formatMoney(f.tolerance.realizedLossFen, lang),
            },
            { title: t('funds.lossRate'), key: 'rate', align: 'right', render: (_: unknown, f) => pct(f.tolerance.lossRate) },
            { title: t('funds.limit'), key: 'limit', align: 'right', render: (_: unknown, f) => pct(f.tolerance.limitRate) },
            {
              title: t('funds.within'),
              key: 'within',
              render: (_: unknown, f) => (
                <Tag color={f.tolerance.withinTolerance ? 'green' : 'red'}>
                  {f.tolerance.withinTolerance ? t('exemption.within') : t('exemption.over')}
                </Tag>
              ),
            },
          ]}
        />
      </Card>
      {canReadCases && selected && (
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Card
              size="small"
              title={`${t('funds.byState')} · ${t('funds.basedOn', { n: cases.data?.length ?? 0 })}`}
              loading={cases.isLoading}
            >
              {byState.size ? (
                <List
                  size="small"
                  dataSource={[...byState.entries()]}
                  renderItem={([st, n]) => (
                    <List.Item extra={n}>
                      <span>{code('state', st)}</span>
                    </List.Item>
                  )}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card size="small" title={t('funds.outcomes')} loading={cases.isLoading}>
              {outcomes.size ? (
                <List
                  size="small"
                  dataSource={[...outcomes.entries()]}
                  renderItem={([o, n]) => (
                    <List.Item extra={n}>
                      <span>{code('value', o)}</span>
                    </List.Item>
                  )}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
