import type { Plan } from './plan';
import type { Defect } from './steps';

/**
 * Paging through every legacy defect (`stp-upgrade defects`): one group per (kind, table) of
 * contract section 4, then the graph's orphan edges; `after` is the last key returned in `group`.
 */
export interface DefectCursor {
  group: number;
  after: string | null;
}

export interface DefectPageInput {
  plan: Plan;
  cursor?: DefectCursor;
  limit: number;
}

export interface DefectPage {
  defects: Defect[];
  /** Null after the last page. */
  next: DefectCursor | null;
}

/** Rows per page: a page is one short workflow, far below Temporal's payload limit. */
export const DEFECT_PAGE_SIZE = 5000;
