/**
 * What the listing's dialogs (override, plan, action) share: the list the listing is on now, and the
 * save, one request at a time, then the dialog closed and the page told to read the listing again; a
 * refusal is shown in the API's words and the dialog stays open with what was typed.
 */
import { type Ref, ref } from 'vue';
import { type Classification, effectiveList, type TriageList } from '../../../../functions/domain/model.ts';
import { api } from '../../api.ts';
import { showDone, showError } from '../../notify.ts';

/** The department's list where it overrode the rule, else the rule's; an unclassified listing's is assist. */
export function currentList(classification: Classification | undefined): TriageList {
  return classification === undefined ? 'assist' : effectiveList(classification);
}

export interface ListingSave {
  readonly busy: Ref<boolean>;
  /** Sends `body` to `/listings/{listingId}/{what}`; `done` is said on success. */
  save(listingId: string, what: string, method: 'PUT' | 'POST', body: unknown, done: string): Promise<void>;
}

export function useListingSave(visible: Ref<boolean>, saved: () => void): ListingSave {
  const busy = ref(false);
  async function save(listingId: string, what: string, method: 'PUT' | 'POST', body: unknown, done: string) {
    busy.value = true;
    try {
      await api(`/listings/${encodeURIComponent(listingId)}/${what}`, { method, body });
      showDone(done);
      visible.value = false;
      saved();
    } catch (error) {
      showError(error);
    } finally {
      busy.value = false;
    }
  }
  return { busy, save };
}
