import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html';

describe('escapeHtml', () => {
  it('turns the five HTML-special characters into entities', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves other text alone and stringifies non-strings', () => {
    expect(escapeHtml('φ · MAP@R ± 0.05')).toBe('φ · MAP@R ± 0.05');
    expect(escapeHtml(3)).toBe('3');
  });
});
