import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Select, Space, Table, Tooltip, Typography, Upload } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CASE_ROLES } from '../../app/navigation';
import { ApiErrorAlert, errorText } from '../../components/api-error-alert';
import { usePersonName } from '../../components/person';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { api, call, download } from '../../lib/http';
import { invalidateCase, useDocuments, useEvidence, type CaseDto, type EvidenceFileDto, type IssuedDocumentDto } from '../../lib/queries';
import { hasRole, useSession } from '../../lib/session';
import { useEvidenceUpload } from './evidence-picker';
import { formatBytes } from './file-size';

type CaseDocumentKind = 'committee_resolution' | 'exemption_determination' | 'public_notice';
const CASE_DOCUMENT_KINDS: CaseDocumentKind[] = ['committee_resolution', 'exemption_determination', 'public_notice'];

/** The first characters of a SHA-256, the whole one on hover (and copyable). */
function Hash({ value }: { value: string }) {
  return (
    <Tooltip title={value}>
      <Typography.Text code copyable={{ text: value }}>
        {value.slice(0, 12)}…
      </Typography.Text>
    </Tooltip>
  );
}

/** 证据与文书: the case's evidence files (upload, download) and its issued documents (issue, download). */
export function CaseFiles({ kase }: { kase: CaseDto }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EvidenceFiles kase={kase} />
      <IssuedDocuments kase={kase} />
    </Space>
  );
}

function EvidenceFiles({ kase }: { kase: CaseDto }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const person = usePersonName();
  const s = useSession();
  const files = useEvidence(kase.id);
  const { upload, busy } = useEvidenceUpload(kase.id);
  const mayUpload = hasRole(s, ...ACTOR_ROLES);
  const save = (f: EvidenceFileDto) =>
    download(`/api/evidence/${f.id}`, f.fileName).catch((err) => void message.error(errorText(err, lang)));
  return (
    <Card
      size="small"
      title={t('files.evidence')}
      extra={
        mayUpload && (
          <Upload showUploadList={false} customRequest={({ file }) => void upload(file as File)}>
            <Button icon={<UploadOutlined />} loading={busy}>
              {t('files.upload')}
            </Button>
          </Upload>
        )
      }
    >
      {files.error ? (
        <ApiErrorAlert error={files.error} />
      ) : (
        <Table<EvidenceFileDto>
          rowKey="id"
          size="small"
          pagination={false}
          loading={files.isLoading}
          dataSource={files.data ?? []}
          locale={{ emptyText: t('files.none') }}
          columns={[
            {
              title: t('files.name'),
              dataIndex: 'fileName',
              render: (v: string, f) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => void save(f)}>
                  {v}
                </Button>
              ),
            },
            { title: t('files.type'), dataIndex: 'mediaType' },
            { title: t('files.size'), dataIndex: 'sizeBytes', render: (v: number) => formatBytes(v) },
            { title: 'SHA-256', dataIndex: 'sha256', render: (v: string) => <Hash value={v} /> },
            { title: t('files.by'), dataIndex: 'uploadedBy', render: (v: string) => person(v) },
            { title: t('files.at'), dataIndex: 'uploadedAt', render: (v: string) => formatDateTime(v) },
            { title: t('files.seq'), dataIndex: 'chainSeq' },
          ]}
        />
      )}
    </Card>
  );
}

/** Roles that may act on cases (the server decides case by case who may upload; others get its 403 sentence). */
const ACTOR_ROLES = CASE_ROLES.filter((r) => r !== 'auditor');

function IssuedDocuments({ kase }: { kase: CaseDto }) {
  const { t, code, lang } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const person = usePersonName();
  const s = useSession();
  const docs = useDocuments(kase.id);
  const [kind, setKind] = useState<CaseDocumentKind>('committee_resolution');
  const mayIssue = hasRole(s, 'committee_chair', 'compliance_officer');
  const issue = useMutation({
    mutationFn: () => call(api.POST('/api/cases/{id}/documents', { params: { path: { id: kase.id } }, body: { kind } })),
    onSuccess: async (d) => {
      await invalidateCase(qc, kase.id);
      void message.success(t('files.issued', { number: d.number }));
    },
  });
  const save = (d: IssuedDocumentDto) =>
    download(`/api/documents/${d.id}`, `${d.number}.pdf`).catch((err) => void message.error(errorText(err, lang)));
  return (
    <Card
      size="small"
      title={t('files.documents')}
      extra={
        mayIssue && (
          <Space.Compact>
            <Select<CaseDocumentKind>
              aria-label={t('files.kind')}
              value={kind}
              onChange={setKind}
              style={{ width: 200 }}
              options={CASE_DOCUMENT_KINDS.map((k) => ({ value: k, label: code('document', k) }))}
            />
            <Button type="primary" loading={issue.isPending} onClick={() => issue.mutate()}>
              {t('files.issue')}
            </Button>
          </Space.Compact>
        )
      }
    >
      {issue.error && <ApiErrorAlert error={issue.error} />}
      {docs.error ? (
        <ApiErrorAlert error={docs.error} />
      ) : (
        <Table<IssuedDocumentDto>
          rowKey="id"
          size="small"
          pagination={false}
          loading={docs.isLoading}
          dataSource={docs.data ?? []}
          locale={{ emptyText: t('files.noDocuments') }}
          columns={[
            {
              title: t('files.number'),
              dataIndex: 'number',
              render: (v: string, d) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => void save(d)}>
                  {v}
                </Button>
              ),
            },
            { title: t('files.kind'), dataIndex: 'kind', render: (v: string) => code('document', v) },
            { title: t('files.at'), dataIndex: 'issuedAt', render: (v: string) => formatDateTime(v) },
            { title: t('files.by'), dataIndex: 'issuedBy', render: (v: string) => person(v) },
            { title: 'SHA-256', dataIndex: 'sha256', render: (v: string) => <Hash value={v} /> },
            { title: t('files.seq'), dataIndex: 'issueSeq' },
          ]}
        />
      )}
    </Card>
  );
}
