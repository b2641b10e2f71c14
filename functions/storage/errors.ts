/** What DynamoDB's refusals mean to the stores: a condition that did not hold, a transaction that raced. */

/** A single write's condition did not hold (ConditionalCheckFailedException). */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** A transaction lost a race: one of its conditions did not hold, or another transaction held an item. */
export function isTransactionRace(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
}

/**
 * Whether a cancelled transaction failed on one of the extra actions (those from `firstExtra` on):
 * that is not a race on the subject, and retrying would not help; the caller decides.
 */
export function raceOnExtra(error: unknown, firstExtra: number): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason, index) => index >= firstExtra && reason.Code === 'ConditionalCheckFailed');
}
