/** One chunk parsed from a text, before it is stored. */
export interface ChunkDraft {
  id: string;
  content: string;
  parentChunkId: string | null;
  indentLevel: number;
  sequenceNumber: number;
  /** pgvector literal, e.g. "[0.1,0.2]". */
  vector: string;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface SearchHit {
  chunk_id: string;
  content: string;
  score: number;
}

export type ConsistencyCheck = 'orphaned-chunks' | 'invalid-templates' | 'missing-embeddings';

/**
 * The data layer of one service version: v1 reads and writes the legacy tables, v2 the unified
 * ones. Row objects are returned as the API shows them (snake_case columns).
 */
export interface Store {
  readonly schemaVersion: 1 | 2;
  /** Throws when the database is unreachable or the version's tables are missing. */
  ping(): Promise<void>;
  /** Dimension of the embeddings table's vector column. */
  embeddingDimension(): Promise<number>;
  createText(input: { id: string; title: string | null; content: string; chunks: ChunkDraft[]; model: string }): Promise<void>;
  getText(id: string): Promise<Record<string, unknown> | null>;
  deleteText(id: string): Promise<boolean>;
  listTexts(limit: number, offset: number): Promise<Page<Record<string, unknown>>>;
  listChunks(limit: number, offset: number): Promise<Page<Record<string, unknown>>>;
  search(vector: string, limit: number): Promise<SearchHit[]>;
  createTemplate(input: { templateId: string; textId: string; name: string; slots: { id: string; name: string }[] }): Promise<void>;
  listTemplates(): Promise<Record<string, unknown>[]>;
  consistency(check: ConsistencyCheck): Promise<number>;
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
