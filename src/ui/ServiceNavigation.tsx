import { useState } from 'preact/hooks';

export interface NavItem {
  href: string;
  label: string;
}

interface Props {
  serviceName: string;
  items: readonly NavItem[];
  currentPath: string;
}

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** GOV.UK service navigation (no crown: Wingcheck is not a GOV.UK service), with a menu toggle on phones. */
export function ServiceNavigation({ serviceName, items, currentPath }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <section class="govuk-service-navigation app-service-navigation" aria-label="Service information">
      <div class="govuk-width-container">
        <div class="govuk-service-navigation__container">
          <span class="govuk-service-navigation__service-name">
            <a href="/" class="govuk-service-navigation__link">{serviceName}</a>
          </span>
          {items.length > 0 && (
            <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
              <button
                type="button"
                class="govuk-service-navigation__toggle app-service-navigation__toggle"
                aria-controls="navigation"
                aria-expanded={open}
                onClick={() => {
                  setOpen(!open);
                }}
              >
                Menu
              </button>
              <ul class={`govuk-service-navigation__list${open ? ' app-service-navigation__list--open' : ''}`} id="navigation">
                {items.map((item) => {
                  const current = isCurrent(item.href, currentPath);
                  return (
                    <li
                      key={item.href}
                      class={`govuk-service-navigation__item${current ? ' govuk-service-navigation__item--active' : ''}`}
                    >
                      <a
                        class="govuk-service-navigation__link"
                        href={item.href}
                        aria-current={current ? 'page' : undefined}
                        onClick={() => {
                          setOpen(false);
                        }}
                      >
                        {current ? <strong class="govuk-service-navigation__active-fallback">{item.label}</strong> : item.label}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </nav>
          )}
        </div>
      </div>
    </section>
  );
}
