/** How the exit pages name people, offices and evidence. */
import { ROLE_NAMES, type Role } from '../../session.ts';
import { districtName } from '../../units.ts';
import type { Evidence, ExitActor, ExitStatus } from './exit-api.ts';

/** 长安区 县（市、区）信用办 · user-123: the office first, the person after. */
export function actorText(actor: ExitActor): string {
  const office =
    actor.role === 'department'
      ? (actor.department ?? ROLE_NAMES.department)
      : actor.role === 'district'
        ? `${districtName(actor.district)}信用办`
        : (ROLE_NAMES[actor.role as Role] ?? actor.role);
  return `${office}（${actor.principal}）`;
}

/** An uploaded file by its name; a document number as it is. */
export function evidenceText(item: Evidence): string {
  return item.ref.startsWith('evidence/')
    ? `文件：${item.ref.split('/').at(-1) ?? item.ref}`
    : `文号：${item.ref}`;
}

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

export const STATUS_TAG: Readonly<Record<ExitStatus, TagType>> = {
  submitted: 'warning',
  reviewed: 'primary',
  returned: 'danger',
  withdrawn: 'info',
  confirmed: 'success',
};
