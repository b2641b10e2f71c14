/**
 * The API's answers as these pages read them: the parts of the zod schemas in functions/api/schemas.ts,
 * functions/api/routes/listing-views.ts and functions/api/routes/checks.ts that the pages show.
 */

/** One line of `GET /subjects` (ListingRow). */
export interface ListingRow {
  readonly listingId: string;
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly districtName: string;
  readonly listType: string;
  readonly listTypeLabel: string;
  readonly department: string;
  readonly listedAt?: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly list: string;
  readonly listLabel: string;
  readonly track?: string;
  readonly trackLabel?: string;
  readonly overridden: boolean;
  readonly reason?: string;
  readonly overrideReason?: string;
  readonly planDeadline?: string;
  readonly overdue: boolean;
}

export interface ListingPage {
  readonly items: ListingRow[];
  readonly cursor?: string;
}

export interface ChangedBy {
  readonly principal: string;
  readonly role: string;
  readonly department?: string;
  readonly district?: string;
  readonly cause: { readonly kind: string; readonly id: string };
  readonly reason?: string;
}

export interface Classification {
  readonly list: string;
  readonly track: string;
  readonly ruleId: string;
  readonly reason: string;
  readonly ruleTableVersion: string;
  readonly asOf: string;
  readonly nextReviewDate?: string;
  readonly decidedAt: string;
  readonly override?: {
    readonly list: string;
    readonly track: string;
    readonly reason: string;
    readonly by: string;
    readonly department: string;
    readonly at: string;
  };
  readonly measures?: readonly { code: string; label: string; since: string; decidedBy: string }[];
}

export interface Plan {
  readonly unit: string;
  readonly person: string;
  readonly measures: readonly string[];
  readonly note?: string;
  readonly deadline: string;
  readonly setAt: string;
}

export interface ListingAction {
  readonly actionId: string;
  readonly kind: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly at: string;
  readonly earliestEligibleDate?: string;
  readonly eligibilityBasis?: string;
  readonly changedBy?: ChangedBy;
}

/** A listing of `GET /subjects/{uscc}` (Listing). */
export interface Listing {
  readonly listingId: string;
  readonly listType: string;
  readonly key: string;
  readonly department: string;
  readonly caseNo?: string;
  readonly listedAt?: string;
  readonly endsAt?: string;
  readonly reason?: string;
  readonly obligation?: string;
  readonly performance?: string;
  readonly status: string;
  readonly district: string;
  readonly classification?: Classification;
  readonly plan?: Plan;
  readonly actions?: ListingAction[];
  readonly missingFromPush?: { readonly importId: string; readonly at: string };
  readonly exitId?: string;
  readonly exitStatus?: string;
  readonly exitedAt?: string;
  readonly updatedAt: string;
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
