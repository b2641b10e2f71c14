/**
 * The import receipt's words, defined once: the receipt file beside an imported file
 * (functions/import/receipt-files.ts) and the console's receipt panel say the same thing. Pure, with
 * type-only imports, so the browser can import it too.
 */
import type { ImportCountName, ImportStatus } from '#shared/import-receipt.ts';

export const STATUS_LABELS: Readonly<Record<ImportStatus, string>> = {
  queued: '排队中',
  running: '导入中',
  succeeded: '导入完成',
  held: '已暂停，等待市信用办确认放行',
  duplicate: '重复文件，未再次导入',
  rejected: '整份文件未导入',
};

/** The counts a receipt shows, in this order; the first three always, the others when not zero. */
export const COUNT_LABELS: readonly (readonly [ImportCountName, string])[] = [
  ['rows', '数据行'],
  ['accepted', '已导入'],
  ['rejected', '有错误未导入'],
  ['personsSkipped', '自然人行（已跳过，未保存）'],
  ['duplicateRows', '文件内重复行（未重复导入）'],
  ['subjectsNew', '新增主体'],
  ['listingsNew', '新增名单'],
  ['listingsUpdated', '更新名单'],
  ['listingsUnchanged', '名单无变化'],
  ['listingsRevived', '重新列入的名单'],
  ['listingsMissing', '本次未出现的原有效名单（已标记待核实）'],
  ['exitedReappeared', '已退出又出现的名单'],
  ['registryUpdated', '登记状态已更新'],
  ['registryUnknown', '登记状态未找到对应主体'],
  ['subjectsMoved', '属地变更的主体'],
  ['enterpriseCounts', '法人企业数记录'],
  ['unassigned', '未能确定属地（待市信用办分配）'],
  ['warnings', '提示'],
];

/** How many of COUNT_LABELS a receipt shows even at zero. */
export const ALWAYS_SHOWN = 3;
