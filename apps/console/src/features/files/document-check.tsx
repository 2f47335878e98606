import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Typography, Upload } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { uploadFile } from '../../lib/http';
import type { DocumentCheckDto } from '../../lib/queries';

/** 核验文书: is this PDF one we issued, and is it byte for byte what we issued? */
export function DocumentCheck() {
  const { t, code } = useI18n();
  const check = useMutation({ mutationFn: (file: File) => uploadFile<DocumentCheckDto>('/api/documents/verify', file) });
  const r = check.data;
  const number = r?.number ?? '';
  return (
    <Card size="small" title={t('verifyDoc.title')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('verifyDoc.hint')}</Typography.Text>
        <Upload accept="application/pdf" showUploadList={false} customRequest={({ file }) => check.mutate(file as File)}>
          <Button icon={<UploadOutlined />} loading={check.isPending}>
            {t('verifyDoc.choose')}
          </Button>
        </Upload>
        {check.error && <ApiErrorAlert error={check.error} />}
        {r && (
          <Alert
            role="status"
            type={r.issued && r.unchanged ? 'success' : 'error'}
            showIcon
            title={!r.issued ? t('verifyDoc.unknown') : r.unchanged ? t('verifyDoc.ok', { number }) : t('verifyDoc.changed', { number })}
            description={
              r.issued && (
                <Space orientation="vertical">
                  {r.recordMovedOn && <span>{t('verifyDoc.movedOn')}</span>}
                  {r.supersededBy && <span>{t('verifyDoc.superseded')}</span>}
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('files.kind')}>{code('document', r.kind)}</Descriptions.Item>
                    <Descriptions.Item label={t('files.at')}>{formatDateTime(r.issuedAt)}</Descriptions.Item>
                    {r.caseId && (
                      <Descriptions.Item label={t('work.case')}>
                        <Link to={`/cases/${r.caseId}?tab=files`}>{r.caseId}</Link>
                      </Descriptions.Item>
                    )}
                    <Descriptions.Item label="SHA-256">
                      <Typography.Text code>{r.sha256}</Typography.Text>
                    </Descriptions.Item>
                  </Descriptions>
                </Space>
              )
            }
          />
        )}
      </Space>
    </Card>
  );
}
