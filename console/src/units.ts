/**
 * The reporting units, from the same table the server uses (functions/domain/district.ts), for pickers
 * and labels.
 */
import { DISTRICTS } from '../../functions/domain/district.ts';
import { UNASSIGNED_DISTRICT } from '../../functions/domain/model.ts';

export const UNITS: readonly { readonly code: string; readonly name: string }[] = DISTRICTS.map(
  ({ code, name }) => ({ code, name }),
);

/** 长安区 for 130102; 未分配 for the unassigned; the code itself for one the console does not know. */
export function districtName(code: string | undefined): string {
  if (code === undefined || code === '') return '—';
  if (code === UNASSIGNED_DISTRICT) return '未分配';
  return UNITS.find((unit) => unit.code === code)?.name ?? code;
}
