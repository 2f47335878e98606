import { FolderCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { S3CheckpointStore, type S3CheckpointSettings } from './s3-checkpoint-store';

/** Where the checkpoints are configured to go. */
export type CheckpointStoreSettings = { kind: 'folder'; dir: string } | ({ kind: 's3' } & S3CheckpointSettings);

export function openCheckpointStore(settings: CheckpointStoreSettings): CheckpointStore {
  return settings.kind === 's3' ? new S3CheckpointStore(settings) : new FolderCheckpointStore(settings.dir);
}
