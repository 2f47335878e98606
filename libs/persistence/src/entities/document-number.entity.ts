import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last number issued per document kind and year: a gapless sequence (a row lock, rolled back with its transaction). */
@Entity({ name: 'document_numbers' })
export class DocumentNumberEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  kind!: string;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ name: 'last_serial', type: 'int' })
  lastSerial!: number;
}
