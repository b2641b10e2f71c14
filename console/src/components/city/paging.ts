/**
 * Server-side paging by the API's opaque `cursor`: the page's cursor lives in the address
 * (`?cursor=…`), so a reload or a link shows the same page; the cursors of the pages before it are
 * remembered for going back while the page stays open (after a reload, back leads to the first page).
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api, errorText } from '../../api.ts';

export const PAGE_SIZE = 20;

export function useCursorPages<T>(path: string) {
  const route = useRoute();
  const router = useRouter();
  const items = shallowRef<T[]>([]);
  const next = ref<string>();
  const loading = ref(false);
  const failure = ref('');
  const earlier: (string | undefined)[] = [];
  const cursor = computed(() => (typeof route.query.cursor === 'string' ? route.query.cursor : undefined));

  /** Reads the page in the address; an answer for a page left meanwhile is dropped. */
  async function load(): Promise<void> {
    const asked = cursor.value;
    loading.value = true;
    failure.value = '';
    try {
      const page = await api<{ items: T[]; cursor?: string }>(path, {
        query: { limit: PAGE_SIZE, cursor: asked },
      });
      if (asked !== cursor.value) return;
      items.value = page.items;
      next.value = page.cursor;
    } catch (error) {
      if (asked !== cursor.value) return;
      items.value = [];
      next.value = undefined;
      failure.value = errorText(error);
    } finally {
      loading.value = false;
    }
  }

  function go(to: string | undefined): void {
    const { cursor: _, ...rest } = route.query;
    router.replace({ query: to === undefined ? rest : { ...rest, cursor: to } });
  }

  function forward(): void {
    earlier.push(cursor.value);
    go(next.value);
  }

  function back(): void {
    go(earlier.pop());
  }

  watch(cursor, load, { immediate: true });
  return {
    items,
    loading,
    failure,
    hasNext: computed(() => next.value !== undefined),
    hasPrevious: computed(() => cursor.value !== undefined),
    forward,
    back,
    reload: load,
  };
}
