import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Upload } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState } from 'react';
import { errorText } from '../../components/api-error-alert';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { uploadFile } from '../../lib/http';
import { keys, useEvidence, type EvidenceFileDto } from '../../lib/queries';
import { formatBytes } from './file-size';

/** The case an event form belongs to: its `evidenceIds` field offers that case's files. */
export const EvidenceCaseContext = createContext<string | null>(null);

export function useEvidenceCase(): string | null {
  return useContext(EvidenceCaseContext);
}

/** Uploads one file to the case's evidence (the server sniffs, hashes and chains it). */
export function useEvidenceUpload(caseId: string) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const upload = async (file: File): Promise<EvidenceFileDto | null> => {
    setBusy(true);
    try {
      const saved = await uploadFile<EvidenceFileDto>(`/api/cases/${caseId}/evidence`, file);
      await qc.invalidateQueries({ queryKey: keys.evidence(caseId) });
      await qc.invalidateQueries({ queryKey: keys.history(caseId) });
      void message.success(t('files.uploaded', { name: saved.fileName }));
      return saved;
    } catch (err) {
      void message.error(errorText(err, lang));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { upload, busy };
}

/**
 * The `evidenceIds` of an event: the case's files to pick from, and an upload that adds the new file
 * to the choice, so a finding can cite what it rests on without leaving the form.
 */
export function EvidencePicker(props: { caseId: string; value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const { caseId, value = [], onChange } = props;
  const { t } = useI18n();
  const files = useEvidence(caseId);
  const { upload, busy } = useEvidenceUpload(caseId);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={props.id}
        mode="multiple"
        allowClear
        loading={files.isLoading}
        value={value}
        onChange={(v: string[]) => onChange?.(v)}
        placeholder={t('files.pick')}
        notFoundContent={t('files.none')}
        optionFilterProp="label"
        options={(files.data ?? []).map((f) => ({
          value: f.id,
          label: `${f.fileName} · ${formatBytes(f.sizeBytes)} · ${formatDateTime(f.uploadedAt)}`,
        }))}
      />
      <Upload
        showUploadList={false}
        customRequest={({ file }) => {
          void upload(file as File).then((saved) => saved && onChange?.([...value, saved.id]));
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} aria-label={t('files.uploadHere')}>
          {t('files.upload')}
        </Button>
      </Upload>
    </Space.Compact>
  );
}
