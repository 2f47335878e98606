import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The bytes of a stored file (an evidence file or an issued document), in order, a chunk a row, so a
 * file is written and read as a stream and never held whole in memory. Append-only.
 */
@Entity({ name: 'file_chunks' })
export class FileChunkEntity {
  /** The evidence file's or the document's id. */
  @PrimaryColumn({ name: 'file_id', type: 'uuid' })
  fileId!: string;

  @PrimaryColumn({ type: 'int' })
  n!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
