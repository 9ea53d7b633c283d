import { useEffect } from 'preact/hooks';

/**
 * The page's one h1, and the document title to match, so screen reader users and tab lists know
 * where they are after client-side navigation.
 */
export function PageHeading({ children }: { children: string }) {
  useEffect(() => {
    document.title = `${children} – Wingcheck`;
  }, [children]);
  return <h1 class="govuk-heading-l">{children}</h1>;
}
