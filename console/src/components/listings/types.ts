/**
 * The API's answers as these pages read them: the stored shapes where the API answers them as stored
 * (functions/domain), else the parts of the zod schemas in functions/api/schemas.ts,
 * functions/api/routes/listing-views.ts and functions/api/routes/checks.ts that the pages show.
 */

import type { ListingRow } from '../../../../functions/domain/listing-row.ts';
import type {
  Classification,
  ListingPlan as Plan,
  Listing as StoredListing,
} from '../../../../functions/domain/model.ts';
import type { ChangedBy } from '../../../../functions/domain/trail.ts';

export type { ChangedBy, Classification, ListingRow, Plan };

export interface ListingPage {
  readonly items: ListingRow[];
  readonly cursor?: string;
}

/**
 * The parts of an action (`GET /subjects/{uscc}`) the pages read; also built from a trail entry's
 * change, whose kind is only a string, so the kind is not narrowed to the stored one's.
 */
export interface ListingAction {
  readonly actionId: string;
  readonly kind: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly at: string;
  readonly earliestEligibleDate?: string;
  readonly eligibilityBasis?: string;
  readonly changedBy?: ChangedBy;
}

/** A listing of `GET /subjects/{uscc}` (Listing): the stored listing under its opaque id, with its actions. */
export interface Listing extends Omit<StoredListing, 'uscc'> {
  readonly listingId: string;
  readonly actions?: ListingAction[];
}

export interface Subject {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly districtName?: string;
  readonly registrationStatus?: string;
  readonly movedTo?: string;
  readonly flags: {
    readonly lostContact?: boolean;
    readonly bankruptcy?: boolean;
    readonly bankruptcyStage?: string;
    readonly abnormal?: boolean;
  };
  readonly listed: boolean;
  readonly activeListings: number;
  readonly updatedAt: string;
}

export interface TrailEntry {
  readonly entryId: string;
  readonly itemType: string;
  readonly itemKey: { readonly PK: string; readonly SK: string };
  readonly event: 'created' | 'changed';
  readonly version?: number;
  readonly at: string;
  readonly changedBy?: ChangedBy;
  readonly changes: Readonly<Record<string, { before?: unknown; after?: unknown }>>;
}

export interface SubjectDetail {
  readonly subject: Subject;
  readonly warnings: readonly { code: string; message: string }[];
  readonly listings: Listing[];
  readonly history: TrailEntry[];
  readonly historyCursor?: string;
}

/** One answer of `GET /checks/{uscc}` or `POST /checks` (CheckAnswer). */
export interface CheckAnswer {
  readonly code: string;
  readonly uscc?: string;
  readonly listed: boolean;
  readonly listings: readonly {
    readonly listingId: string;
    readonly uscc: string;
    readonly listType: string;
    readonly listTypeLabel: string;
    readonly department: string;
    readonly listedAt?: string;
    readonly status: string;
    readonly list: string;
    readonly track?: string;
    readonly measures: readonly { code: string; label: string; since: string; decidedBy: string }[];
  }[];
  readonly candidates?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}
