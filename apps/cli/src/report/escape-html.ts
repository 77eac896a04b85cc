const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values: & < > " ' become entities, so a class name,
 * a config value or a note can never open a tag or close an attribute.
 *
 * ```ts
 * escapeHtml('<b>"a" & b</b>'); // '&lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
