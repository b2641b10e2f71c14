/**
 * The month's HTML report opened in a new tab. The API wants the bearer token, which a plain link
 * cannot carry, so the page is fetched and shown from a blob URL. The tab is opened before the fetch,
 * while the click still counts as the person's own, or the browser would block it as a pop-up.
 */
import { ApiError, apiUrl, download } from '../../api.ts';
import { accessToken } from '../../session.ts';

export async function openReport(month: string): Promise<void> {
  const tab = window.open('about:blank', '_blank');
  // pop-ups blocked: the page is saved instead (leaving the console would lose the sign-in)
  if (tab === null)
    return download(`/evaluations/${month}/report`, { format: 'html' }, `评价报告-${month}.html`);
  try {
    const token = accessToken();
    const response = await fetch(apiUrl(`/evaluations/${month}/report`, { format: 'html' }), {
      headers: { accept: 'text/html', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      throw new ApiError(
        response.status,
        String(body.code ?? response.status),
        typeof body.title === 'string' ? body.title : `无法打开评价报告（HTTP ${response.status}）`,
        typeof body.detail === 'string' ? body.detail : undefined,
        body,
      );
    }
    const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html;charset=utf-8' }));
    tab.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab.close();
    throw error;
  }
}
