import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props {
  id: string;
  /** How many filters are in use, shown on the button while the panel is closed. */
  active: number;
  onClear?: (() => void) | undefined;
  children: ComponentChildren;
}

/**
 * The MoJ filter pattern, sized for a tablet in one hand: on a phone the filters fold away behind
 * a "Filter" button so the list comes first; on wider screens they are always shown.
 */
export function FilterPanel({ id, active, onClear, children }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <div class={`app-filter-panel${open ? ' app-filter-panel--open' : ''}`}>
      <button
        type="button"
        class="govuk-button govuk-button--secondary app-filter-panel__toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {open ? 'Hide filters' : `Filter${active > 0 ? ` (${active} in use)` : ''}`}
      </button>
      <div class="app-filter-panel__body" id={id}>
        <div class="app-filters">{children}</div>
        {onClear && active > 0 && (
          <p class="govuk-body">
            <button type="button" class="govuk-link app-link-button" onClick={onClear}>
              Clear filters
            </button>
          </p>
        )}
      </div>
    </div>
  );
}
